package io.edgemq.gateway.session;

import io.edgemq.gateway.link.MqttEnvelope;
import java.util.List;

/**
 * One message on its way to one session: the message, the QoS it is delivered with (the lower of
 * the published and the subscribed QoS), the retain flag as delivered and the identifiers of the
 * subscriptions it matched.
 *
 * @param message the message
 * @param qos the delivered QoS
 * @param retain the retain flag to send
 * @param subscriptionIds MQTT 5 subscription identifiers, possibly empty
 */
public record Outgoing(
    MqttEnvelope message, int qos, boolean retain, List<Integer> subscriptionIds) {
  /** Copies the list. */
  public Outgoing {
    subscriptionIds = List.copyOf(subscriptionIds);
  }
}
