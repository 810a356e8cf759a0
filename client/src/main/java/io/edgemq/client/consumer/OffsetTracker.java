package io.edgemq.client.consumer;

import java.util.List;
import java.util.TreeSet;

/**
 * The consumed position of one queue. Messages are received in queue order and finish in any order;
 * the committable offset is the lowest offset still in flight, or, with nothing in flight, the
 * offset after the last received batch (which also covers messages the broker's filter skipped). So
 * only a contiguous prefix of finished messages is ever committed.
 */
public final class OffsetTracker {
  private final TreeSet<Long> inFlight = new TreeSet<>();
  private long next;

  /**
   * @param start the offset to consume from
   */
  public OffsetTracker(long start) {
    this.next = start;
  }

  /**
   * Records a received batch.
   *
   * @param offsets the batch's queue offsets
   * @param nextOffset where the next pull starts (after the batch and skipped messages)
   */
  public synchronized void received(List<Long> offsets, long nextOffset) {
    inFlight.addAll(offsets);
    next = Math.max(next, nextOffset);
  }

  /**
   * Records that a message was processed.
   *
   * @param offset its queue offset
   * @return how many messages are still in flight
   */
  public synchronized int done(long offset) {
    inFlight.remove(offset);
    return inFlight.size();
  }

  /**
   * @return the offset to commit: nothing before it is in flight
   */
  public synchronized long committable() {
    return inFlight.isEmpty() ? next : inFlight.first();
  }

  /**
   * @return how many messages were received and not yet processed
   */
  public synchronized int inFlightCount() {
    return inFlight.size();
  }

  /**
   * Forgets everything and starts again at an offset (seek, offset reset).
   *
   * @param offset the new start
   */
  public synchronized void reset(long offset) {
    inFlight.clear();
    next = offset;
  }
}
