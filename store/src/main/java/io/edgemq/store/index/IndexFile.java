package io.edgemq.store.index;

import static io.edgemq.store.index.IndexDescriptor.BEGIN_PHYSICAL_OFFSET_OFFSET;
import static io.edgemq.store.index.IndexDescriptor.BEGIN_TIMESTAMP_OFFSET;
import static io.edgemq.store.index.IndexDescriptor.END_PHYSICAL_OFFSET_OFFSET;
import static io.edgemq.store.index.IndexDescriptor.END_TIMESTAMP_OFFSET;
import static io.edgemq.store.index.IndexDescriptor.ENTRY_COUNT_OFFSET;
import static io.edgemq.store.index.IndexDescriptor.ENTRY_LENGTH;
import static io.edgemq.store.index.IndexDescriptor.HEADER_LENGTH;
import static io.edgemq.store.index.IndexDescriptor.KEY_HASH_OFFSET;
import static io.edgemq.store.index.IndexDescriptor.MAGIC;
import static io.edgemq.store.index.IndexDescriptor.MAGIC_OFFSET;
import static io.edgemq.store.index.IndexDescriptor.MAX_ENTRIES_OFFSET;
import static io.edgemq.store.index.IndexDescriptor.NO_ENTRY;
import static io.edgemq.store.index.IndexDescriptor.PHYSICAL_OFFSET_OFFSET;
import static io.edgemq.store.index.IndexDescriptor.PREVIOUS_ENTRY_OFFSET;
import static io.edgemq.store.index.IndexDescriptor.SLOT_COUNT_OFFSET;
import static io.edgemq.store.index.IndexDescriptor.TIME_DELTA_OFFSET;

import io.edgemq.store.file.Unmapper;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fixed-size, memory-mapped index file (layout in {@link IndexDescriptor}).
 *
 * <p>Threading: one writer calls {@link #append}; any number of readers call {@link #collect}
 * concurrently. The writer fills in the entry, then publishes it as the new slot head with a
 * release store, and only then raises the volatile {@link #entryCount}. A reader reads the count
 * first and ignores entries above it; slot heads are read with an acquire load, so even an entry
 * above the count (published to the slot but not yet counted) has visible contents and its {@code
 * previous} link can be followed safely.
 *
 * <p>Lifetime: the mapping is reference counted. The owner holds one reference and every access to
 * the buffer holds another ({@link #retain()}/{@link #release()}); the mapping is unmapped
 * explicitly when the count drops to zero. Unmapping while a reader still walks the buffer would
 * crash the JVM; leaving unmapping to the GC instead would keep the disk space of deleted files
 * allocated for an unbounded time, which matters on small edge devices.
 */
final class IndexFile {

  private static final Logger LOG = LoggerFactory.getLogger(IndexFile.class);

  /** Int view with acquire/release access, used for slot heads; slots are 4-byte aligned. */
  private static final VarHandle INT_VIEW =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private static final int ZERO_CHUNK = 1 << 20;

  private volatile Path path;
  private final long creationMillis;
  private final int slotCount;
  private final int maxEntries;
  private final MappedByteBuffer buffer;

  /** Starts at 1: the owner's reference, dropped by {@link #close()}. */
  private final AtomicInteger references = new AtomicInteger(1);

  private final AtomicBoolean closed = new AtomicBoolean();

  private volatile boolean dirty;

  // In-memory mirror of the header. Written by the writer before entryCount; readers read
  // entryCount first, so they see values at least as new as the count they act on.
  private volatile long beginTimestamp;
  private volatile long endTimestamp;
  private volatile long beginPhysicalOffset;
  private volatile long endPhysicalOffset;
  private volatile int entryCount;

  private IndexFile(
      Path path, long creationMillis, int slotCount, int maxEntries, MappedByteBuffer buffer) {
    this.path = path;
    this.creationMillis = creationMillis;
    this.slotCount = slotCount;
    this.maxEntries = maxEntries;
    this.buffer = buffer;
  }

  /**
   * Creates an empty file at its full size. The zeros are written (not just a sparse truncate) so
   * that a full disk fails here with an IOException rather than later with a SIGBUS on a mapped
   * write. The file is built under a temporary name and renamed, so a crash never leaves a
   * half-allocated file under a valid index file name.
   */
  static IndexFile create(Path dir, long creationMillis, int slotCount, int maxEntries)
      throws IOException {
    Path file = dir.resolve(IndexDescriptor.fileName(creationMillis));
    Path tmp = writeFresh(file, slotCount, maxEntries);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    long length = IndexDescriptor.fileLength(slotCount, maxEntries);
    return new IndexFile(file, creationMillis, slotCount, maxEntries, map(file, length));
  }

  /**
   * Prepares the next file ahead of need under a {@code .tmp} name, which recovery ignores and
   * deletes: a file under its real name is always complete. {@link #publish} renames it.
   */
  static IndexFile createSpare(Path dir, long creationMillis, int slotCount, int maxEntries)
      throws IOException {
    Path file = dir.resolve(IndexDescriptor.fileName(creationMillis));
    Path spare = writeFresh(file, slotCount, maxEntries);
    long length = IndexDescriptor.fileLength(slotCount, maxEntries);
    return new IndexFile(spare, creationMillis, slotCount, maxEntries, map(spare, length));
  }

  /** Writes an empty file with its header, durably, as {@code <file>.tmp}; returns that path. */
  private static Path writeFresh(Path file, int slotCount, int maxEntries) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    long length = IndexDescriptor.fileLength(slotCount, maxEntries);
    try (FileChannel channel =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocate(ZERO_CHUNK);
      for (long position = 0; position < length; position += zeros.limit()) {
        zeros.clear().limit((int) Math.min(ZERO_CHUNK, length - position));
        writeFully(channel, zeros, position);
      }
      ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
      header.putLong(MAGIC_OFFSET, MAGIC);
      header.putInt(SLOT_COUNT_OFFSET, slotCount);
      header.putInt(MAX_ENTRIES_OFFSET, maxEntries);
      writeFully(channel, header, 0);
      // Make the header durable before a rename makes the file visible under its real name.
      channel.force(true);
    } catch (IOException e) {
      deleteQuietly(tmp, e);
      throw e;
    }
    return tmp;
  }

  /** Gives a spare its real name; the mapping stays valid across the rename. */
  void publish() throws IOException {
    String name = path.getFileName().toString();
    if (name.endsWith(".tmp")) {
      Path real = path.resolveSibling(name.substring(0, name.length() - 4));
      Files.move(path, real, StandardCopyOption.ATOMIC_MOVE);
      path = real;
    }
  }

  /**
   * Opens an existing file and checks that it matches the configured geometry.
   *
   * @throws IOException naming the file if the magic, geometry, entry count or size is wrong
   */
  static IndexFile open(Path file, long creationMillis, int slotCount, int maxEntries)
      throws IOException {
    long length = IndexDescriptor.fileLength(slotCount, maxEntries);
    ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < HEADER_LENGTH) {
        throw corrupt(file, "only " + size + " bytes, shorter than the header");
      }
      while (header.hasRemaining()) {
        channel.read(header, header.position());
      }
      long magic = header.getLong(MAGIC_OFFSET);
      if (magic != MAGIC) {
        throw corrupt(file, String.format("bad magic 0x%016x, expected 0x%016x", magic, MAGIC));
      }
      checkField(file, "slot count", header.getInt(SLOT_COUNT_OFFSET), slotCount);
      checkField(file, "max entries", header.getInt(MAX_ENTRIES_OFFSET), maxEntries);
      int count = header.getInt(ENTRY_COUNT_OFFSET);
      if (count < 0 || count > maxEntries) {
        throw corrupt(file, "entry count " + count + " outside [0, " + maxEntries + "]");
      }
      if (size != length) {
        throw corrupt(file, "size " + size + " bytes, expected " + length);
      }
    }
    IndexFile indexFile =
        new IndexFile(file, creationMillis, slotCount, maxEntries, map(file, length));
    indexFile.restoreHeader();
    return indexFile;
  }

  /**
   * Adds an entry. Single writer only; the caller guarantees room ({@link #isFull()}, {@link
   * #accepts(long)}) and a store time not below the previous entry's.
   */
  void append(long keyHash, long physicalOffset, long storeTimestamp) {
    // No reference is taken: only the single writer closes or deletes the file it writes to.
    int number = entryCount + 1;
    if (number == 1) {
      beginTimestamp = storeTimestamp;
      beginPhysicalOffset = physicalOffset;
      buffer.putLong(BEGIN_TIMESTAMP_OFFSET, storeTimestamp);
      buffer.putLong(BEGIN_PHYSICAL_OFFSET_OFFSET, physicalOffset);
    }
    int entry = IndexDescriptor.entryOffset(slotCount, number);
    int slot = IndexDescriptor.slotOffset(IndexDescriptor.slotOf(keyHash, slotCount));
    buffer.putLong(entry + KEY_HASH_OFFSET, keyHash);
    buffer.putLong(entry + PHYSICAL_OFFSET_OFFSET, physicalOffset);
    buffer.putInt(entry + TIME_DELTA_OFFSET, (int) (storeTimestamp - beginTimestamp));
    buffer.putInt(entry + PREVIOUS_ENTRY_OFFSET, buffer.getInt(slot));
    INT_VIEW.setRelease(buffer, slot, number);
    endTimestamp = storeTimestamp;
    endPhysicalOffset = physicalOffset;
    entryCount = number; // publishes the entry to readers
    // The header's end fields and count are written by writeHeader() before each force, not per
    // entry: a stale count after a crash is repaired on load and re-dispatch re-adds the rest.
    if (!dirty) {
      dirty = true;
    }
  }

  /** Copies the in-memory end fields and count into the mapped header. */
  void writeHeader() {
    int count = entryCount;
    buffer.putLong(END_TIMESTAMP_OFFSET, endTimestamp);
    buffer.putLong(END_PHYSICAL_OFFSET_OFFSET, endPhysicalOffset);
    buffer.putInt(ENTRY_COUNT_OFFSET, count);
  }

  /**
   * Adds to {@code out}, newest first, the physical offsets of entries with this key hash and a
   * store time in {@code [begin, end]}, until {@code out} holds {@code maxCount} values. Safe
   * concurrently with {@link #append}. The caller holds a reference ({@link #retain()}).
   */
  void collect(long keyHash, long begin, long end, int maxCount, List<Long> out) {
    int count = entryCount; // read first: everything up to it is fully written
    if (count == 0 || endTimestamp < begin || beginTimestamp > end) {
      return;
    }
    long base = beginTimestamp;
    int slot = IndexDescriptor.slotOffset(IndexDescriptor.slotOf(keyHash, slotCount));
    int number = (int) INT_VIEW.getAcquire(buffer, slot);
    while (number != NO_ENTRY && out.size() < maxCount) {
      if (number < 0 || number > maxEntries) {
        return; // corrupt link; never index outside the entry area
      }
      int entry = IndexDescriptor.entryOffset(slotCount, number);
      if (number <= count) {
        long timestamp = base + buffer.getInt(entry + TIME_DELTA_OFFSET);
        if (timestamp < begin) {
          return; // store times never decrease along a chain, so older entries are older still
        }
        if (timestamp <= end && buffer.getLong(entry + KEY_HASH_OFFSET) == keyHash) {
          out.add(buffer.getLong(entry + PHYSICAL_OFFSET_OFFSET));
        }
      }
      int previous = buffer.getInt(entry + PREVIOUS_ENTRY_OFFSET);
      if (previous >= number) {
        return; // links always point backwards; anything else would loop
      }
      number = previous;
    }
  }

  /**
   * Drops every entry whose physical offset is {@code >= limit} and repairs the slot heads. Offsets
   * never decrease within a file, so the survivors are a prefix, found by binary search. Only for
   * recovery, before the file is shared with other threads.
   *
   * @return the number of entries kept
   */
  int truncateAt(long limit) {
    int low = 1;
    int high = entryCount + 1;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (physicalOffset(middle) >= limit) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    int kept = low - 1;
    int dropped = entryCount - kept;
    if (kept > 0) {
      setEntryCount(kept);
      repairSlotHeads(); // also undoes a put that reached its slot but not the count
      for (int number = kept + 1; number <= kept + dropped; number++) {
        int entry = IndexDescriptor.entryOffset(slotCount, number);
        buffer.put(entry, new byte[ENTRY_LENGTH]);
      }
      dirty = true;
    }
    return kept;
  }

  /** Forces the mapping to disk if anything was written since the last flush. */
  void flush() {
    if (!dirty || !retain()) {
      return;
    }
    try {
      dirty = false; // cleared first: a concurrent append sets it again for the next flush
      writeHeader();
      buffer.force();
    } finally {
      release();
    }
  }

  /** Takes a reference to the mapping; false if the file is already closed. */
  boolean retain() {
    while (true) {
      int current = references.get();
      if (current <= 0) {
        return false;
      }
      if (references.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference; the last one unmaps the file. */
  void release() {
    if (references.decrementAndGet() == 0) {
      Unmapper.unmap(buffer);
    }
  }

  /** Drops the owner's reference; the mapping goes away once no reader holds it. Idempotent. */
  void close() {
    if (closed.compareAndSet(false, true)) {
      release();
    }
  }

  /** Closes the file and deletes it from disk. */
  void delete() throws IOException {
    close();
    Files.deleteIfExists(path);
  }

  boolean isFull() {
    return entryCount >= maxEntries;
  }

  /** Whether an entry with this store time can be added without overflowing its int delta. */
  boolean accepts(long storeTimestamp) {
    return entryCount == 0 || storeTimestamp - beginTimestamp <= Integer.MAX_VALUE;
  }

  /** True if the file has entries and all of them are older than {@code timestamp}. */
  boolean endsBefore(long timestamp) {
    return entryCount > 0 && endTimestamp < timestamp;
  }

  Path path() {
    return path;
  }

  long creationMillis() {
    return creationMillis;
  }

  int entryCount() {
    return entryCount;
  }

  long beginTimestamp() {
    return beginTimestamp;
  }

  long endTimestamp() {
    return endTimestamp;
  }

  long beginPhysicalOffset() {
    return beginPhysicalOffset;
  }

  long endPhysicalOffset() {
    return endPhysicalOffset;
  }

  /**
   * Loads the in-memory header mirror. The end fields are recomputed from the last counted entry
   * rather than read from the header, because the writer updates them before the count: after a
   * crash between the two they describe an entry that is not part of the file.
   */
  private void restoreHeader() {
    int count = buffer.getInt(ENTRY_COUNT_OFFSET);
    beginTimestamp = buffer.getLong(BEGIN_TIMESTAMP_OFFSET);
    entryCount = count;
    if (count > 0) {
      beginPhysicalOffset = physicalOffset(1);
      endPhysicalOffset = physicalOffset(count);
      endTimestamp = timestamp(count);
    }
  }

  private void setEntryCount(int count) {
    entryCount = count;
    endPhysicalOffset = physicalOffset(count);
    endTimestamp = timestamp(count);
    buffer.putLong(END_TIMESTAMP_OFFSET, endTimestamp);
    buffer.putLong(END_PHYSICAL_OFFSET_OFFSET, endPhysicalOffset);
    buffer.putInt(ENTRY_COUNT_OFFSET, count);
  }

  /**
   * Makes every slot head point at a counted entry. A head above the count belongs to a dropped or
   * uncounted entry of that same slot, so following its {@code previous} links reaches the newest
   * surviving entry. If a link is implausible the slots are rebuilt from the entries.
   */
  private void repairSlotHeads() {
    int count = entryCount;
    for (int slot = 0; slot < slotCount; slot++) {
      int position = IndexDescriptor.slotOffset(slot);
      int head = buffer.getInt(position);
      if (head < 0 || head > maxEntries) {
        rebuildSlots();
        return;
      }
      if (head <= count) {
        continue;
      }
      while (head > count) {
        int previous =
            buffer.getInt(IndexDescriptor.entryOffset(slotCount, head) + PREVIOUS_ENTRY_OFFSET);
        if (previous < 0 || previous >= head) {
          rebuildSlots();
          return;
        }
        head = previous;
      }
      buffer.putInt(position, head);
    }
  }

  /** Recomputes all slot heads and chain links from the counted entries' key hashes. */
  private void rebuildSlots() {
    LOG.warn("index file {}: inconsistent hash chains, rebuilding slots", path);
    for (int slot = 0; slot < slotCount; slot++) {
      buffer.putInt(IndexDescriptor.slotOffset(slot), NO_ENTRY);
    }
    for (int number = 1; number <= entryCount; number++) {
      int entry = IndexDescriptor.entryOffset(slotCount, number);
      long keyHash = buffer.getLong(entry + KEY_HASH_OFFSET);
      int slot = IndexDescriptor.slotOffset(IndexDescriptor.slotOf(keyHash, slotCount));
      buffer.putInt(entry + PREVIOUS_ENTRY_OFFSET, buffer.getInt(slot));
      buffer.putInt(slot, number);
    }
  }

  private long physicalOffset(int number) {
    return buffer.getLong(IndexDescriptor.entryOffset(slotCount, number) + PHYSICAL_OFFSET_OFFSET);
  }

  private long timestamp(int number) {
    return beginTimestamp
        + buffer.getInt(IndexDescriptor.entryOffset(slotCount, number) + TIME_DELTA_OFFSET);
  }

  private static MappedByteBuffer map(Path file, long length) throws IOException {
    // The mapping stays valid after the channel is closed, so no descriptor is held per file.
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      return channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer source, long position)
      throws IOException {
    while (source.hasRemaining()) {
      position += channel.write(source, position);
    }
  }

  private static void checkField(Path file, String name, int actual, int expected)
      throws IOException {
    if (actual != expected) {
      throw corrupt(file, name + " " + actual + " does not match configured " + expected);
    }
  }

  private static IOException corrupt(Path file, String reason) {
    return new IOException("index file " + file + ": " + reason);
  }

  private static void deleteQuietly(Path file, IOException cause) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }
}
