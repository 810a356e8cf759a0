package io.edgemq.store.api;

/** When an append's future completes, relative to the data reaching the disk. */
public enum FlushMode {
  /**
   * The future completes once the record is in the memory-mapped CommitLog; a background thread
   * forces it to disk every {@code flushIntervalMs}. A process crash loses nothing (the page cache
   * survives it); a power loss may lose the unflushed tail.
   */
  ASYNC,
  /**
   * Group commit: the future completes only after a {@code force()} covers the record. Concurrent
   * writers share one force.
   */
  SYNC
}
