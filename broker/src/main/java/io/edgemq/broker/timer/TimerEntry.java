package io.edgemq.broker.timer;

import java.nio.ByteBuffer;
import java.util.Comparator;

/**
 * One scheduled message in a bucket file: when it fires, where its {@code %TIMER%} record is, and
 * whether firing delivers it or only writes it again (a roll, for waits longer than the roll
 * window).
 *
 * <pre>
 *  0               8               16              24
 *  +---------------+---------------+---------------+
 *  | fire at (ms)  | timer queue   | CommitLog     |   bit 63 of the CommitLog offset word
 *  |               | offset        | offset | ROLL |   is the ROLL flag
 *  +---------------+---------------+---------------+
 * </pre>
 *
 * All big-endian. Entries are ordered by (fire at, timer queue offset); that pair is unique per
 * record and is what the delivery checkpoint records.
 *
 * @param fireAt when it fires (epoch ms)
 * @param timerOffset its record's offset in the {@code %TIMER%} queue
 * @param physicalOffset its record's CommitLog offset
 * @param roll true: firing writes the record again instead of delivering it
 */
record TimerEntry(long fireAt, long timerOffset, long physicalOffset, boolean roll) {
  /** Bytes per entry. */
  static final int SIZE = 24;

  static final int FIRE_AT_OFFSET = 0;
  static final int TIMER_OFFSET_OFFSET = 8;
  static final int PHYSICAL_OFFSET_OFFSET = 16;
  private static final long ROLL_BIT = 1L << 63;

  /** Order of firing. */
  static final Comparator<TimerEntry> ORDER =
      Comparator.comparingLong(TimerEntry::fireAt).thenComparingLong(TimerEntry::timerOffset);

  /**
   * @param buf where to write, at its position (advanced by {@link #SIZE})
   */
  void write(ByteBuffer buf) {
    buf.putLong(fireAt).putLong(timerOffset).putLong(physicalOffset | (roll ? ROLL_BIT : 0));
  }

  /**
   * @param buf the bytes
   * @param at the entry's first byte
   * @return the entry
   */
  static TimerEntry read(ByteBuffer buf, int at) {
    long word = buf.getLong(at + PHYSICAL_OFFSET_OFFSET);
    return new TimerEntry(
        buf.getLong(at + FIRE_AT_OFFSET),
        buf.getLong(at + TIMER_OFFSET_OFFSET),
        word & ~ROLL_BIT,
        (word & ROLL_BIT) != 0);
  }

  /**
   * @param t a fire time
   * @param offset a timer queue offset
   * @return whether this entry comes after (t, offset) in firing order
   */
  boolean after(long t, long offset) {
    return fireAt > t || (fireAt == t && timerOffset > offset);
  }
}
