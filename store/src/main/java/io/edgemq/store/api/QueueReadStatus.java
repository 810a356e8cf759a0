package io.edgemq.store.api;

/** The outcome of reading a range of a consume queue. */
public enum QueueReadStatus {
  /** At least one message matched. */
  FOUND,
  /** The offset is the queue's end: nothing new yet. */
  NO_NEW_MESSAGE,
  /** Messages were scanned but none matched the filter; {@code nextOffset} moved past them. */
  NO_MATCHED_MESSAGE,
  /** The offset was deleted by retention; {@code nextOffset} is the first available offset. */
  OFFSET_GONE,
  /** The offset is past the queue's end; {@code nextOffset} is the end. */
  OFFSET_OVERFLOW,
  /** No message was ever stored in this topic and queue. */
  NO_QUEUE
}
