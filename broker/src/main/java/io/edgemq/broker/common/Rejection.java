package io.edgemq.broker.common;

import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Status;

/**
 * An expected refusal of a request: carries the protocol {@link Code} and a message for people.
 * Thrown by validation and caught at the RPC edge, where it becomes the response's status.
 */
public final class Rejection extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Code code;

  /**
   * @param code the protocol code
   * @param message what was wrong, naming the value
   */
  public Rejection(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /**
   * @return the protocol code
   */
  public Code code() {
    return code;
  }

  /**
   * @return the status to answer with
   */
  public Status status() {
    return Codes.status(code, getMessage());
  }
}
