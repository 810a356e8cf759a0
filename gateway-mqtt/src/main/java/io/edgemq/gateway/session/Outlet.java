package io.edgemq.gateway.session;

/**
 * The connection a session currently writes to. Calls may come from any thread; the implementation
 * hands them to its event loop.
 */
public interface Outlet {
  /**
   * Writes a PUBLISH.
   *
   * @param message what to send
   * @param packetId its packet id, 0 for QoS 0
   * @param dup whether it is a redelivery
   */
  void publish(Outgoing message, int packetId, boolean dup);

  /**
   * Writes a PUBREL (QoS 2, second half).
   *
   * @param packetId the packet id
   */
  void release(int packetId);

  /**
   * Closes the connection because another one took the session over.
   *
   * @param reason the MQTT 5 reason code for the DISCONNECT
   */
  void kick(int reason);

  /**
   * @return the connection as an operator sees it
   */
  default Peer peer() {
    return new Peer("?", 0, null);
  }
}
