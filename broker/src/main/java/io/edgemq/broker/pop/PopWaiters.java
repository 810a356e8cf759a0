package io.edgemq.broker.pop;

import io.edgemq.store.api.ArrivalListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The parked receives, per topic. The store's dispatcher calls {@link #onArrival}; it only hands
 * matching waiters to the executor.
 */
final class PopWaiters implements ArrivalListener {
  private final Map<String, Set<PopWaiter>> byTopic = new ConcurrentHashMap<>();
  private final Executor executor;
  private final Consumer<PopWaiter> retry;

  PopWaiters(Executor executor, Consumer<PopWaiter> retry) {
    this.executor = executor;
    this.retry = retry;
  }

  /** Parks a waiter the caller owns. */
  void park(PopWaiter w) {
    w.state.set(PopWaiter.PARKED);
    byTopic.computeIfAbsent(w.topic(), t -> ConcurrentHashMap.newKeySet()).add(w);
  }

  /** Hands a parked waiter to the executor to try again, if nobody else took it. */
  void wake(PopWaiter w) {
    if (w.state.compareAndSet(PopWaiter.PARKED, PopWaiter.RUNNING)) {
      remove(w);
      try {
        executor.execute(() -> retry.accept(w));
      } catch (RejectedExecutionException e) {
        // closing: close() answers every waiter
        w.state.set(PopWaiter.DONE);
      }
    }
  }

  /**
   * @return true when the caller took the parked waiter and must answer it
   */
  boolean take(PopWaiter w) {
    if (w.state.compareAndSet(PopWaiter.PARKED, PopWaiter.DONE)) {
      remove(w);
      return true;
    }
    return false;
  }

  private void remove(PopWaiter w) {
    Set<PopWaiter> s = byTopic.get(w.topic());
    if (s != null) {
      s.remove(w);
    }
  }

  @Override
  public void onArrival(String topic, int queueId, long queueOffset, long tagHash) {
    Set<PopWaiter> s = byTopic.get(topic);
    if (s == null || s.isEmpty()) {
      return;
    }
    for (PopWaiter w : s) {
      if (w.queueIds.contains(queueId) && w.filter.filter().matchesTagHash(tagHash)) {
        wake(w);
      }
    }
  }

  /**
   * @return every parked waiter, for close
   */
  List<PopWaiter> all() {
    List<PopWaiter> out = new ArrayList<>();
    byTopic.values().forEach(out::addAll);
    return out;
  }
}
