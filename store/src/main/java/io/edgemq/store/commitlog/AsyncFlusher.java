package io.edgemq.store.commitlog;

import io.edgemq.store.file.SegmentedFile;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** ASYNC mode: forces whatever was written, every {@code flushInterval}. */
final class AsyncFlusher implements Flusher, Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(AsyncFlusher.class);

  private final SegmentedFile segments;
  private final LongSupplier written;
  private final long intervalNanos;
  private final Thread thread;
  private volatile long flushed;
  private volatile boolean running = true;

  AsyncFlusher(SegmentedFile segments, LongSupplier written, long intervalMillis, long start) {
    this.segments = segments;
    this.written = written;
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
  public void run() {
    while (running) {
      LockSupport.parkNanos(intervalNanos);
      flushOnce();
    }
  }

  private void flushOnce() {
    long target = written.getAsLong();
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
    flushOnce();
  }
}
