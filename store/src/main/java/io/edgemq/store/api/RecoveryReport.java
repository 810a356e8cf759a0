package io.edgemq.store.api;

import java.util.List;

/**
 * What happened when the store opened.
 *
 * @param cleanShutdown whether the previous run stopped cleanly (no scan was needed)
 * @param scannedFrom the CommitLog offset the scan started at (the checkpoint), or the end if none
 * @param commitLogEnd the recovered end of the CommitLog
 * @param recordsScanned valid records scanned
 * @param truncatedBytes non-zero bytes of a torn tail that were cleared
 * @param corruptedOffsets damaged records found and kept (reads of them return CORRUPTED)
 * @param unitsDropped consume-queue units dropped because they pointed past the end
 * @param redispatchedFrom where re-dispatch to consume queues and index started
 * @param millis how long opening took
 */
public record RecoveryReport(
    boolean cleanShutdown,
    long scannedFrom,
    long commitLogEnd,
    long recordsScanned,
    long truncatedBytes,
    List<Long> corruptedOffsets,
    long unitsDropped,
    long redispatchedFrom,
    long millis) {

  /** Copies the list. */
  public RecoveryReport {
    corruptedOffsets = List.copyOf(corruptedOffsets);
  }
}
