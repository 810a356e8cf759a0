package io.edgemq.broker.pop;

import io.edgemq.broker.pull.TagFilter;
import io.edgemq.protocol.v1.ReceiveRequest;
import io.edgemq.protocol.v1.ReceiveResponse;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A receive that found nothing and waits. One party owns it at a time, by the state transitions
 * PARKED to RUNNING (a wake-up tries again), PARKED to DONE (cancel, close) and RUNNING to PARKED
 * or DONE.
 */
final class PopWaiter {
  static final int PARKED = 0;
  static final int RUNNING = 1;
  static final int DONE = 2;

  final ReceiveRequest request;
  final TagFilter filter;
  final List<Integer> queueIds;
  final long deadlineNanos;
  final AtomicInteger state = new AtomicInteger(RUNNING);
  private final Consumer<ReceiveResponse> answer;
  volatile ScheduledFuture<?> timer;

  PopWaiter(
      ReceiveRequest request,
      TagFilter filter,
      List<Integer> queueIds,
      long deadlineNanos,
      Consumer<ReceiveResponse> answer) {
    this.request = request;
    this.filter = filter;
    this.queueIds = List.copyOf(queueIds);
    this.deadlineNanos = deadlineNanos;
    this.answer = answer;
  }

  String topic() {
    return request.getTopic();
  }

  String group() {
    return request.getConsumerGroup();
  }

  /** Answers once (the caller owns the waiter) and stops its timer. */
  void finish(ReceiveResponse r) {
    state.set(DONE);
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
    answer.accept(r);
  }
}
