package io.edgemq.gateway.mapping;

import java.util.Set;

/**
 * The broker topics that can hold messages for an MQTT subscription.
 *
 * @param topics broker topics named by the mapping rules and the default mapping (unmodifiable)
 * @param allDefaultTopics true if, on top of {@code topics}, any broker topic the default mapping
 *     makes may hold matching messages: the subscription starts with a wildcard, so every MQTT
 *     topic's first level can become a broker topic
 */
public record BrokerTopics(Set<String> topics, boolean allDefaultTopics) {
  /** Copies the topics. */
  public BrokerTopics {
    topics = Set.copyOf(topics);
  }
}
