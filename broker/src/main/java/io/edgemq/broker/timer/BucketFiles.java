package io.edgemq.broker.timer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The time-bucketed index of scheduled messages: one append-only file of {@link TimerEntry}s per
 * {@link #WIDTH_MS} of fire time, named by the bucket's start (20 digits, epoch ms). Loading a
 * bucket reads the whole file; a torn entry at its end (a crash mid-write) is ignored. Used by the
 * timer thread only.
 */
final class BucketFiles implements AutoCloseable {
  /** Fire-time span of one bucket file. */
  static final long WIDTH_MS = 60_000;

  private static final int MAX_OPEN = 32;

  private final Path dir;
  private final NavigableSet<Long> buckets = new TreeSet<>();
  private final Set<Long> dirty = new HashSet<>();
  private final Map<Long, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
  private final ByteBuffer one = ByteBuffer.allocate(TimerEntry.SIZE);

  private BucketFiles(Path dir) {
    this.dir = dir;
  }

  /**
   * @param dir the bucket directory (created if missing)
   * @return the files found there
   * @throws IOException when the directory cannot be read
   */
  static BucketFiles open(Path dir) throws IOException {
    Files.createDirectories(dir);
    BucketFiles f = new BucketFiles(dir);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.matches("\\d{20}")) {
          f.buckets.add(Long.parseLong(n));
        }
      }
    }
    return f;
  }

  /**
   * @param fireAt a fire time
   * @return the start of its bucket
   */
  static long bucketOf(long fireAt) {
    return Math.floorDiv(fireAt, WIDTH_MS) * WIDTH_MS;
  }

  /**
   * @return the start of every bucket that has a file, ascending (live view)
   */
  NavigableSet<Long> buckets() {
    return buckets;
  }

  /**
   * Appends an entry to its bucket's file (not forced; see {@link #force()}).
   *
   * @param e the entry
   * @throws IOException on a write failure
   */
  void append(TimerEntry e) throws IOException {
    long b = bucketOf(e.fireAt());
    FileChannel ch = channel(b);
    one.clear();
    e.write(one);
    one.flip();
    long pos = ch.size();
    while (one.hasRemaining()) {
      pos += ch.write(one, pos);
    }
    dirty.add(b);
  }

  /**
   * Forces every file written since the last force.
   *
   * @throws IOException on failure
   */
  void force() throws IOException {
    for (Long b : dirty) {
      FileChannel ch = open.get(b);
      if (ch != null) {
        ch.force(false);
      }
    }
    dirty.clear();
  }

  /**
   * @param bucket a bucket start
   * @return its entries, in file order (empty when there is no file)
   * @throws IOException on a read failure
   */
  List<TimerEntry> load(long bucket) throws IOException {
    Path p = path(bucket);
    if (!Files.exists(p)) {
      return List.of();
    }
    ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(p));
    int n = all.capacity() / TimerEntry.SIZE;
    List<TimerEntry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(TimerEntry.read(all, i * TimerEntry.SIZE));
    }
    return out;
  }

  /**
   * Deletes a bucket's file.
   *
   * @param bucket the bucket start
   * @throws IOException on failure
   */
  void delete(long bucket) throws IOException {
    FileChannel ch = open.remove(bucket);
    if (ch != null) {
      ch.close();
    }
    dirty.remove(bucket);
    buckets.remove(bucket);
    Files.deleteIfExists(path(bucket));
  }

  private FileChannel channel(long bucket) throws IOException {
    FileChannel ch = open.get(bucket);
    if (ch != null) {
      return ch;
    }
    if (open.size() >= MAX_OPEN) {
      Iterator<Map.Entry<Long, FileChannel>> eldest = open.entrySet().iterator();
      Map.Entry<Long, FileChannel> e = eldest.next();
      if (dirty.remove(e.getKey())) {
        e.getValue().force(false);
      }
      e.getValue().close();
      eldest.remove();
    }
    ch = FileChannel.open(path(bucket), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    // a torn entry from a crash is cut off, so later appends stay aligned
    long size = ch.size();
    if (size % TimerEntry.SIZE != 0) {
      ch.truncate(size - size % TimerEntry.SIZE);
    }
    if (buckets.add(bucket)) {
      // a new file's directory entry must survive a crash too
      forceDir();
    }
    open.put(bucket, ch);
    return ch;
  }

  private void forceDir() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // some file systems cannot open a directory; the data itself is forced anyway
    }
  }

  private Path path(long bucket) {
    return dir.resolve(String.format("%020d", bucket));
  }

  @Override
  public void close() throws IOException {
    force();
    for (FileChannel ch : open.values()) {
      ch.close();
    }
    open.clear();
  }
}
