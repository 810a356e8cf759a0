package io.edgemq.store.commitlog;

import io.edgemq.store.file.MappedFile;
import io.edgemq.store.file.SegmentedFile;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * SYNC mode's write path: writers copy records into this ring under the append lock (a memory copy,
 * no system call), and the flush thread writes everything staged to the segment files with one
 * positional write per segment just before it forces them.
 *
 * <p>Why not write each record to the file at once: a record's page is often still being written
 * back by the previous force, and a write to a page under writeback waits for it, with the append
 * lock held, so no writer could queue for the next force while one is running. Staging lets the
 * next group gather during the current force. Readers only see what is committed to the files.
 */
final class StagingBuffer {
  private static final byte[] ZEROS = new byte[64 * 1024];

  private final SegmentedFile segments;
  private final ByteBuffer ring;
  private final int capacity;
  private final Runnable wakeFlusher;
  private volatile long committed;

  /**
   * Creates the ring.
   *
   * @param segments the files to commit into
   * @param capacity ring size; at least twice the largest record
   * @param start the log offset the ring starts at
   * @param wakeFlusher asks the flush thread to commit, when the ring is full
   */
  StagingBuffer(SegmentedFile segments, int capacity, long start, Runnable wakeFlusher) {
    this.segments = segments;
    this.capacity = capacity;
    this.ring = ByteBuffer.allocateDirect(capacity);
    this.committed = start;
    this.wakeFlusher = wakeFlusher;
  }

  /**
   * @return the offset below which everything is written to the files
   */
  long committedOffset() {
    return committed;
  }

  /** Stages a record at a log offset. Under the append lock; waits while the ring is full. */
  void put(long offset, byte[] src, int off, int len) {
    awaitSpace(offset + len);
    int p = (int) (offset % capacity);
    int first = Math.min(len, capacity - p);
    ring.put(p, src, off, first);
    if (len > first) {
      ring.put(0, src, off + first, len - first);
    }
  }

  /** Stages the blank that pads a segment's end: size, magic, then zeros. */
  void putBlank(long offset, int length) {
    byte[] head =
        ByteBuffer.allocate(RecordDescriptor.BLANK_MIN_LENGTH)
            .putInt(RecordDescriptor.TOTAL_SIZE_OFFSET, length)
            .putInt(RecordDescriptor.MAGIC_OFFSET, RecordDescriptor.BLANK_MAGIC)
            .array();
    put(offset, head, 0, head.length);
    for (long o = offset + head.length; o < offset + length; o += ZEROS.length) {
      put(o, ZEROS, 0, (int) Math.min(ZEROS.length, offset + length - o));
    }
  }

  private void awaitSpace(long end) {
    while (end - committed > capacity) {
      wakeFlusher.run();
      LockSupport.parkNanos(50_000L);
    }
  }

  /**
   * Writes everything staged below {@code upTo} to the segment files. Flush thread only.
   *
   * @param upTo the written offset of the log
   * @throws java.io.UncheckedIOException if a write fails
   */
  void commit(long upTo) {
    long from = committed;
    while (from < upTo) {
      MappedFile seg = segments.find(from);
      if (seg == null || !seg.acquire()) {
        throw new IllegalStateException("no segment holds staged offset " + from);
      }
      try {
        long end = Math.min(upTo, seg.endOffset());
        int pos = (int) (from - seg.baseOffset());
        int p = (int) (from % capacity);
        int len = (int) (end - from);
        int first = Math.min(len, capacity - p);
        seg.write(pos, ring.slice(p, first));
        if (len > first) {
          seg.write(pos + first, ring.slice(0, len - first));
        }
        from = end;
      } finally {
        seg.release();
      }
    }
    committed = upTo;
  }
}
