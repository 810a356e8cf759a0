package io.edgemq.store.commitlog;

import io.edgemq.store.file.SegmentedFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * SYNC mode with group commit: writers queue a request for their record's end offset; one thread
 * takes every queued request, forces up to what has been written by then (which covers them all),
 * and completes them together. N concurrent writers therefore share one force.
 */
final class GroupCommitFlusher implements Flusher, Runnable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(GroupCommitFlusher.class);
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final SegmentedFile segments;
  private final LongSupplier written;
  private final Runnable onFlushed;
  private final java.util.function.LongConsumer beforeForce;
  private final long timeoutNanos;

  /** Longest wait for a group to fill; well under one force (about 0.5 ms on our disks). */
  private static final long GATHER_NANOS = 200_000L;

  private final Queue<Request> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private volatile int gatherTarget = 1;
  private final Thread thread;
  private volatile List<Request> inFlight = List.of();
  private volatile long flushed;
  private volatile boolean running = true;

  GroupCommitFlusher(
      SegmentedFile segments,
      LongSupplier written,
      java.util.function.LongConsumer beforeForce,
      Runnable onFlushed,
      long timeoutMillis,
      long start) {
    this.segments = segments;
    this.written = written;
    this.onFlushed = onFlushed;
    this.beforeForce = beforeForce;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.flushed = start;
    this.thread = new Thread(this, "store-flush-sync");
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
    if (endOffset <= flushed) {
      return DONE;
    }
    Request r = new Request(endOffset, System.nanoTime());
    queue.add(r);
    if (pending.incrementAndGet() >= gatherTarget) {
      LockSupport.unpark(thread);
    }
    return r.future;
  }

  @Override
  public void run() {
    while (running || !queue.isEmpty()) {
      if (queue.isEmpty()) {
        // Woken by awaitFlushed; the timeout only bounds how late shutdown is noticed.
        LockSupport.parkNanos(10_000_000L);
        continue;
      }
      gather();
      commitGroup();
    }
  }

  /**
   * Waits a little for the writers of the last group to come back before forcing: right after a
   * group completes, its writers are still waking up and appending again, and a force started at
   * once would cover only the first few, leaving the rest a whole force behind. Waits until as many
   * requests are queued as the last group had, or {@link #GATHER_NANOS} at most, so a lone writer
   * never waits at all.
   */
  private void gather() {
    long deadline = System.nanoTime() + GATHER_NANOS;
    while (running && pending.get() < gatherTarget) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      LockSupport.parkNanos(left);
    }
  }

  private void commitGroup() {
    List<Request> group = new ArrayList<>();
    for (Request r = queue.poll(); r != null; r = queue.poll()) {
      group.add(r);
    }
    pending.addAndGet(-group.size());
    gatherTarget = Math.max(1, group.size());
    inFlight = group;
    // Read after draining: every drained request's record is written below this offset.
    long target = written.getAsLong();
    try {
      if (target > flushed) {
        beforeForce.accept(target);
        segments.force(flushed, target);
        flushed = target;
      }
      for (Request r : group) {
        r.future.complete(null);
      }
    } catch (java.io.UncheckedIOException e) {
      fail(group, e.getCause());
    } catch (RuntimeException e) {
      // A bug, not an I/O error: fail the waiters loudly instead of leaving them to time out.
      LOG.error("group commit up to {} failed", target, e);
      fail(group, e);
    }
    inFlight = List.of();
    onFlushed.run();
  }

  private static void fail(List<Request> group, Throwable cause) {
    for (Request r : group) {
      r.future.completeExceptionally(cause);
    }
  }

  @Override
  public void expire(long nowNanos) {
    expire(inFlight, nowNanos);
    expire(queue, nowNanos);
  }

  private void expire(Iterable<Request> requests, long nowNanos) {
    for (Request r : requests) {
      if (nowNanos - r.createdNanos > timeoutNanos && !r.future.isDone()) {
        r.future.completeExceptionally(
            new FlushTimeout("no force covered offset " + r.endOffset + " in time"));
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
    long target = written.getAsLong();
    if (target > flushed) {
      beforeForce.accept(target);
      segments.force(flushed, target);
      flushed = target;
    }
  }

  @Override
  public void written() {
    // Each SYNC append queues a request, which wakes the thread.
  }

  @Override
  public void wake() {
    LockSupport.unpark(thread);
  }

  private static final class Request {
    final long endOffset;
    final long createdNanos;
    final CompletableFuture<Void> future = new CompletableFuture<>();

    Request(long endOffset, long createdNanos) {
      this.endOffset = endOffset;
      this.createdNanos = createdNanos;
    }
  }
}
