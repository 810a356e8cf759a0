package io.edgemq.store.api;

/**
 * A snapshot of the store's positions and counters.
 *
 * @param commitLogMinOffset the first CommitLog offset on disk
 * @param writtenOffset the end of the CommitLog
 * @param flushedOffset everything below is forced to disk
 * @param dispatchedOffset everything below is in the consume queues and index
 * @param segmentCount CommitLog segments on disk
 * @param indexFileCount index files on disk
 * @param dispatchErrors I/O failures while building consume queues or index
 * @param corruptRecords records skipped by the dispatcher for a bad checksum
 * @param dispatchStalledReason why dispatch stopped, or null
 * @param diskFull whether appends are refused for disk space
 * @param flushCount CommitLog forces (fsyncs) since the store opened
 * @param flushNanos their total time, nanoseconds
 */
public record StoreStats(
    long commitLogMinOffset,
    long writtenOffset,
    long flushedOffset,
    long dispatchedOffset,
    int segmentCount,
    int indexFileCount,
    long dispatchErrors,
    long corruptRecords,
    String dispatchStalledReason,
    boolean diskFull,
    long flushCount,
    long flushNanos) {}
