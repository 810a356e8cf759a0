package io.edgemq.gateway.api;

/**
 * One session of a gateway node, as {@code edgemq admin gateway sessions} shows it.
 *
 * @param clientId the client id
 * @param connected whether a connection is attached now
 * @param address the connection's remote address, or null while offline
 * @param protocolVersion 4 (MQTT 3.1.1) or 5, 0 while offline
 * @param username the connection's user, or null
 * @param persistent whether the session outlives its connection
 * @param subscriptions its subscriptions
 * @param queued messages queued or in flight toward the device
 * @param dropped messages it dropped (queue full, or QoS 0 while offline)
 * @param createdAtMillis when this copy of the session was created
 * @param expiresAtMillis when an offline session expires; {@code Long.MAX_VALUE} while connected or
 *     never
 */
public record SessionInfo(
    String clientId,
    boolean connected,
    String address,
    int protocolVersion,
    String username,
    boolean persistent,
    int subscriptions,
    int queued,
    long dropped,
    long createdAtMillis,
    long expiresAtMillis) {}
