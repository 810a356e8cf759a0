package io.edgemq.client.consumer;

import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.rpc.Endpoint;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** What a consumer holds of one assigned queue: where it pulls, its tracker, its epoch. */
public final class QueueState {
  final MessageQueue queue;
  final OffsetTracker tracker = new OffsetTracker(0);
  final AtomicBoolean paused = new AtomicBoolean();
  volatile Endpoint endpoint;
  volatile long pullOffset;
  volatile long epoch;
  volatile long lastCommitted = -1;
  volatile boolean started;
  volatile boolean dropped;
  volatile int generation;
  Long pendingSeek;
  volatile CompletableFuture<?> currentPull;

  QueueState(MessageQueue queue, Endpoint endpoint) {
    this.queue = queue;
    this.endpoint = endpoint;
  }

  /**
   * @return the queue
   */
  public MessageQueue queue() {
    return queue;
  }

  /**
   * @return whether the queue was revoked or the consumer is closing: skip its queued messages
   */
  public boolean dropped() {
    return dropped;
  }

  /**
   * @return the offset tracker
   */
  public OffsetTracker tracker() {
    return tracker;
  }

  void startAt(long offset, long epoch) {
    this.tracker.reset(offset);
    this.pullOffset = offset;
    this.epoch = epoch;
    this.started = true;
  }

  void cancelPull() {
    CompletableFuture<?> p = currentPull;
    if (p != null) {
      p.cancel(false);
    }
  }
}
