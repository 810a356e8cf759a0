package io.edgemq.gateway.server;

import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.session.Session;
import io.edgemq.gateway.session.SessionRegistry;

/**
 * What an accepted CONNECT settled, handed from {@link ConnectHandshake} to {@link MqttConnection}.
 *
 * @param version the protocol level (4 = 3.1.1, 5)
 * @param clientId the client id (assigned by the server when the client sent none)
 * @param username the authenticated user, or null
 * @param opened the session opened for it
 * @param sessionExpiryMillis the session expiry interval in force
 * @param will the will, or null
 * @param willDelayMillis the MQTT 5 will delay
 * @param clientMaxPacket the largest packet the client takes
 * @param clientTopicAliases how many topic aliases the client takes from the server (MQTT 5)
 * @param window how many QoS 1/2 messages the client takes unacknowledged
 * @param keepAliveSeconds the keep-alive in force, 0 for none
 * @param cleanStart whether the client asked for a clean start
 */
record Established(
    int version,
    String clientId,
    String username,
    SessionRegistry.Opened opened,
    long sessionExpiryMillis,
    MqttEnvelope will,
    long willDelayMillis,
    int clientMaxPacket,
    int clientTopicAliases,
    int window,
    int keepAliveSeconds,
    boolean cleanStart) {

  Session session() {
    return opened.session();
  }
}
