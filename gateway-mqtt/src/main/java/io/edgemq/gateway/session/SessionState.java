package io.edgemq.gateway.session;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the brokers keep of a persistent session so that any gateway node can resume it: its
 * subscriptions, per broker queue the offset below which the client has everything it subscribed to
 * (the messages it missed are read again from there), the QoS 1/2 messages in flight with their
 * packet ids, and the inbound QoS 2 packet ids awaiting PUBREL. Immutable.
 *
 * @param clientId the client id
 * @param incarnation random id of the session copy that wrote this; a node whose copy carries the
 *     same id knows its copy is the newest
 * @param ended true for a record that ends the session (clean start, or a session that is no longer
 *     persistent)
 * @param expiryMillis session expiry interval ({@code Long.MAX_VALUE} = never)
 * @param lastSeenMillis when the client was last known connected (epoch ms); the session expires at
 *     {@code lastSeenMillis + expiryMillis}
 * @param createdAtMillis when the session copy that wrote this was created (epoch ms): of two
 *     copies of a session on two nodes, the newer one wins (a node's checkpoint of an old copy,
 *     written while another node takes the session over, must not take it back)
 * @param subscriptions the subscriptions
 * @param checkpoints per broker queue, the first offset that may still hold a message the client
 *     has not completed
 * @param inflight messages sent and not completed, with their packet ids
 * @param awaitingRelease inbound QoS 2 packet ids stored at the broker, awaiting PUBREL
 */
public record SessionState(
    String clientId,
    long incarnation,
    boolean ended,
    long expiryMillis,
    long lastSeenMillis,
    long createdAtMillis,
    List<Subscription> subscriptions,
    Map<QueueRef, Long> checkpoints,
    List<Inflight> inflight,
    Set<Integer> awaitingRelease) {

  /** Copies the collections. */
  public SessionState {
    Objects.requireNonNull(clientId, "clientId");
    subscriptions = List.copyOf(subscriptions);
    checkpoints = Map.copyOf(checkpoints);
    inflight = List.copyOf(inflight);
    awaitingRelease = Set.copyOf(awaitingRelease);
  }

  /**
   * A record that ends every older session of a client id.
   *
   * @param clientId the client id
   * @param incarnation the incarnation of the session that replaces them (a clean one this node
   *     keeps in memory only), so that this node does not take the record for another's
   * @param createdAtMillis when that session was created
   * @param nowMillis the time
   * @return the record
   */
  public static SessionState ended(
      String clientId, long incarnation, long createdAtMillis, long nowMillis) {
    return new SessionState(
        clientId,
        incarnation,
        true,
        0,
        nowMillis,
        createdAtMillis,
        List.of(),
        Map.of(),
        List.of(),
        Set.of());
  }

  /**
   * @param nowMillis the time
   * @return whether the session no longer exists at that time
   */
  public boolean expiredAt(long nowMillis) {
    if (ended) {
      return true;
    }
    return expiryMillis != Long.MAX_VALUE && nowMillis - lastSeenMillis >= expiryMillis;
  }

  /**
   * One message in flight to the client.
   *
   * @param packetId its packet id
   * @param queue the broker queue it came from
   * @param offset its offset there
   * @param released whether the client answered PUBREC (QoS 2): PUBREL is sent again, not the
   *     message
   */
  public record Inflight(int packetId, QueueRef queue, long offset, boolean released) {}
}
