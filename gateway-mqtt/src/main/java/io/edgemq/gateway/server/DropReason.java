package io.edgemq.gateway.server;

import java.util.Locale;

/** Why the gateway did not pass a message on, as counted by the metrics ({@code reason} label). */
public enum DropReason {
  /** A device's PUBLISH the ACL denies (acknowledged with 0x87 at QoS ≥ 1, never stored). */
  PUBLISH_DENIED,
  /** A QoS 0 delivery while the connection's event loop was far behind. */
  EVENT_LOOP_BEHIND,
  /** A QoS 0 delivery to a connection whose socket buffer is full (a slow reader). */
  SLOW_READER,
  /** A delivery whose MQTT 5 message expiry passed. */
  EXPIRED,
  /** A delivery above the client's Maximum Packet Size. */
  TOO_LARGE_FOR_CLIENT;

  private final String label = name().toLowerCase(Locale.ROOT);

  /**
   * @return the metric label
   */
  public String label() {
    return label;
  }
}
