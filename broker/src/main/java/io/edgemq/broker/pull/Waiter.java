package io.edgemq.broker.pull;

import io.edgemq.protocol.v1.PullRequest;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A parked pull. Exactly one party owns it at a time, by the state transitions PARKED to RUNNING (a
 * wake-up re-reads), PARKED to DONE (timeout, cancel, close) and RUNNING to PARKED or DONE.
 */
final class Waiter {
  static final int PARKED = 0;
  static final int RUNNING = 1;
  static final int DONE = 2;

  final PullRequest request;
  final TagFilter filter;
  final PullCall call;
  final long deadlineNanos;
  final AtomicInteger state = new AtomicInteger(RUNNING);
  volatile long offset;
  volatile boolean expired;
  volatile ScheduledFuture<?> timeout;

  Waiter(PullRequest request, TagFilter filter, PullCall call, long deadlineNanos) {
    this.request = request;
    this.filter = filter;
    this.call = call;
    this.deadlineNanos = deadlineNanos;
    this.offset = request.getOffset();
  }

  String topic() {
    return request.getTopic();
  }

  int queueId() {
    return request.getQueueId();
  }
}
