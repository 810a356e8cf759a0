package io.edgemq.protocol;

import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Status;

/**
 * The classes of {@link Code} and how a caller should react to each. The class is read from the
 * code's number range (see {@code common.proto}), so a code added after this client was built is
 * still handled by its class: pass {@link Status#getCodeValue()}, which keeps the number of a value
 * this build does not know.
 */
public final class Codes {

  /** The class of a code, from its number range. */
  public enum Kind {
    /** 1: the call did what it was asked. */
    SUCCESS,
    /** 100-199: the request is invalid; sending it again gives the same answer. */
    INVALID_REQUEST,
    /** 200-299: something the request names does not exist here; a route refresh may help. */
    NOT_FOUND,
    /** 300-399: not permitted. */
    NOT_PERMITTED,
    /** 400-499: conflicts with the current state (offsets, assignment, existing objects). */
    CONFLICT,
    /** 500-599: the server cannot do it now; retry with back-off, or on another broker. */
    UNAVAILABLE,
    /** 0, 600-699 and anything unknown: a bug or unexpected failure on the server. */
    INTERNAL
  }

  private static final Status OK = Status.newBuilder().setCode(Code.OK).build();

  private Codes() {}

  /**
   * Classifies a code number.
   *
   * @param number a {@link Code} number, known to this build or not
   * @return its class
   */
  public static Kind kind(int number) {
    if (number == Code.OK_VALUE) {
      return Kind.SUCCESS;
    }
    return switch (number / 100) {
      case 1 -> Kind.INVALID_REQUEST;
      case 2 -> Kind.NOT_FOUND;
      case 3 -> Kind.NOT_PERMITTED;
      case 4 -> Kind.CONFLICT;
      case 5 -> Kind.UNAVAILABLE;
      default -> Kind.INTERNAL;
    };
  }

  /**
   * Classifies the code of a status.
   *
   * @param status a response's status; absent (the default instance) counts as {@code
   *     CODE_UNSPECIFIED}
   * @return its class
   */
  public static Kind kind(Status status) {
    return kind(status.getCodeValue());
  }

  /**
   * Tells whether a status is {@link Code#OK}.
   *
   * @param status a response's status
   * @return true for OK only
   */
  public static boolean isOk(Status status) {
    return status.getCodeValue() == Code.OK_VALUE;
  }

  /**
   * Tells whether the same request may succeed if sent again later or to another broker of the
   * route: true for the {@link Kind#UNAVAILABLE} class. A send that failed with {@link
   * Code#FLUSH_TIMEOUT} or {@link Code#REPLICATION_TIMEOUT} was written, so retrying it may store
   * it twice (see {@link #isWritten(int)}).
   *
   * @param number a {@link Code} number
   * @return whether retrying makes sense
   */
  public static boolean isRetryable(int number) {
    return kind(number) == Kind.UNAVAILABLE;
  }

  /**
   * Tells whether a send with this outcome was written to the broker's log, so its receipt is set:
   * {@link Code#OK}, {@link Code#FLUSH_TIMEOUT} and {@link Code#REPLICATION_TIMEOUT}.
   *
   * @param number the {@link Code} number of a send's status
   * @return whether the message (or batch) was written
   */
  public static boolean isWritten(int number) {
    return number == Code.OK_VALUE
        || number == Code.FLUSH_TIMEOUT_VALUE
        || number == Code.REPLICATION_TIMEOUT_VALUE;
  }

  /**
   * Builds a status.
   *
   * @param code the code; not {@link Code#UNRECOGNIZED}
   * @param message what happened, for people; may be empty, not null
   * @return the status
   * @throws IllegalArgumentException if the code is {@link Code#UNRECOGNIZED}
   */
  public static Status status(Code code, String message) {
    if (code == Code.UNRECOGNIZED) {
      throw new IllegalArgumentException("cannot send Code.UNRECOGNIZED; use a defined code");
    }
    return Status.newBuilder().setCode(code).setMessage(message).build();
  }

  /**
   * The OK status with no message.
   *
   * @return a status with code {@link Code#OK}
   */
  public static Status ok() {
    return OK;
  }
}
