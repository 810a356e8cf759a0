package io.edgemq.store.file;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A contiguous run of equal-size {@link MappedFile}s in one directory, each named by the 20-digit
 * logical offset of its first byte. Offsets only grow; old files are removed from the head.
 *
 * <p>One thread appends (creates files); any thread may look files up. When given an executor, the
 * next file is zero-filled in the background under a {@code .alloc} name, so that rolling to it
 * costs a rename, not a 1 GiB write.
 */
public final class SegmentedFile {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentedFile.class);
  private static final Pattern NAME = Pattern.compile("\\d{20}");
  private static final String ALLOC_SUFFIX = ".alloc";

  private final Path dir;
  private final int segmentSize;
  private final boolean preallocate;
  private final Executor allocator;
  private final WriteMode writeMode;
  private final boolean forceAllocation;
  private final List<MappedFile> segments = new CopyOnWriteArrayList<>();

  /** Calls of {@link #force} that forced something, and their total time: for metrics. */
  private final LongAdder forces = new LongAdder();

  private final LongAdder forceNanos = new LongAdder();

  /** The same files as an array, replaced on every change, so lookups copy nothing. */
  private volatile MappedFile[] snapshot = new MappedFile[0];

  private CompletableFuture<Path> nextAllocation;
  private long nextAllocationBase = -1;

  /**
   * Creates the run; call {@link #load()} before use.
   *
   * @param dir the directory, created if missing
   * @param segmentSize bytes per file
   * @param preallocate whether new files are zero-filled
   * @param allocator runs background allocation of the next file, or null for none
   */
  public SegmentedFile(Path dir, int segmentSize, boolean preallocate, Executor allocator) {
    this(dir, segmentSize, preallocate, allocator, WriteMode.MAPPED, false);
  }

  /**
   * Creates the run; call {@link #load()} before use.
   *
   * @param dir the directory, created if missing
   * @param segmentSize bytes per file
   * @param preallocate whether new files are zero-filled
   * @param allocator runs background allocation of the next file, or null for none
   * @param writeMode how writes reach the files
   * @param forceAllocation whether to force the zeros of a new file before use: needed when its
   *     every write is followed by fdatasync (SYNC), or that force would carry the whole zero-fill
   */
  public SegmentedFile(
      Path dir,
      int segmentSize,
      boolean preallocate,
      Executor allocator,
      WriteMode writeMode,
      boolean forceAllocation) {
    this.writeMode = writeMode;
    this.forceAllocation = forceAllocation;
    this.dir = dir;
    this.segmentSize = segmentSize;
    this.preallocate = preallocate;
    this.allocator = allocator;
  }

  /**
   * Formats a file name.
   *
   * @param offset the base offset
   * @return 20 digits
   */
  public static String fileName(long offset) {
    return String.format("%020d", offset);
  }

  /**
   * Maps the existing files, checking that they are contiguous and of the configured size.
   *
   * @throws IOException on a gap, a wrong size, or an I/O error
   */
  public void load() throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.endsWith(ALLOC_SUFFIX)) {
          Files.delete(p); // an unfinished background allocation
        } else if (NAME.matcher(name).matches()) {
          files.add(p);
        }
      }
    }
    files.sort(null);
    long expected = -1;
    for (Path p : files) {
      long base = Long.parseLong(p.getFileName().toString());
      if (base % segmentSize != 0 || (expected >= 0 && base != expected)) {
        throw new IOException(
            "segment "
                + p
                + " does not follow the previous one (expected base "
                + expected
                + ", segment size "
                + segmentSize
                + ")");
      }
      segments.add(MappedFile.open(p, base, segmentSize, writeMode));
      refresh();
      expected = base + segmentSize;
    }
  }

  /**
   * @return the directory
   */
  public Path dir() {
    return dir;
  }

  /**
   * @return the size of each file
   */
  public int segmentSize() {
    return segmentSize;
  }

  /**
   * @return a snapshot of the files, oldest first
   */
  public List<MappedFile> segments() {
    return List.copyOf(segments);
  }

  /**
   * @return true when there are no files
   */
  public boolean isEmpty() {
    return segments.isEmpty();
  }

  /**
   * @return the oldest file's base offset, or -1 when empty
   */
  public long minOffset() {
    List<MappedFile> s = segments;
    return s.isEmpty() ? -1 : s.get(0).baseOffset();
  }

  /**
   * @return the newest file, or null
   */
  public MappedFile last() {
    List<MappedFile> s = segments;
    return s.isEmpty() ? null : s.get(s.size() - 1);
  }

  /**
   * The file holding an offset.
   *
   * @param offset a logical offset
   * @return the file, or null when no file holds it (deleted, or not yet written)
   */
  public MappedFile find(long offset) {
    while (true) {
      MappedFile[] snapshot = this.snapshot;
      if (snapshot.length == 0) {
        return null;
      }
      long first = snapshot[0].baseOffset();
      if (offset < first) {
        return null;
      }
      long idx = (offset - first) / segmentSize;
      if (idx >= snapshot.length) {
        return null;
      }
      MappedFile f = snapshot[(int) idx];
      if (offset >= f.baseOffset() && offset < f.endOffset()) {
        return f;
      }
      // The head moved between toArray and here; look again.
    }
  }

  /**
   * The file holding an offset, created (and the files before it) when missing. Only the writer
   * thread calls this.
   *
   * @param offset a logical offset at or past the current end
   * @return the file
   * @throws IOException if the disk is full or the file cannot be created
   */
  public MappedFile findOrCreate(long offset) throws IOException {
    MappedFile f = find(offset);
    if (f != null) {
      return f;
    }
    long base = offset - offset % segmentSize;
    MappedFile last = last();
    if (last == null) {
      Files.createDirectories(dir);
    } else if (base != last.endOffset()) {
      throw new IllegalStateException(
          "offset " + offset + " is not next to the last segment " + last);
    }
    MappedFile created = MappedFile.open(allocate(base), base, segmentSize, writeMode);
    segments.add(created);
    refresh();
    scheduleNext(base + segmentSize);
    return created;
  }

  /**
   * Starts allocating, in the background, the file the writer will need next after a restart: the
   * one holding {@code offset} if it is missing, else the one after it. Without this the first
   * append (or the first roll) after opening would wait for a whole zero-fill.
   *
   * @param offset where the writer will append next
   */
  public void prepareFor(long offset) {
    long base = offset - offset % segmentSize;
    scheduleNext(find(offset) == null ? base : base + segmentSize);
  }

  private Path allocate(long base) throws IOException {
    Path target = dir.resolve(fileName(base));
    if (nextAllocation != null && nextAllocationBase == base) {
      CompletableFuture<Path> pending = nextAllocation;
      nextAllocation = null;
      try {
        Files.move(pending.get(), target, StandardCopyOption.ATOMIC_MOVE);
        return target;
      } catch (ExecutionException e) {
        LOG.warn(
            "background allocation of {} failed, retrying inline: {}",
            target,
            e.getCause().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + target, e);
      }
    }
    // Fill under a temporary name and rename: a crash mid-fill must not leave a short file under
    // a segment's name (load() refuses those, and deletes leftover .alloc files).
    Path tmp = dir.resolve(fileName(base) + ALLOC_SUFFIX);
    Files.deleteIfExists(tmp);
    MappedFile.allocate(tmp, segmentSize, preallocate, forceAllocation);
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  private void scheduleNext(long base) {
    if (allocator == null) {
      return;
    }
    Path tmp = dir.resolve(fileName(base) + ALLOC_SUFFIX);
    nextAllocationBase = base;
    nextAllocation =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Files.deleteIfExists(tmp);
                MappedFile.allocate(tmp, segmentSize, preallocate, forceAllocation);
                return tmp;
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            allocator);
  }

  /**
   * Forces the range [from, to) to disk.
   *
   * @param from the first logical offset
   * @param to the logical offset just past the last
   */
  public void force(long from, long to) {
    if (to <= from) {
      return;
    }
    long start = System.nanoTime();
    try {
      forceRange(from, to);
    } finally {
      forceNanos.add(System.nanoTime() - start);
      forces.increment();
    }
  }

  /**
   * @return how many times {@link #force} forced a non-empty range
   */
  public long forceCount() {
    return forces.sum();
  }

  /**
   * @return the total time those calls took, nanoseconds
   */
  public long forceNanos() {
    return forceNanos.sum();
  }

  private void forceRange(long from, long to) {
    for (MappedFile f : segments) {
      if (f.endOffset() <= from || f.baseOffset() >= to) {
        continue;
      }
      if (!f.acquire()) {
        continue;
      }
      try {
        int a = (int) (Math.max(from, f.baseOffset()) - f.baseOffset());
        int b = (int) (Math.min(to, f.endOffset()) - f.baseOffset());
        f.force(a, b);
      } finally {
        f.release();
      }
    }
  }

  /**
   * Cuts everything at and after an offset: later files are deleted, the rest of the containing
   * file is zeroed (only where non-zero, so a clean tail costs only a read).
   *
   * @param offset the new end
   * @return how many non-zero bytes were cleared
   */
  public long truncate(long offset) {
    long cleared = 0;
    for (MappedFile f : segments()) {
      if (f.baseOffset() >= offset) {
        segments.remove(f);
        refresh();
        f.destroy(true);
      } else if (f.endOffset() > offset) {
        cleared += zeroTail(f, (int) (offset - f.baseOffset()));
      }
    }
    return cleared;
  }

  private static long zeroTail(MappedFile f, int from) {
    long cleared = 0;
    byte[] chunk = new byte[64 * 1024];
    byte[] zeros = new byte[chunk.length];
    for (int pos = from; pos < f.size(); pos += chunk.length) {
      int len = Math.min(chunk.length, f.size() - pos);
      f.read(pos, chunk, 0, len);
      int nonZero = 0;
      for (int i = 0; i < len; i++) {
        if (chunk[i] != 0) {
          nonZero++;
        }
      }
      if (nonZero > 0) {
        f.write(pos, zeros, 0, len);
        cleared += nonZero;
      }
    }
    f.force(from, f.size());
    return cleared;
  }

  /**
   * Deletes files from the head while the predicate holds, never the newest.
   *
   * @param shouldDelete decides per file, oldest first; the first false stops
   * @return the files deleted
   */
  public List<MappedFile> deleteFromHead(Predicate<MappedFile> shouldDelete) {
    List<MappedFile> deleted = new ArrayList<>();
    while (segments.size() > 1) {
      MappedFile head = segments.get(0);
      if (!shouldDelete.test(head)) {
        break;
      }
      segments.remove(0);
      refresh();
      head.destroy(true);
      deleted.add(head);
    }
    return deleted;
  }

  private void refresh() {
    snapshot = segments.toArray(new MappedFile[0]);
  }

  /** Unmaps every file; they stay on disk. */
  public void close() {
    for (MappedFile f : segments) {
      f.destroy(false);
    }
    segments.clear();
    refresh();
    if (nextAllocation != null) {
      nextAllocation.cancel(false);
    }
  }
}
