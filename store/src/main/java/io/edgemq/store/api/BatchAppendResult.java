package io.edgemq.store.api;

import java.util.List;

/**
 * The outcome of a batch append: all messages are stored, or none are.
 *
 * @param status the status shared by the whole batch
 * @param results one result per message, in order; empty when nothing was written
 * @param reason a human-readable reason for any status but OK, else empty
 */
public record BatchAppendResult(AppendStatus status, List<AppendResult> results, String reason) {

  /** Copies the list. */
  public BatchAppendResult {
    results = List.copyOf(results);
  }

  /**
   * @return true when the status is OK
   */
  public boolean isOk() {
    return status == AppendStatus.OK;
  }
}
