package io.edgemq.sim.scenario;

import io.edgemq.sim.stream.TopicTemplate;
import java.util.Set;

/**
 * Commands from the backend to devices: a producer sends to {@code brokerTopic} with the device's
 * MQTT topic as the {@code mqtt.topic} property, and the gateway delivers them to the device
 * sessions subscribed to that topic.
 *
 * @param perSecond commands per second over the whole fleet, spread round-robin over devices
 * @param qos the QoS asked for the delivery (property {@code mqtt.qos})
 * @param topic MQTT topic template per device; default {@code cmd/{device}}
 * @param brokerTopic the broker topic the gateway reads for that MQTT topic; default: its first
 *     level
 */
public record CommandSpec(Double perSecond, Integer qos, String topic, String brokerTopic) {
  /** Checks each field and fills defaults. */
  public CommandSpec {
    if (perSecond == null || !(perSecond > 0) || perSecond > 1_000_000) {
      throw new IllegalArgumentException(
          "commands.perSecond " + perSecond + " is impossible: must be above 0, at most 1000000");
    }
    qos = qos == null ? 1 : qos;
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("commands.qos " + qos + " must be 0, 1 or 2");
    }
    topic = topic == null ? "cmd/{device}" : topic;
    TopicTemplate t = TopicTemplate.parse(topic, Set.of());
    brokerTopic = brokerTopic == null ? t.literalFirstLevel() : brokerTopic;
    if (!brokerTopic.matches("[A-Za-z0-9_|-]{1,127}")) {
      throw new IllegalArgumentException(
          "commands.brokerTopic '" + brokerTopic + "' is not a broker topic name");
    }
  }
}
