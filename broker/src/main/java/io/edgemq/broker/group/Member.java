package io.edgemq.broker.group;

import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.ClientInfo;
import io.edgemq.protocol.v1.ConsumeMode;
import io.edgemq.protocol.v1.Subscription;
import java.util.List;
import java.util.Map;

/**
 * One consumer group member as of its last heartbeat.
 *
 * @param client who it is
 * @param mode its consume mode (never UNSPECIFIED)
 * @param filters topic to canonical filter, in the order subscribed
 * @param subscriptions its subscriptions as sent
 * @param joinSeq when it joined the group (smaller = earlier); kept across heartbeats
 * @param lastHeartbeatMs when its last heartbeat arrived (the broker's clock)
 * @param peer the connection's peer address, or null
 */
record Member(
    ClientInfo client,
    ConsumeMode mode,
    Map<String, String> filters,
    List<Subscription> subscriptions,
    long joinSeq,
    long lastHeartbeatMs,
    Address peer) {

  String clientId() {
    return client.getClientId();
  }
}
