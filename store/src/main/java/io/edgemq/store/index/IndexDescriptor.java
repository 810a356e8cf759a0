package io.edgemq.store.index;

import java.nio.charset.StandardCharsets;

/**
 * Byte layout of one index file, in the style of a record descriptor: the offsets are constants and
 * the position of a slot or entry is a small static function, so the layout lives in one place and
 * the code that reads or writes the file never does offset arithmetic of its own.
 *
 * <p>Every multi-byte value is big-endian (the {@link java.nio.ByteBuffer} default). The file has a
 * fixed size, {@link #fileLength(int, int)}, and is named by its creation time in milliseconds,
 * zero-padded to 20 digits ({@link #fileName(long)}).
 *
 * <pre>
 * Header (64 bytes)
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Magic + format version (long)                |  0
 *  +---------------------------------------------------------------+
 *  |       Begin timestamp: store time of first entry, ms (long)   |  8
 *  +---------------------------------------------------------------+
 *  |       End timestamp: store time of last entry, ms (long)      | 16
 *  +---------------------------------------------------------------+
 *  |       Begin physical offset: CommitLog offset of first entry  | 24
 *  +---------------------------------------------------------------+
 *  |       End physical offset: CommitLog offset of last entry     | 32
 *  +-------------------------------+-------------------------------+
 *  |        Slot count (int)       |     Max entries (int)         | 40
 *  +-------------------------------+-------------------------------+
 *  |        Entry count (int)      |     Reserved (12 bytes) ...   | 48
 *  +-------------------------------+                               |
 *  |                             ...                               | 56
 *  +---------------------------------------------------------------+
 *
 * Slots (slot count x 4 bytes), starting at byte 64
 *  +-------------------------------+
 *  | Head entry number (int)       |  1-based number of the newest entry whose key hash
 *  +-------------------------------+  falls into this slot; 0 = empty slot
 *  |             ...               |
 *
 * Entries (max entries x 24 bytes), starting at byte 64 + 4 x slot count
 *  +---------------------------------------------------------------+
 *  |          Key hash: FNV-1a 64 of the UTF-8 key (long)          |  0
 *  +---------------------------------------------------------------+
 *  |          Physical offset in the CommitLog (long)              |  8
 *  +-------------------------------+-------------------------------+
 *  | Time delta: store time minus  | Previous entry number in the  | 16
 *  | begin timestamp, ms (int)     | slot's chain, 0 = end (int)   |
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>Entry number {@code n} (1-based) lives at {@link #entryOffset(int, int)}. An empty file has
 * entry count 0 and all four timestamp/offset header fields 0.
 */
public final class IndexDescriptor {

  /** ASCII {@code "EDGEIDX"} followed by the format version byte {@code 0x01}. */
  public static final long MAGIC = 0x45_44_47_45_49_44_58_01L;

  /** Length of the file header in bytes. */
  public static final int HEADER_LENGTH = 64;

  /** Header: magic and format version. */
  public static final int MAGIC_OFFSET = 0;

  /** Header: store timestamp of the first entry; time deltas are relative to it. */
  public static final int BEGIN_TIMESTAMP_OFFSET = 8;

  /** Header: store timestamp of the last entry. */
  public static final int END_TIMESTAMP_OFFSET = 16;

  /** Header: physical offset of the first entry. */
  public static final int BEGIN_PHYSICAL_OFFSET_OFFSET = 24;

  /** Header: physical offset of the last entry. */
  public static final int END_PHYSICAL_OFFSET_OFFSET = 32;

  /** Header: number of hash slots. */
  public static final int SLOT_COUNT_OFFSET = 40;

  /** Header: capacity in entries. */
  public static final int MAX_ENTRIES_OFFSET = 44;

  /** Header: number of entries written; entries above it are not part of the file. */
  public static final int ENTRY_COUNT_OFFSET = 48;

  /** Length of one hash slot in bytes. */
  public static final int SLOT_LENGTH = 4;

  /** Length of one entry in bytes. */
  public static final int ENTRY_LENGTH = 24;

  /** Entry: 64-bit hash of the key. */
  public static final int KEY_HASH_OFFSET = 0;

  /** Entry: physical offset of the message in the CommitLog. */
  public static final int PHYSICAL_OFFSET_OFFSET = 8;

  /** Entry: store time minus the file's begin timestamp, in ms. */
  public static final int TIME_DELTA_OFFSET = 16;

  /** Entry: number of the previous entry in the same slot's chain. */
  public static final int PREVIOUS_ENTRY_OFFSET = 20;

  /** Entry number meaning "no entry" (empty slot, end of chain). */
  public static final int NO_ENTRY = 0;

  /** Length of an index file name: the creation time in ms, zero-padded. */
  public static final int FILE_NAME_LENGTH = 20;

  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private IndexDescriptor() {}

  /**
   * Total file length for the given geometry. Returned as a long so that callers can reject
   * geometries that do not fit into one mapped buffer (2 GiB - 1) before doing int arithmetic.
   */
  public static long fileLength(int slotCount, int maxEntries) {
    return HEADER_LENGTH + (long) slotCount * SLOT_LENGTH + (long) maxEntries * ENTRY_LENGTH;
  }

  /** Byte position of a hash slot; {@code slot} is 0-based. */
  public static int slotOffset(int slot) {
    return HEADER_LENGTH + slot * SLOT_LENGTH;
  }

  /** Byte position of entry number {@code entryNumber} (1-based). */
  public static int entryOffset(int slotCount, int entryNumber) {
    return HEADER_LENGTH + slotCount * SLOT_LENGTH + (entryNumber - 1) * ENTRY_LENGTH;
  }

  /** The slot a key hash belongs to; floorMod keeps negative hashes in range. */
  public static int slotOf(long keyHash, int slotCount) {
    return Math.floorMod(keyHash, slotCount);
  }

  /**
   * 64-bit FNV-1a hash of the key's UTF-8 bytes. Stable across JVMs and releases (unlike {@link
   * String#hashCode()} it is fixed by this format), because it is persisted in the files.
   */
  public static long keyHash(String key) {
    long hash = FNV_OFFSET_BASIS;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    return hash;
  }

  /** File name for a file created at {@code creationMillis}: 20 digits, zero-padded. */
  public static String fileName(long creationMillis) {
    return String.format("%020d", creationMillis);
  }

  /** Whether {@code name} looks like an index file name (exactly 20 decimal digits). */
  public static boolean isFileName(String name) {
    if (name.length() != FILE_NAME_LENGTH) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
