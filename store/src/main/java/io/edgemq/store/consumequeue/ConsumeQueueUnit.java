package io.edgemq.store.consumequeue;

/**
 * The layout of one consume-queue unit; unit {@code n} of a queue lives at byte {@code n * 20}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                CommitLog physical offset (long)               |  0
 *  +---------------------------------------------------------------+
 *  |                    record size (int)                          |  8
 *  +---------------------------------------------------------------+
 *  |                    tag hash (long)                            | 12
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>A unit of all zeros was never written: past the end of the queue, or a hole where a record
 * could not be dispatched (reported as corrupted by readers).
 */
public final class ConsumeQueueUnit {
  /** Bytes per unit. */
  public static final int SIZE = 20;

  /** Offset of the physical offset. */
  public static final int PHYSICAL_OFFSET_OFFSET = 0;

  /** Offset of the record size. */
  public static final int RECORD_SIZE_OFFSET = 8;

  /** Offset of the tag hash. */
  public static final int TAG_HASH_OFFSET = 12;

  private ConsumeQueueUnit() {}

  /**
   * The byte position of a queue offset.
   *
   * @param queueOffset the queue offset
   * @return its byte position in the queue's logical address space
   */
  public static long position(long queueOffset) {
    return queueOffset * SIZE;
  }
}
