package io.edgemq.gateway.link;

/**
 * The broker did not take a message, or the outcome is unknown. {@link #refused()} tells the two
 * apart, so the gateway can answer the device with the right MQTT 5 reason code.
 */
public final class LinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean refused;

  /**
   * @param message what happened
   * @param refused true when the broker refused the message itself (too large, invalid, not
   *     permitted, no such topic): sending it again gives the same answer; false when the broker
   *     was unreachable or failed, or the outcome is unknown
   * @param cause the cause, or null
   */
  public LinkException(String message, boolean refused, Throwable cause) {
    super(message, cause);
    this.refused = refused;
  }

  /**
   * Whether the broker refused this message, as opposed to failing.
   *
   * @return true when refused (MQTT 5 PUBACK reasons 0x95 packet too large, 0x87 not authorized or
   *     0x97 quota exceeded fit), false when the broker failed, was unreachable or the outcome is
   *     unknown (0x80 unspecified error)
   */
  public boolean refused() {
    return refused;
  }
}
