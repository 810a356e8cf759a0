package io.edgemq.store.api;

/**
 * The outcome of one append.
 *
 * @param status {@link AppendStatus#OK} when stored as the flush mode says
 * @param messageId the id, or null when nothing was written
 * @param physicalOffset the CommitLog offset of the record, -1 when nothing was written
 * @param queueOffset the offset in the consume queue, -1 when nothing was written
 * @param storeSize the record size in bytes, 0 when nothing was written
 * @param storeTimestamp the store time, epoch ms, 0 when nothing was written
 * @param reason a human-readable reason for any status but OK, else empty
 */
public record AppendResult(
    AppendStatus status,
    MessageId messageId,
    long physicalOffset,
    long queueOffset,
    int storeSize,
    long storeTimestamp,
    String reason) {

  /**
   * A result for an append that wrote nothing.
   *
   * @param status why
   * @param reason the details
   * @return the result
   */
  public static AppendResult failed(AppendStatus status, String reason) {
    return new AppendResult(status, null, -1, -1, 0, 0, reason);
  }

  /**
   * The same result with another status, for a write that happened but whose flush failed.
   *
   * @param newStatus the status
   * @param why the reason
   * @return the result
   */
  public AppendResult withStatus(AppendStatus newStatus, String why) {
    return new AppendResult(
        newStatus, messageId, physicalOffset, queueOffset, storeSize, storeTimestamp, why);
  }

  /**
   * @return true when the status is OK
   */
  public boolean isOk() {
    return status == AppendStatus.OK;
  }
}
