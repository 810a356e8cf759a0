package io.edgemq.client.api;

import java.util.Objects;

/**
 * A topic's configuration on one broker group.
 *
 * @param topic the topic
 * @param brokerName the broker group
 * @param writeQueues number of queues taking sends
 * @param readQueues number of queues pulled
 * @param permission what clients may do
 */
public record TopicInfo(
    String topic, String brokerName, int writeQueues, int readQueues, Permission permission) {

  /** Checks the values. */
  public TopicInfo {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(brokerName, "brokerName");
    Objects.requireNonNull(permission, "permission");
  }
}
