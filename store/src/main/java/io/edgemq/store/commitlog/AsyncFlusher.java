package io.edgemq.store.commitlog;

import io.edgemq.store.file.SegmentedFile;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ASYNC mode: writes staged records to the segment files as soon as they arrive (so readers see
 * them within microseconds), and forces the files every {@code flushInterval}.
 */
final class AsyncFlusher implements Flusher, Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncFlusher.class);

  /** How long the thread sleeps right after work: the usual delay before readers see data. */
  private static final long POLL_NANOS = 100_000L;

  /** Idle sleeps double up to this, so an idle store costs next to no CPU. */
  private static final long MAX_IDLE_NANOS = 10_000_000L;

  /** Pause after a failed write, so a persistent error does not spin. */
  private static final long ERROR_BACKOFF_NANOS = 100_000_000L;

  /** Staged bytes past which a writer wakes the thread early. */
  private static final long WAKE_BYTES = 1 << 20;

  private final SegmentedFile segments;
  private final StagingBuffer staging;
  private final LongSupplier written;
  private final Runnable onCommitted;
  private final long intervalNanos;
  private final Thread thread;
  private volatile long flushed;
  private volatile boolean sleeping;
  private volatile boolean deepSleep;
  private volatile boolean running = true;

  AsyncFlusher(
      SegmentedFile segments,
      StagingBuffer staging,
      LongSupplier written,
      Runnable onCommitted,
      long intervalMillis,
      long start) {
    this.segments = segments;
    this.staging = staging;
    this.written = written;
    this.onCommitted = onCommitted;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    this.flushed = start;
    this.thread = new Thread(this, "store-flush-async");
    thread.setDaemon(true);
  }

  @Override
  public void start() {
    thread.start();
  }

  @Override
  public long flushedOffset() {
    return flushed;
  }

  @Override
  public CompletableFuture<Void> awaitFlushed(long endOffset) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void expire(long nowNanos) {
    // Nobody waits on an ASYNC flush.
  }

  @Override
  public void wake() {
    LockSupport.unpark(thread);
  }

  /**
   * Writers do not wake the thread per append (an unpark is a system call when it sleeps, which
   * would halve a lone writer's rate); it polls every {@link #POLL_NANOS} instead, and is woken
   * only when a lot is staged.
   */
  @Override
  public void written() {
    if (sleeping && (deepSleep || written.getAsLong() - staging.committedOffset() > WAKE_BYTES)) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  public void run() {
    long nextForce = System.nanoTime() + intervalNanos;
    long idleNanos = POLL_NANOS;
    while (running) {
      boolean committed = commitOnce();
      long now = System.nanoTime();
      if (now - nextForce >= 0) {
        forceOnce();
        nextForce = now + intervalNanos;
      }
      if (committed) {
        idleNanos = POLL_NANOS;
      } else {
        idle(Math.min(idleNanos, nextForce - now));
        idleNanos = Math.min(2 * idleNanos, MAX_IDLE_NANOS);
      }
    }
  }

  private boolean commitOnce() {
    long target = written.getAsLong();
    if (target <= staging.committedOffset()) {
      return false;
    }
    try {
      staging.commit(target);
    } catch (RuntimeException e) {
      LOG.error("writing staged records up to {} failed; will retry", target, e);
      LockSupport.parkNanos(ERROR_BACKOFF_NANOS);
      return false;
    }
    onCommitted.run();
    return true;
  }

  private void idle(long nanos) {
    // Only a long sleep is worth a writer's unpark; short ones end by themselves soon enough.
    deepSleep = nanos > POLL_NANOS;
    sleeping = true;
    if (written.getAsLong() <= staging.committedOffset() && nanos > 0) {
      LockSupport.parkNanos(nanos);
    }
    sleeping = false;
  }

  private void forceOnce() {
    long target = staging.committedOffset();
    if (target > flushed) {
      try {
        segments.force(flushed, target);
        flushed = target;
      } catch (java.io.UncheckedIOException e) {
        LOG.error("async flush up to {} failed; will retry", target, e);
      }
    }
  }

  @Override
  public void shutdown() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    commitOnce();
    forceOnce();
  }
}
