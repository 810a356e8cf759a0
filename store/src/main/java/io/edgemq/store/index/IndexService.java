package io.edgemq.store.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent hash index from a message key (or message id) to the CommitLog physical offsets of the
 * messages carrying it, so that "messages with key K stored between t1 and t2" is a lookup rather
 * than a CommitLog scan. Entries live in a sequence of fixed-size memory-mapped files ({@link
 * IndexDescriptor}), oldest first; only the newest one is written.
 *
 * <p>Threading: one dispatcher thread calls {@link #put}; {@link #query}, {@link #flush} and {@link
 * #deleteFilesBelow} may run on any threads concurrently with it. The file list is an immutable
 * snapshot replaced under a lock, so readers never lock. Files are reference counted and unmapped
 * only after the last concurrent reader is done with them (see {@link IndexFile}).
 *
 * <p>Store times are clamped to be non-decreasing: an entry whose store time is earlier than the
 * previous entry's (the wall clock stepped back) is indexed with the previous entry's time. This
 * keeps every hash chain and the file sequence ordered by time, which lets a query stop at the
 * first entry older than its range and keeps time deltas non-negative.
 */
public final class IndexService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IndexService.class);

  private static final String TEMP_SUFFIX = ".tmp";

  private final Path dir;
  private final int slotCount;
  private final int maxEntriesPerFile;

  /** Guards replacing {@link #files}, loading and closing. */
  private final Object lock = new Object();

  /** Oldest first. Immutable; replaced as a whole under {@link #lock}. */
  private volatile List<IndexFile> files = List.of();

  private volatile long maxIndexedPhysicalOffset = -1;
  private volatile boolean closed;

  // Writer-thread state (set by load before the dispatcher starts, then only by put).
  private long lastStoreTimestamp = Long.MIN_VALUE;
  private long lastFileMillis = Long.MIN_VALUE;
  private boolean loaded;

  /** The next file, zero-filled in the background so a roll never stalls the dispatcher. */
  private CompletableFuture<IndexFile> prepared;

  private ExecutorService preparer;

  /**
   * @param dir the index directory (created if missing)
   * @param slotCount hash slots per file, {@code > 0}
   * @param maxEntriesPerFile entries per file, {@code > 0}
   * @throws IllegalArgumentException if a count is not positive or the resulting file would not fit
   *     in one memory mapping (2 GiB)
   */
  public IndexService(Path dir, int slotCount, int maxEntriesPerFile) {
    this.dir = Objects.requireNonNull(dir, "dir");
    if (slotCount <= 0) {
      throw new IllegalArgumentException("slotCount must be > 0, was " + slotCount);
    }
    if (maxEntriesPerFile <= 0) {
      throw new IllegalArgumentException("maxEntriesPerFile must be > 0, was " + maxEntriesPerFile);
    }
    long length = IndexDescriptor.fileLength(slotCount, maxEntriesPerFile);
    if (length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "index file for slotCount "
              + slotCount
              + " and maxEntriesPerFile "
              + maxEntriesPerFile
              + " would be "
              + length
              + " bytes, more than the "
              + Integer.MAX_VALUE
              + " that one mapping can hold");
    }
    this.slotCount = slotCount;
    this.maxEntriesPerFile = maxEntriesPerFile;
  }

  /**
   * Opens the existing index files. Call once, before the first {@link #put}, when reopening a
   * store. Entries whose physical offset is {@code >= commitLogMaxOffset} point past the recovered
   * CommitLog end (after an unclean stop) and are dropped; files left without entries are deleted.
   * Slot heads of the newest file are repaired, which also undoes a put that was interrupted
   * between publishing its slot and its entry count.
   *
   * @throws IOException if the directory cannot be read or a file is corrupt or was written with a
   *     different slot count or size; the message names the file
   * @throws IllegalStateException if already loaded, written to or closed
   */
  public void load(long commitLogMaxOffset) throws IOException {
    synchronized (lock) {
      ensureOpen();
      if (loaded || !files.isEmpty()) {
        throw new IllegalStateException("index " + dir + " is already loaded");
      }
      Files.createDirectories(dir);
      List<IndexFile> opened = openAll();
      try {
        dropEntriesAtOrAbove(opened, commitLogMaxOffset);
      } catch (IOException | RuntimeException e) {
        opened.forEach(IndexFile::close);
        throw e;
      }
      for (IndexFile file : opened) {
        lastFileMillis = Math.max(lastFileMillis, file.creationMillis());
      }
      if (!opened.isEmpty()) {
        IndexFile newest = opened.get(opened.size() - 1);
        maxIndexedPhysicalOffset = newest.endPhysicalOffset();
        lastStoreTimestamp = newest.endTimestamp();
      }
      files = List.copyOf(opened);
      loaded = true;
      LOG.info(
          "index {}: loaded {} files, max indexed physical offset {}",
          dir,
          opened.size(),
          maxIndexedPhysicalOffset);
    }
  }

  /**
   * Adds one entry. Called by one thread only. Rolls to a new file when the current one is full or
   * the store time is too far from its first entry for the int time delta.
   *
   * <p>Several keys of one message share its physical offset, so offsets must be non-decreasing,
   * not strictly increasing. After recovery, entries at exactly {@link #maxIndexedPhysicalOffset()}
   * may cover only some of that message's keys.
   *
   * @param physicalOffset CommitLog offset of the message, {@code >= 0} and not below the previous
   *     call's
   * @param storeTimestamp store time in ms; clamped to the previous entry's if earlier
   * @throws IOException if a new file cannot be created (e.g. disk full)
   * @throws IllegalArgumentException if the physical offset is negative or goes backwards
   * @throws IllegalStateException if closed
   */
  public void put(String key, long physicalOffset, long storeTimestamp) throws IOException {
    Objects.requireNonNull(key, "key");
    putHash(IndexDescriptor.keyHash(key), physicalOffset, storeTimestamp);
  }

  /**
   * Adds one entry by its key hash, for callers that hash keys without building strings (the
   * dispatcher hashes straight from the record bytes). Same contract as {@link #put}.
   *
   * @param keyHash {@link IndexDescriptor#keyHash(String)} of the key, or any stable 64-bit hash
   * @param physicalOffset CommitLog offset of the message
   * @param storeTimestamp store time in ms
   * @throws IOException if a new file cannot be created (e.g. disk full)
   */
  public void putHash(long keyHash, long physicalOffset, long storeTimestamp) throws IOException {
    ensureOpen();
    if (physicalOffset < 0) {
      throw new IllegalArgumentException("physicalOffset must be >= 0, was " + physicalOffset);
    }
    if (physicalOffset < maxIndexedPhysicalOffset) {
      throw new IllegalArgumentException(
          "physicalOffset "
              + physicalOffset
              + " is below the last indexed offset "
              + maxIndexedPhysicalOffset);
    }
    long timestamp = Math.max(storeTimestamp, lastStoreTimestamp);
    IndexFile file = writableFile(timestamp);
    file.append(keyHash, physicalOffset, timestamp);
    lastStoreTimestamp = timestamp;
    maxIndexedPhysicalOffset = physicalOffset;
  }

  /** The physical offset of the newest entry, or -1 if there is none. */
  public long maxIndexedPhysicalOffset() {
    return maxIndexedPhysicalOffset;
  }

  /**
   * Physical offsets of entries whose key hash matches {@code key} and whose store time is in
   * {@code [beginTimestamp, endTimestamp]}, newest first, at most {@code maxCount}. Hash collisions
   * are possible, so the caller must check the key on the CommitLog record. Only files whose time
   * range overlaps the query are searched. Safe concurrently with {@link #put} and {@link
   * #deleteFilesBelow}; entries put concurrently may or may not be included.
   *
   * @return a new mutable list; empty if {@code maxCount <= 0} or the range is empty
   * @throws IllegalStateException if closed
   */
  public List<Long> query(String key, long beginTimestamp, long endTimestamp, int maxCount) {
    Objects.requireNonNull(key, "key");
    return queryHash(IndexDescriptor.keyHash(key), beginTimestamp, endTimestamp, maxCount);
  }

  /**
   * Like {@link #query}, by key hash.
   *
   * @param keyHash the hash the entries were put with
   * @param beginTimestamp earliest store time, inclusive
   * @param endTimestamp latest store time, inclusive
   * @param maxCount the most offsets to return
   * @return physical offsets, newest first
   */
  public List<Long> queryHash(long keyHash, long beginTimestamp, long endTimestamp, int maxCount) {
    ensureOpen();
    List<Long> result = new ArrayList<>(Math.max(0, Math.min(maxCount, 64)));
    if (maxCount <= 0 || beginTimestamp > endTimestamp) {
      return result;
    }
    List<IndexFile> snapshot = files;
    for (int i = snapshot.size() - 1; i >= 0 && result.size() < maxCount; i--) {
      IndexFile file = snapshot.get(i);
      if (file.endsBefore(beginTimestamp)) {
        break; // files are in time order: every older file ends earlier still
      }
      if (!file.retain()) {
        continue; // deleted by retention after we took the snapshot
      }
      try {
        file.collect(keyHash, beginTimestamp, endTimestamp, maxCount, result);
      } finally {
        file.release();
      }
    }
    return result;
  }

  /** Forces files written since the last flush to disk. */
  public void flush() {
    for (IndexFile file : files) {
      file.flush();
    }
  }

  /**
   * Deletes whole files whose last entry's physical offset is below {@code minPhysicalOffset}
   * (retention, following the CommitLog). Never deletes the newest file, which is the one being
   * written. Safe concurrently with queries: a file still being read is unmapped only when that
   * read finishes.
   *
   * @return how many files were deleted
   */
  public int deleteFilesBelow(long minPhysicalOffset) {
    List<IndexFile> doomed = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        return 0;
      }
      List<IndexFile> current = files;
      List<IndexFile> kept = new ArrayList<>(current.size());
      for (int i = 0; i < current.size(); i++) {
        IndexFile file = current.get(i);
        boolean writable = i == current.size() - 1;
        if (!writable && file.endPhysicalOffset() < minPhysicalOffset) {
          doomed.add(file);
        } else {
          kept.add(file);
        }
      }
      files = List.copyOf(kept);
    }
    for (IndexFile file : doomed) {
      try {
        file.delete();
        LOG.info(
            "index file {} deleted by retention (end offset {} < {})",
            file.path(),
            file.endPhysicalOffset(),
            minPhysicalOffset);
      } catch (IOException e) {
        // Already out of the index; a leftover file is only reloaded and retired again later.
        LOG.warn("index file {}: delete failed: {}", file.path(), e.toString());
      }
    }
    return doomed.size();
  }

  /** Number of index files. */
  public int fileCount() {
    return files.size();
  }

  /** Flushes and closes all files. Idempotent. */
  @Override
  public void close() {
    if (preparer != null) {
      preparer.shutdown();
      IndexFile unused = takePrepared();
      if (unused != null) {
        unused.close(); // empty: the next load deletes it
      }
    }
    List<IndexFile> toClose;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = files;
      files = List.of();
    }
    for (IndexFile file : toClose) {
      file.flush();
      file.close();
    }
  }

  /**
   * Starts creating the next file in the background. Called after each roll, and by the store once
   * after {@link #load}, so even the first file is ready before the first message.
   */
  public void prepareNext() {
    if (prepared != null || closed) {
      return;
    }
    if (preparer == null) {
      preparer =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "store-index-allocate");
                t.setDaemon(true);
                return t;
              });
    }
    long creationMillis = nextCreationMillis();
    prepared =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Files.createDirectories(dir);
                return IndexFile.createSpare(dir, creationMillis, slotCount, maxEntriesPerFile);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            preparer);
  }

  private long nextCreationMillis() {
    long creationMillis = Math.max(System.currentTimeMillis(), lastFileMillis + 1);
    lastFileMillis = creationMillis;
    return creationMillis;
  }

  /** The prepared file, waiting for it if it is still being filled; null if there is none. */
  private IndexFile takePrepared() {
    CompletableFuture<IndexFile> p = prepared;
    prepared = null;
    if (p == null) {
      return null;
    }
    try {
      return p.get();
    } catch (ExecutionException e) {
      LOG.warn(
          "background creation of an index file failed; creating inline: {}",
          e.getCause().toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private IndexFile writableFile(long timestamp) throws IOException {
    List<IndexFile> current = files;
    IndexFile last = current.isEmpty() ? null : current.get(current.size() - 1);
    if (last != null && !last.isFull() && last.accepts(timestamp)) {
      return last;
    }
    if (last != null) {
      last.writeHeader(); // only the newest file may have a stale header after a crash
    }
    IndexFile next = takePrepared();
    if (next != null) {
      next.publish();
    } else {
      Files.createDirectories(dir);
      long creationMillis = nextCreationMillis();
      next = IndexFile.create(dir, creationMillis, slotCount, maxEntriesPerFile);
    }
    synchronized (lock) {
      if (closed) {
        next.close();
        throw new IllegalStateException("index " + dir + " is closed");
      }
      List<IndexFile> grown = new ArrayList<>(files);
      grown.add(next);
      files = List.copyOf(grown);
    }
    prepareNext();
    if (last == null) {
      LOG.info("index file {} created", next.path());
    } else {
      LOG.info(
          "index file {} rolled to {} after {} entries ({})",
          last.path().getFileName(),
          next.path().getFileName(),
          last.entryCount(),
          last.isFull() ? "full" : "time delta overflow");
    }
    return next;
  }

  /** Opens every index file in name (= creation) order; removes leftovers of crashed creates. */
  private List<IndexFile> openAll() throws IOException {
    List<Path> paths = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path path : stream) {
        String name = path.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
          LOG.warn("index file {}: removing leftover of an interrupted create", path);
          Files.delete(path);
        } else if (IndexDescriptor.isFileName(name)) {
          paths.add(path);
        }
      }
    }
    paths.sort(Comparator.comparing(path -> path.getFileName().toString()));
    List<IndexFile> opened = new ArrayList<>(paths.size());
    try {
      for (Path path : paths) {
        opened.add(IndexFile.open(path, creationMillis(path), slotCount, maxEntriesPerFile));
      }
    } catch (IOException | RuntimeException e) {
      opened.forEach(IndexFile::close);
      throw e;
    }
    return opened;
  }

  /**
   * Walks the files newest first, dropping entries at or past {@code limit}. Offsets never decrease
   * across files, so the first file that keeps an entry is the last one to look at. Empty files
   * anywhere are deleted too: they only result from a crash right after a create.
   */
  private void dropEntriesAtOrAbove(List<IndexFile> opened, long limit) throws IOException {
    boolean done = false;
    for (int i = opened.size() - 1; i >= 0; i--) {
      IndexFile file = opened.get(i);
      int before = file.entryCount();
      if (before > 0 && done) {
        continue;
      }
      int kept = before == 0 ? 0 : file.truncateAt(limit);
      if (kept == 0) {
        if (before > 0) {
          LOG.warn(
              "index file {}: all {} entries are at or past CommitLog end {}, deleting it",
              file.path(),
              before,
              limit);
        }
        file.delete();
        opened.remove(i);
        continue;
      }
      if (kept < before) {
        LOG.warn(
            "index file {}: dropped {} entries at or past CommitLog end {}",
            file.path(),
            before - kept,
            limit);
      }
      done = true;
    }
  }

  private static long creationMillis(Path path) throws IOException {
    try {
      return Long.parseLong(path.getFileName().toString());
    } catch (NumberFormatException e) {
      throw new IOException("index file " + path + ": name is not a valid creation time", e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("index " + dir + " is closed");
    }
  }
}
