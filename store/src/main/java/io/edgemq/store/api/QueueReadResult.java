package io.edgemq.store.api;

import java.util.List;

/**
 * The outcome of reading a range of a consume queue.
 *
 * @param status what happened
 * @param messages the matching messages, in queue order
 * @param nextOffset where the next read should start
 * @param minOffset the first available offset of the queue
 * @param maxOffset the queue's end (the offset the next message will get)
 * @param corruptedOffsets queue offsets in the scanned range whose records failed their checksum;
 *     they are reported here and in the log, and the read moves past them
 */
public record QueueReadResult(
    QueueReadStatus status,
    List<StoredMessage> messages,
    long nextOffset,
    long minOffset,
    long maxOffset,
    List<Long> corruptedOffsets) {

  /** Copies the lists. */
  public QueueReadResult {
    messages = List.copyOf(messages);
    corruptedOffsets = List.copyOf(corruptedOffsets);
  }
}
