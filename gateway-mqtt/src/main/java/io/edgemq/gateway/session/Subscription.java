package io.edgemq.gateway.session;

/**
 * One topic filter a session subscribed to, with its MQTT 5 options. Two subscriptions are equal
 * when they belong to the same client (and share group), so re-subscribing replaces the options.
 *
 * @param clientId the subscribing client
 * @param filter the topic filter (without a {@code $share/} prefix)
 * @param shareGroup the share name of a shared subscription, or null
 * @param qos the maximum QoS granted
 * @param noLocal MQTT 5 No Local: do not deliver the client's own messages
 * @param retainAsPublished MQTT 5 Retain As Published
 * @param retainHandling MQTT 5 Retain Handling: 0 send at subscribe, 1 only if new, 2 never
 * @param subscriptionId MQTT 5 subscription identifier, 0 for none
 */
public record Subscription(
    String clientId,
    String filter,
    String shareGroup,
    int qos,
    boolean noLocal,
    boolean retainAsPublished,
    int retainHandling,
    int subscriptionId) {

  @Override
  public boolean equals(Object o) {
    return o instanceof Subscription s
        && s.clientId.equals(clientId)
        && java.util.Objects.equals(s.shareGroup, shareGroup);
  }

  @Override
  public int hashCode() {
    return clientId.hashCode() * 31 + java.util.Objects.hashCode(shareGroup);
  }
}
