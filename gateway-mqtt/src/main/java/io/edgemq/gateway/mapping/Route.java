package io.edgemq.gateway.mapping;

import java.util.List;
import java.util.Objects;

/**
 * Where one MQTT PUBLISH goes in the broker. Every route a {@link MappingTable} makes follows the
 * broker's rules: a valid user topic name, a tag of 1 byte to 1 KiB without {@code ||} and not
 * {@code *}, and at most 64 non-empty keys of at most 1 KiB without white space.
 *
 * @param brokerTopic the broker topic
 * @param tag the tag, or null for none
 * @param keys the keys, possibly empty (unmodifiable)
 */
public record Route(String brokerTopic, String tag, List<String> keys) {
  /** Copies the keys. */
  public Route {
    Objects.requireNonNull(brokerTopic, "brokerTopic");
    keys = List.copyOf(keys);
  }
}
