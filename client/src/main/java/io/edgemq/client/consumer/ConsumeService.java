package io.edgemq.client.consumer;

import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.MessageListener;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.rpc.Threads;
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
 * messages one at a time, in order. A failed message (FAILURE or an exception) stays in flight, so
 * its offset is not committed, and is delivered again after the back-off; in orderly mode the lane
 * waits for it. The pool's work queue is unbounded, but each queue's pulls pause at {@code
 * maxInFlightPerQueue} unprocessed messages, which bounds it.
 */
final class ConsumeService implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumeService.class);
  private static final int LANE_BURST = 64;

  private final MessageListener listener;
  private final boolean orderly;
  private final long backoffMs;
  private final ScheduledExecutorService scheduler;
  private final ThreadPoolExecutor pool;
  private final Map<QueueState, Lane> lanes = new ConcurrentHashMap<>();
  private volatile ConsumerCore core;

  ConsumeService(
      MessageListener listener,
      boolean orderly,
      int threads,
      long backoffMs,
      ScheduledExecutorService scheduler) {
    this.listener = listener;
    this.orderly = orderly;
    this.backoffMs = backoffMs;
    this.scheduler = scheduler;
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            Threads.daemon("edgemq-consume"));
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

  private void later(Runnable r) {
    try {
      scheduler.schedule(() -> submit(r), backoffMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // shutting down
    }
  }

  private void consumeOne(QueueState state, MessageView m) {
    if (state.dropped()) {
      return;
    }
    if (invoke(m)) {
      core.done(state, m.queueOffset());
    } else {
      later(() -> consumeOne(state, m.redelivered()));
    }
  }

  private boolean invoke(MessageView m) {
    try {
      return listener.consume(m) == ConsumeResult.SUCCESS;
    } catch (RuntimeException e) {
      LOG.warn("listener failed on {} (attempt {}): {}", m, m.deliveryAttempt(), e.toString());
      return false;
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
        if (invoke(m)) {
          synchronized (this) {
            pending.pollFirst();
          }
          core.done(state, m.queueOffset());
        } else {
          synchronized (this) {
            if (pending.peekFirst() == m) {
              pending.pollFirst();
              pending.addFirst(m.redelivered());
            }
          }
          later(this::drain);
          return;
        }
      }
      submit(this::drain);
    }
  }
}
