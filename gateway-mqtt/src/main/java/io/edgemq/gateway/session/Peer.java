package io.edgemq.gateway.session;

/**
 * The connection a session is attached to, as an operator sees it.
 *
 * @param address the remote address ({@code /10.0.0.7:51234})
 * @param protocolVersion 4 for MQTT 3.1.1, 5 for MQTT 5
 * @param username the authenticated user name, or null
 */
public record Peer(String address, int protocolVersion, String username) {}
