package io.edgemq.store.commitlog;

import java.util.concurrent.CompletableFuture;

/** Moves written CommitLog bytes to the disk, on a thread of its own. */
interface Flusher {

  /** Starts the thread. */
  void start();

  /**
   * @return the offset below which everything is forced
   */
  long flushedOffset();

  /**
   * A future that completes once everything below {@code endOffset} is forced.
   *
   * @param endOffset the offset just past a record
   * @return completes normally, or exceptionally with an IOException or {@link FlushTimeout}
   */
  CompletableFuture<Void> awaitFlushed(long endOffset);

  /**
   * Fails waiters older than the timeout, so a stuck disk does not hang producers.
   *
   * @param nowNanos {@link System#nanoTime()}
   */
  void expire(long nowNanos);

  /** Wakes the thread now, e.g. because writers wait for staging space. */
  void wake();

  /** Tells the thread that records were staged; cheap when it is busy anyway. */
  void written();

  /** Stops the thread after forcing everything written. */
  void shutdown();

  /** Raised to waiters whose force did not finish in time. */
  final class FlushTimeout extends Exception {
    private static final long serialVersionUID = 1L;

    FlushTimeout(String message) {
      super(message, null, false, false);
    }
  }
}
