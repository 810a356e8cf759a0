package io.edgemq.gateway.auth;

/**
 * The outcome of checking a CONNECT's credentials, and the identity the ACL checks use.
 *
 * @param outcome whether the client may connect
 * @param username the verified username, or null for an anonymous client (and for every refused
 *     one); only this, never the username a client merely claimed, may be given to the {@link Acl}
 */
public record AuthResult(Outcome outcome, String username) {

  /** Whether a client may connect, and if not which CONNACK reason to send. */
  public enum Outcome {
    /** Connect; the username, if any, was verified. */
    SUCCESS,
    /**
     * Unknown user or wrong password; deliberately one outcome so a client cannot probe for
     * usernames. CONNACK 0x04 (MQTT 3.1.1) or 0x86 (MQTT 5).
     */
    BAD_CREDENTIALS,
    /** No credentials and anonymous clients are not allowed. CONNACK 0x05 or 0x87. */
    NOT_AUTHORIZED
  }

  static final AuthResult ANONYMOUS = new AuthResult(Outcome.SUCCESS, null);
  static final AuthResult BAD_CREDENTIALS = new AuthResult(Outcome.BAD_CREDENTIALS, null);
  static final AuthResult NOT_AUTHORIZED = new AuthResult(Outcome.NOT_AUTHORIZED, null);

  /**
   * Checks the combination.
   *
   * @throws IllegalArgumentException if the outcome is null, or a refusal carries a username
   */
  public AuthResult {
    if (outcome == null) {
      throw new IllegalArgumentException("outcome must not be null");
    }
    if (outcome != Outcome.SUCCESS && username != null) {
      throw new IllegalArgumentException("a refused client has no username");
    }
  }

  /**
   * @return whether the client may connect
   */
  public boolean isSuccess() {
    return outcome == Outcome.SUCCESS;
  }
}
