package io.edgemq.client.api;

import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;

/**
 * A call failed. It carries the protocol {@link Code} the server answered with, or, when no answer
 * came (the broker or nameserver could not be reached, the deadline passed), {@link
 * Code#SERVICE_UNAVAILABLE} with {@link #isTransport()} true.
 */
public class ClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int codeValue;
  private final boolean transport;

  /**
   * Creates an exception for a server's answer.
   *
   * @param codeValue the {@link Code} number (possibly unknown to this build)
   * @param message what happened
   */
  public ClientException(int codeValue, String message) {
    this(codeValue, message, false, null);
  }

  /**
   * Creates an exception.
   *
   * @param codeValue the {@link Code} number
   * @param message what happened
   * @param transport whether no answer came (transport failure or deadline)
   * @param cause the underlying failure, or null
   */
  public ClientException(int codeValue, String message, boolean transport, Throwable cause) {
    super(
        Code.forNumber(codeValue) == null
            ? codeValue + ": " + message
            : codeName(codeValue) + ": " + message,
        cause);
    this.codeValue = codeValue;
    this.transport = transport;
  }

  private static String codeName(int value) {
    Code c = Code.forNumber(value);
    return c == null ? String.valueOf(value) : c.name();
  }

  /**
   * The protocol code.
   *
   * @return the code, or {@link Code#UNRECOGNIZED} for a number this build does not know (see
   *     {@link #codeValue()})
   */
  public Code code() {
    Code c = Code.forNumber(codeValue);
    return c == null ? Code.UNRECOGNIZED : c;
  }

  /**
   * The protocol code's number, also for codes this build does not know.
   *
   * @return the number
   */
  public int codeValue() {
    return codeValue;
  }

  /**
   * Whether no answer came: the server could not be reached or the deadline passed.
   *
   * @return true for transport failures
   */
  public boolean isTransport() {
    return transport;
  }

  /**
   * Whether the same call may succeed later or elsewhere (the {@code UNAVAILABLE} class of codes,
   * and transport failures).
   *
   * @return true when retrying makes sense
   */
  public boolean isRetryable() {
    return transport || Codes.isRetryable(codeValue);
  }
}
