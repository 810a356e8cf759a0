package io.edgemq.store.consumequeue;

import static io.edgemq.store.consumequeue.ConsumeQueueUnit.*;

import io.edgemq.store.file.MappedFile;
import io.edgemq.store.file.SegmentedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic-queue's index into the CommitLog. The dispatcher thread is its only writer; it
 * publishes each unit by advancing {@link #maxOffset()}, so readers never see a half-written unit.
 */
public final class ConsumeQueue {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumeQueue.class);

  private final String topic;
  private final int queueId;
  private final SegmentedFile files;
  private volatile long maxOffset;
  private volatile long minOffset;
  private long flushedPosition;

  ConsumeQueue(String topic, int queueId, Path dir, int unitsPerFile, boolean preallocate) {
    this.topic = topic;
    this.queueId = queueId;
    this.files = new SegmentedFile(dir, unitsPerFile * SIZE, preallocate, null);
  }

  /**
   * @return the topic
   */
  public String topic() {
    return topic;
  }

  /**
   * @return the queue id
   */
  public int queueId() {
    return queueId;
  }

  /**
   * @return the offset the next unit gets; the queue's end
   */
  public long maxOffset() {
    return maxOffset;
  }

  /**
   * @return the first offset still readable
   */
  public long minOffset() {
    return minOffset;
  }

  void load() throws IOException {
    files.load();
    MappedFile last = files.last();
    if (last == null) {
      return;
    }
    ByteBuffer v = last.view();
    int p = last.size() - SIZE;
    while (p >= 0 && v.getInt(p + RECORD_SIZE_OFFSET) == 0 && v.getLong(p) == 0) {
      p -= SIZE;
    }
    maxOffset = (last.baseOffset() + p + SIZE) / SIZE;
    minOffset = files.minOffset() / SIZE;
    flushedPosition = position(maxOffset);
  }

  /**
   * Adds a unit. Offsets below the end are already present (re-dispatch after recovery) and are
   * skipped; a gap is filled with holes and logged.
   *
   * @throws IOException when a new file cannot be created
   */
  public void put(long queueOffset, long physicalOffset, int size, long tagHash)
      throws IOException {
    if (queueOffset < maxOffset) {
      return;
    }
    if (queueOffset > maxOffset) {
      LOG.warn(
          "{}-{}: units {}..{} missing; left as holes", topic, queueId, maxOffset, queueOffset - 1);
      // Holes are zero already when the file is new; write them anyway for reused space.
      for (long o = maxOffset; o < queueOffset; o++) {
        writeUnit(o, 0, 0, 0);
      }
    }
    writeUnit(queueOffset, physicalOffset, size, tagHash);
    maxOffset = queueOffset + 1;
  }

  private void writeUnit(long queueOffset, long phys, int size, long tagHash) throws IOException {
    long pos = position(queueOffset);
    MappedFile f = files.findOrCreate(pos);
    int p = (int) (pos - f.baseOffset());
    f.putLong(p + PHYSICAL_OFFSET_OFFSET, phys);
    f.putInt(p + RECORD_SIZE_OFFSET, size);
    f.putLong(p + TAG_HASH_OFFSET, tagHash);
  }

  /**
   * Reads units starting at an offset, up to the batch capacity, the queue end, or the end of one
   * file (a read never spans files, to keep the reference held short).
   *
   * @param from the first queue offset, at least {@link #minOffset()}
   * @param out filled with the units
   * @return false when the file holding {@code from} was deleted meanwhile
   */
  public boolean read(long from, UnitBatch out) {
    out.count = 0;
    long end = Math.min(maxOffset, from + out.capacity());
    if (from >= end) {
      return true;
    }
    MappedFile f = files.find(position(from));
    if (f == null || !f.acquire()) {
      return false;
    }
    try {
      ByteBuffer v = f.view();
      long fileEnd = f.endOffset() / SIZE;
      for (long o = from; o < end && o < fileEnd; o++) {
        int p = (int) (position(o) - f.baseOffset());
        out.physicalOffsets[out.count] = v.getLong(p + PHYSICAL_OFFSET_OFFSET);
        out.sizes[out.count] = v.getInt(p + RECORD_SIZE_OFFSET);
        out.tagHashes[out.count] = v.getLong(p + TAG_HASH_OFFSET);
        out.count++;
      }
      return true;
    } finally {
      f.release();
    }
  }

  /**
   * Drops units that point at or past the recovered end of the CommitLog.
   *
   * @param commitLogEnd the recovered end
   * @return how many units were dropped
   */
  long truncateAfter(long commitLogEnd) {
    UnitBatch one = new UnitBatch(1);
    long end = maxOffset;
    while (end > minOffset && read(end - 1, one) && one.count == 1) {
      boolean hole = one.sizes[0] == 0;
      if (!hole && one.physicalOffsets[0] + one.sizes[0] <= commitLogEnd) {
        break;
      }
      end--;
    }
    long dropped = maxOffset - end;
    if (dropped > 0) {
      files.truncate(position(end));
      maxOffset = end;
      flushedPosition = Math.min(flushedPosition, position(end));
    }
    return dropped;
  }

  /**
   * Retention: deletes files wholly below the CommitLog's first offset, then moves the min offset
   * to the first unit still pointing into the CommitLog.
   *
   * @param commitLogMin the first CommitLog offset on disk
   * @return how many files were deleted
   */
  int deleteBelow(long commitLogMin) {
    UnitBatch one = new UnitBatch(1);
    int deleted =
        files
            .deleteFromHead(
                f -> {
                  long lastUnit = f.endOffset() / SIZE - 1;
                  return lastUnit < maxOffset
                      && read(lastUnit, one)
                      && one.count == 1
                      && one.physicalOffsets[0] < commitLogMin;
                })
            .size();
    long min = Math.max(minOffset, files.minOffset() / SIZE);
    while (min < maxOffset && read(min, one) && one.count == 1) {
      if (one.sizes[0] != 0 && one.physicalOffsets[0] >= commitLogMin) {
        break;
      }
      min++;
    }
    minOffset = min;
    return deleted;
  }

  /** Forces units written since the last flush. */
  void flush() {
    long end = position(maxOffset);
    if (end > flushedPosition) {
      files.force(flushedPosition, end);
      flushedPosition = end;
    }
  }

  void close() {
    files.close();
  }
}
