package io.edgemq.client.consumer;

import io.edgemq.client.api.MessageView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pull consumer's {@link Sink}: fetched messages wait here per queue until {@link #poll} takes
 * them, round-robin over queues; a polled message counts as processed.
 */
final class PollBuffer implements Sink {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Map<QueueState, ArrayDeque<MessageView>> buffered = new LinkedHashMap<>();
  private volatile ConsumerCore core;

  void bind(ConsumerCore core) {
    this.core = core;
  }

  @Override
  public void deliver(QueueState state, List<MessageView> messages) {
    lock.lock();
    try {
      buffered.computeIfAbsent(state, s -> new ArrayDeque<>()).addAll(messages);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void discard(QueueState state) {
    lock.lock();
    try {
      buffered.remove(state);
    } finally {
      lock.unlock();
    }
  }

  List<MessageView> poll(long timeoutNanos, int max) throws InterruptedException {
    List<MessageView> out = new ArrayList<>();
    List<QueueState> from = new ArrayList<>();
    lock.lock();
    try {
      long left = timeoutNanos;
      while (buffered.isEmpty() && left > 0) {
        left = arrived.awaitNanos(left);
      }
      // round-robin: take from each queue in turn, moving served queues to the back
      boolean took = true;
      while (out.size() < max && took) {
        took = false;
        Iterator<Map.Entry<QueueState, ArrayDeque<MessageView>>> it =
            buffered.entrySet().iterator();
        List<Map.Entry<QueueState, ArrayDeque<MessageView>>> served = new ArrayList<>();
        while (it.hasNext() && out.size() < max) {
          Map.Entry<QueueState, ArrayDeque<MessageView>> e = it.next();
          MessageView m = e.getValue().pollFirst();
          if (m != null) {
            out.add(m);
            from.add(e.getKey());
            took = true;
          }
          it.remove();
          if (!e.getValue().isEmpty()) {
            served.add(e);
          }
        }
        for (Map.Entry<QueueState, ArrayDeque<MessageView>> e : served) {
          buffered.put(e.getKey(), e.getValue());
        }
      }
    } finally {
      lock.unlock();
    }
    for (int i = 0; i < out.size(); i++) {
      core.done(from.get(i), out.get(i).queueOffset());
    }
    return out;
  }

  static long nanos(java.time.Duration d) {
    return TimeUnit.MILLISECONDS.toNanos(d.toMillis());
  }
}
