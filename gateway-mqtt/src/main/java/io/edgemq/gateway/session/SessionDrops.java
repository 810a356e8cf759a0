package io.edgemq.gateway.session;

import java.util.concurrent.atomic.LongAdder;

/** Messages the sessions of one node did not keep, counted for the metrics. */
public final class SessionDrops {
  private final LongAdder queueFull = new LongAdder();
  private final LongAdder offline = new LongAdder();

  /**
   * @return messages dropped because a session's queue was full ({@code maxQueuedPerSession})
   */
  public long queueFull() {
    return queueFull.sum();
  }

  /**
   * @return QoS 0 messages (and any for a non-persistent session) matched while it was offline
   */
  public long offline() {
    return offline.sum();
  }

  void droppedQueueFull() {
    queueFull.increment();
  }

  void droppedOffline() {
    offline.increment();
  }
}
