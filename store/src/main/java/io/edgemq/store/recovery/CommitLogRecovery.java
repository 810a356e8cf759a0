package io.edgemq.store.recovery;

import io.edgemq.store.commitlog.RecordDecoder;
import io.edgemq.store.commitlog.RecordDecoder.Check;
import io.edgemq.store.commitlog.RecordDecoder.Kind;
import io.edgemq.store.file.MappedFile;
import io.edgemq.store.file.SegmentedFile;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the valid end of the CommitLog after an unclean stop, scanning from the checkpoint.
 *
 * <p>A record that fails its checks ends the log (a torn tail) unless the record its size points to
 * is valid: then only that record is damaged, it is reported and kept, and the scan goes on.
 * Truncating at the first unrecoverable record never drops a SYNC-acknowledged record: an
 * acknowledgement means a force covered every byte before it, and records are copied in order.
 */
public final class CommitLogRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(CommitLogRecovery.class);

  /**
   * What the scan found.
   *
   * @param end the recovered end
   * @param scannedFrom where the scan started
   * @param records how many valid records were scanned
   * @param truncatedBytes non-zero bytes cleared past the end
   * @param corruptedOffsets damaged records kept in place
   */
  public record Result(
      long end, long scannedFrom, long records, long truncatedBytes, List<Long> corruptedOffsets) {}

  private CommitLogRecovery() {}

  /**
   * Scans and truncates.
   *
   * @param segments the loaded segments
   * @param from a record boundary known to be valid (the checkpoint), or 0
   * @return the result
   */
  public static Result recover(SegmentedFile segments, long from) {
    if (segments.isEmpty()) {
      return new Result(0, 0, 0, 0, List.of());
    }
    long start = Math.max(from, segments.minOffset());
    long offset = start;
    long records = 0;
    List<Long> corrupted = new ArrayList<>();
    while (true) {
      MappedFile seg = segments.find(offset);
      if (seg == null) {
        break;
      }
      int pos = (int) (offset - seg.baseOffset());
      Check c = RecordDecoder.check(seg.view(), pos, seg.baseOffset());
      if (c.kind() == Kind.MESSAGE) {
        records++;
        offset += c.size();
      } else if (c.kind() == Kind.BLANK) {
        offset = seg.endOffset();
      } else if (c.kind() == Kind.END) {
        break;
      } else if (followedByValid(seg, pos, c)) {
        LOG.error(
            "CommitLog record at {} is corrupted ({}); kept and reported", offset, c.reason());
        corrupted.add(offset);
        offset += c.size();
      } else {
        LOG.warn("CommitLog torn at {} ({}); truncating there", offset, c.reason());
        break;
      }
    }
    long cleared = segments.truncate(offset);
    return new Result(offset, start, records, cleared, corrupted);
  }

  private static boolean followedByValid(MappedFile seg, int pos, Check c) {
    long next = (long) pos + c.size();
    if (c.size() <= 0 || next + 8 > seg.size()) {
      return false;
    }
    Kind k = RecordDecoder.check(seg.view(), (int) next, seg.baseOffset()).kind();
    return k == Kind.MESSAGE || k == Kind.BLANK;
  }
}
