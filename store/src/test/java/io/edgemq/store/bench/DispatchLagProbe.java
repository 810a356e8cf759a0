package io.edgemq.store.bench;

import io.edgemq.store.api.ArrivalListener;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Measures how long after its append is acknowledged a message becomes readable (the arrival
 * listener fires once its consume-queue unit is written).
 *
 * <p>The listener is not given the body, so the two sides meet in a map keyed by (queue id, queue
 * offset). At high rates only every 64th queue offset is sampled, chosen by the offset itself so
 * both sides agree without talking, and so the dispatcher thread (whose speed is being measured)
 * does almost nothing extra for the other 63. Either side may come first: under ASYNC the
 * dispatcher often makes a message readable before the writer's {@code join()} returns; then the
 * lag is recorded as 0 and counted as "readable before ack".
 */
final class DispatchLagProbe implements ArrivalListener {
  private final String topic;
  private final long sampleMask;
  private final ConcurrentHashMap<Long, long[]> pending = new ConcurrentHashMap<>();
  private final Recorder ackToReadable = new Recorder(3);
  private final Recorder appendToReadable = new Recorder(3);
  private final LongAdder readableFirst = new LongAdder();

  /**
   * @param topic the topic to follow
   * @param sampleEvery sample queue offsets that are a multiple of this power of two
   */
  DispatchLagProbe(String topic, int sampleEvery) {
    if (Integer.bitCount(sampleEvery) != 1) {
      throw new IllegalArgumentException("sampleEvery must be a power of two: " + sampleEvery);
    }
    this.topic = topic;
    this.sampleMask = sampleEvery - 1;
  }

  /** Lag samples of one interval. */
  record Interval(Histogram ackToReadable, Histogram appendToReadable, long readableBeforeAck) {}

  private boolean sampled(long queueOffset) {
    return (queueOffset & sampleMask) == 0;
  }

  private static long key(int queueId, long queueOffset) {
    return ((long) queueId << 40) | queueOffset;
  }

  /**
   * Called by a writer once its append is acknowledged.
   *
   * @param queueId the message's queue
   * @param queueOffset its queue offset
   * @param startNanos when the append call started
   * @param ackNanos when its future completed, as the writer saw it
   */
  void acked(int queueId, long queueOffset, long startNanos, long ackNanos) {
    if (!sampled(queueOffset)) {
      return;
    }
    long key = key(queueId, queueOffset);
    long[] arrival = pending.putIfAbsent(key, new long[] {startNanos, ackNanos});
    if (arrival != null) {
      pending.remove(key);
      readableFirst.increment();
      ackToReadable.recordValue(0);
      appendToReadable.recordValue(Math.max(0, arrival[0] - startNanos));
    }
  }

  @Override
  public void onArrival(String topic, int queueId, long queueOffset, long tagHash) {
    if (!sampled(queueOffset) || !this.topic.equals(topic)) {
      return;
    }
    long now = System.nanoTime();
    long key = key(queueId, queueOffset);
    long[] append = pending.putIfAbsent(key, new long[] {now});
    if (append != null) {
      pending.remove(key);
      ackToReadable.recordValue(Math.max(0, now - append[1]));
      appendToReadable.recordValue(Math.max(0, now - append[0]));
    }
  }

  /** Drops what was recorded so far (the warm-up). */
  void startInterval() {
    ackToReadable.getIntervalHistogram();
    appendToReadable.getIntervalHistogram();
    readableFirst.reset();
  }

  /**
   * @return what was recorded since {@link #startInterval()}
   */
  Interval endInterval() {
    return new Interval(
        ackToReadable.getIntervalHistogram(),
        appendToReadable.getIntervalHistogram(),
        readableFirst.sum());
  }
}
