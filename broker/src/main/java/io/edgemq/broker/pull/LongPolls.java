package io.edgemq.broker.pull;

import io.edgemq.store.api.ArrivalListener;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The parked pulls, per topic and queue. The store's dispatcher thread calls {@link #onArrival}; it
 * only hands matching waiters to the executor.
 */
final class LongPolls implements ArrivalListener {
  private record QueueKey(String topic, int queueId) {}

  private final Map<QueueKey, Queue<Waiter>> waiting = new ConcurrentHashMap<>();
  private final Executor executor;
  private final Consumer<Waiter> retry;

  LongPolls(Executor executor, Consumer<Waiter> retry) {
    this.executor = executor;
    this.retry = retry;
  }

  /** Adds a waiter (state must be PARKED). */
  void add(Waiter w) {
    waiting
        .computeIfAbsent(new QueueKey(w.topic(), w.queueId()), k -> new ConcurrentLinkedQueue<>())
        .add(w);
  }

  /** Takes a parked waiter out to re-read it on the executor, if nobody else owns it. */
  void wake(Waiter w) {
    if (w.state.compareAndSet(Waiter.PARKED, Waiter.RUNNING)) {
      remove(w);
      try {
        executor.execute(() -> retry.accept(w));
      } catch (RejectedExecutionException e) {
        // Closing: the broker answers every parked pull itself.
        w.state.set(Waiter.DONE);
      }
    }
  }

  /**
   * @return true when the caller now owns the waiter (it was parked) and must answer it
   */
  boolean finish(Waiter w) {
    if (w.state.compareAndSet(Waiter.PARKED, Waiter.DONE)) {
      remove(w);
      return true;
    }
    return false;
  }

  void remove(Waiter w) {
    Queue<Waiter> q = waiting.get(new QueueKey(w.topic(), w.queueId()));
    if (q != null) {
      q.remove(w);
    }
  }

  @Override
  public void onArrival(String topic, int queueId, long queueOffset, long tagHash) {
    Queue<Waiter> q = waiting.get(new QueueKey(topic, queueId));
    if (q == null || q.isEmpty()) {
      return;
    }
    for (Waiter w : q) {
      if (queueOffset >= w.offset && w.filter.filter().matchesTagHash(tagHash)) {
        wake(w);
      }
    }
  }

  /** Every parked waiter, for close. */
  Iterable<Waiter> all() {
    return () -> waiting.values().stream().flatMap(Queue::stream).iterator();
  }
}
