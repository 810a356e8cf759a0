package io.edgemq.gateway.session;

import io.edgemq.gateway.link.MqttEnvelope;
import java.util.List;

/**
 * One message on its way to one session: the message, the QoS it is delivered with (the lower of
 * the published and the subscribed QoS), the retain flag as delivered, the identifiers of the
 * subscriptions it matched, and where in the broker it was read (so a persistent session can say up
 * to where it has everything).
 *
 * @param message the message
 * @param qos the delivered QoS
 * @param retain the retain flag to send
 * @param subscriptionIds MQTT 5 subscription identifiers, possibly empty
 * @param queue the broker queue it was read from, or null (a retained message, a shared
 *     subscription's message)
 * @param offset its offset in that queue, or -1
 */
public record Outgoing(
    MqttEnvelope message,
    int qos,
    boolean retain,
    List<Integer> subscriptionIds,
    QueueRef queue,
    long offset) {
  /** Copies the list. */
  public Outgoing {
    subscriptionIds = List.copyOf(subscriptionIds);
    if (queue != null && offset < 0) {
      throw new IllegalArgumentException("offset " + offset + " of " + queue);
    }
  }

  /**
   * A message that does not come from a broker queue position the session tracks.
   *
   * @param message the message
   * @param qos the delivered QoS
   * @param retain the retain flag to send
   * @param subscriptionIds subscription identifiers
   */
  public Outgoing(MqttEnvelope message, int qos, boolean retain, List<Integer> subscriptionIds) {
    this(message, qos, retain, subscriptionIds, null, -1);
  }
}
