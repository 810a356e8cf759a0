package io.edgemq.store.commitlog;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The next queue offset of every topic and queue. Guarded by the CommitLog's append lock, so the
 * order of queue offsets always matches the order of records in the log.
 */
final class QueueOffsets {
  private final Map<String, long[]> next = new HashMap<>();

  /** Reserves {@code count} offsets and returns the first. */
  long reserve(String topic, int queueId, int count) {
    long[] queues = next.get(topic);
    if (queues == null || queues.length <= queueId) {
      queues = queues == null ? new long[queueId + 1] : Arrays.copyOf(queues, queueId + 1);
      next.put(topic, queues);
    }
    long first = queues[queueId];
    queues[queueId] = first + count;
    return first;
  }

  /** Sets a queue's next offset, after recovery. */
  void set(String topic, int queueId, long nextOffset) {
    reserve(topic, queueId, 0);
    next.get(topic)[queueId] = nextOffset;
  }
}
