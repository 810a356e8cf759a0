package io.edgemq.gateway.delivery;

import io.edgemq.gateway.link.MqttEnvelope;
import java.util.Objects;

/**
 * One entry of the will log: what became of the will of one connection of a client id. The newest
 * entry of a client id is the one that counts.
 *
 * @param clientId the client id ("" for an {@link State#ALIVE} entry)
 * @param connectionId random id of the connection the entry is about
 * @param nodeId the gateway node that holds (or held) the connection
 * @param username the connection's user name ("" for none), for the will's ACL check and mapping
 * @param state what happens to the will
 * @param fireAtMillis when a pending will is published (epoch ms); for ALIVE the node's time; else
 *     0
 * @param will the will message (ARMED and PENDING), else null
 */
public record WillRecord(
    String clientId,
    long connectionId,
    String nodeId,
    String username,
    State state,
    long fireAtMillis,
    MqttEnvelope will) {

  /** Checks the fields. */
  public WillRecord {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(state, "state");
    if ((will == null) != (state == State.NONE || state == State.ALIVE)) {
      throw new IllegalArgumentException(
          "a " + state + " entry " + (will == null ? "needs" : "has no") + " will");
    }
  }

  /** What happens to a will. */
  public enum State {
    /** The connection is open: the will is published if it ends abnormally. */
    ARMED,
    /** The connection ended abnormally: the will is published at {@code fireAtMillis}. */
    PENDING,
    /** Nothing is pending (a normal DISCONNECT, a published will, or a connection without one). */
    NONE,
    /** Not about a client: the node {@code nodeId} is running (a heartbeat). */
    ALIVE
  }

  /**
   * @param nodeId a running node
   * @param nowMillis its time
   * @return its heartbeat entry
   */
  public static WillRecord alive(String nodeId, long nowMillis) {
    return new WillRecord("", 0, nodeId, "", State.ALIVE, nowMillis, null);
  }
}
