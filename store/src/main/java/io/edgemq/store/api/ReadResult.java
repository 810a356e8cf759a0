package io.edgemq.store.api;

/**
 * The outcome of reading one record.
 *
 * @param status what happened
 * @param message the message when FOUND, else null
 * @param reason details for any status but FOUND, else empty
 */
public record ReadResult(ReadStatus status, StoredMessage message, String reason) {

  /**
   * A found record.
   *
   * @param message the message
   * @return the result
   */
  public static ReadResult found(StoredMessage message) {
    return new ReadResult(ReadStatus.FOUND, message, "");
  }

  /**
   * A failed read.
   *
   * @param status why
   * @param reason the details
   * @return the result
   */
  public static ReadResult failed(ReadStatus status, String reason) {
    return new ReadResult(status, null, reason);
  }

  /**
   * @return true when FOUND
   */
  public boolean isFound() {
    return status == ReadStatus.FOUND;
  }
}
