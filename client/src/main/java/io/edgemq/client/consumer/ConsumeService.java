package io.edgemq.client.consumer;

import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.MessageListener;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.rpc.Threads;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.SendBackResponse;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push consumer's {@link Sink}: runs the listener on {@code consumeThreads} threads. Concurrent
 * mode hands every message to the pool; orderly mode keeps one lane per queue that processes its
 * messages one at a time, in order.
 *
 * <p>A failure (FAILURE, an exception, or a listener running past {@code consumeTimeout}, which is
 * then interrupted) is given back to the broker with SendBack when the group retries through the
 * broker (clustering): in concurrent mode the broker stores a retry copy and the original counts as
 * done; in orderly mode the broker answers how long to wait and the lane retries the same message
 * in place after that (the queue waits), until the broker dead-letters it. When SendBack fails, or
 * for broadcasting groups, the message stays in flight and is delivered again here after the
 * back-off. The pool's work queue is unbounded, but each queue's pulls pause at {@code
 * maxInFlightPerQueue} unprocessed messages, which bounds it.
 */
final class ConsumeService implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumeService.class);
  private static final int LANE_BURST = 64;
  private static final String TIMEOUT = "TIMEOUT";

  private final MessageListener listener;
  private final boolean orderly;
  private final boolean brokerRetry;
  private final long backoffMs;
  private final long timeoutMs;
  private final ScheduledExecutorService scheduler;
  private final ThreadPoolExecutor pool;
  private final Map<QueueState, Lane> lanes = new ConcurrentHashMap<>();
  private volatile ConsumerCore core;
  // listener calls in progress; one periodic sweep finds those past their deadline (a scheduled
  // task per message would keep every cancelled one queued until its deadline)
  private final java.util.Set<Watchdog> running = ConcurrentHashMap.newKeySet();

  ConsumeService(
      MessageListener listener,
      boolean orderly,
      boolean brokerRetry,
      int threads,
      long backoffMs,
      long timeoutMs,
      ScheduledExecutorService scheduler) {
    this.listener = listener;
    this.orderly = orderly;
    this.brokerRetry = brokerRetry;
    this.backoffMs = backoffMs;
    this.timeoutMs = timeoutMs;
    this.scheduler = scheduler;
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            Threads.daemon("edgemq-consume"));
    long sweepMs = Math.max(10, Math.min(1_000, timeoutMs / 4));
    try {
      scheduler.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // the client is closing
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Watchdog dog : running) {
      if (now - dog.deadlineNanos >= 0 && running.remove(dog)) {
        dog.run(); // interrupts, then gives the message back asynchronously (no blocking)
      }
    }
  }

  void bind(ConsumerCore core) {
    this.core = core;
  }

  ExecutorService pool() {
    return pool;
  }

  @Override
  public void deliver(QueueState state, List<MessageView> messages) {
    if (orderly) {
      lanes.computeIfAbsent(state, Lane::new).add(messages);
    } else {
      for (MessageView m : messages) {
        submit(() -> consumeOne(state, m));
      }
    }
  }

  @Override
  public void discard(QueueState state) {
    Lane lane = lanes.remove(state);
    if (lane != null) {
      lane.clear();
    }
  }

  private void submit(Runnable r) {
    try {
      pool.execute(r);
    } catch (RejectedExecutionException closing) {
      // shutting down: the message stays uncommitted and is delivered again later
    }
  }

  private void later(Runnable r, long delayMs) {
    try {
      scheduler.schedule(() -> submit(r), delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // shutting down
    }
  }

  private void consumeOne(QueueState state, MessageView m) {
    if (state.dropped()) {
      return;
    }
    Outcome o = invoke(m, () -> failed(state, m, TIMEOUT));
    if (o.failure == null) {
      core.done(state, m.queueOffset());
    } else if (!o.timedOut) {
      failed(state, m, o.failure);
    }
  }

  private void failed(QueueState state, MessageView m, String reason) {
    if (!brokerRetry) {
      later(() -> consumeOne(state, m.redelivered()), backoffMs);
      return;
    }
    core.sendBack(state, m, reason, false, m.reconsumeTimes())
        .whenComplete(
            (r, e) -> {
              if (e == null && Codes.isOk(r.getStatus())) {
                core.done(state, m.queueOffset());
              } else {
                LOG.warn(
                    "giving back {} failed ({}); delivering it again here",
                    m,
                    e != null ? e.toString() : r.getStatus().getCode());
                later(() -> consumeOne(state, m.redelivered()), backoffMs);
              }
            });
  }

  /** What one listener call came to: null failure = success. */
  private record Outcome(String failure, boolean timedOut) {}

  /**
   * Runs the listener with a watchdog. When the watchdog fires first, it interrupts the listener
   * and runs {@code onTimeout}; the listener's later result is then ignored ({@code timedOut}).
   */
  private Outcome invoke(MessageView m, Runnable onTimeout) {
    Watchdog dog =
        new Watchdog(
            Thread.currentThread(),
            m,
            onTimeout,
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    running.add(dog);
    String failure;
    try {
      failure = listener.consume(m) == ConsumeResult.SUCCESS ? null : "FAILURE";
    } catch (RuntimeException e) {
      LOG.warn("listener failed on {} (attempt {}): {}", m, m.deliveryAttempt(), e.toString());
      failure = e.toString();
    } finally {
      running.remove(dog);
    }
    if (dog.finish()) {
      Thread.interrupted(); // the watchdog's interrupt must not reach the next task
      return new Outcome(TIMEOUT, true);
    }
    return new Outcome(failure, false);
  }

  /** Interrupts a listener running too long, at most once, and never after it finished. */
  private static final class Watchdog implements Runnable {
    private final Thread runner;
    private final MessageView message;
    private final Runnable onTimeout;
    private final long deadlineNanos;
    private boolean finished;
    private boolean fired;

    Watchdog(Thread runner, MessageView message, Runnable onTimeout, long deadlineNanos) {
      this.runner = runner;
      this.message = message;
      this.onTimeout = onTimeout;
      this.deadlineNanos = deadlineNanos;
    }

    @Override
    public void run() {
      synchronized (this) {
        if (finished) {
          return;
        }
        fired = true;
        runner.interrupt();
      }
      LOG.warn("listener timed out on {}; interrupted, counted as failed", message);
      onTimeout.run();
    }

    synchronized boolean finish() {
      finished = true;
      return fired;
    }
  }

  /** One queue's messages in order, processed by at most one thread at a time. */
  private final class Lane {
    private final QueueState state;
    private final ArrayDeque<MessageView> pending = new ArrayDeque<>();
    private boolean running;

    Lane(QueueState state) {
      this.state = state;
    }

    void add(List<MessageView> messages) {
      synchronized (this) {
        pending.addAll(messages);
        if (running) {
          return;
        }
        running = true;
      }
      submit(this::drain);
    }

    synchronized void clear() {
      pending.clear();
    }

    private void drain() {
      for (int i = 0; i < LANE_BURST; i++) {
        MessageView m;
        synchronized (this) {
          m = pending.peekFirst();
          if (m == null || state.dropped()) {
            pending.clear();
            running = false;
            return;
          }
        }
        String failure = invoke(m, () -> {}).failure;
        if (failure == null) {
          synchronized (this) {
            pending.pollFirst();
          }
          core.done(state, m.queueOffset());
        } else {
          retry(m, failure);
          return;
        }
      }
      submit(this::drain);
    }

    /** The queue waits: the same message again after the group's back-off, or dead-lettered. */
    private void retry(MessageView m, String failure) {
      if (!brokerRetry) {
        replaceHead(m, m.redelivered());
        later(this::drain, backoffMs);
        return;
      }
      core.sendBack(state, m, failure, true, m.reconsumeTimes())
          .whenComplete((r, e) -> afterSendBack(m, r, e));
    }

    private void afterSendBack(MessageView m, SendBackResponse r, Throwable e) {
      if (e != null || !Codes.isOk(r.getStatus())) {
        LOG.warn(
            "giving back {} failed ({}); retrying it here",
            m,
            e != null ? e.toString() : r.getStatus().getCode());
        replaceHead(m, m.redelivered());
        later(this::drain, backoffMs);
      } else if (r.getDeadLettered()) {
        synchronized (this) {
          if (pending.peekFirst() == m) {
            pending.pollFirst();
          }
        }
        core.done(state, m.queueOffset());
        submit(this::drain);
      } else {
        replaceHead(m, m.reconsumed(r.getReconsumeTimes()));
        later(this::drain, r.getRedeliverDelayMs());
      }
    }

    private synchronized void replaceHead(MessageView old, MessageView next) {
      if (pending.peekFirst() == old) {
        pending.pollFirst();
        pending.addFirst(next);
      }
    }
  }
}
