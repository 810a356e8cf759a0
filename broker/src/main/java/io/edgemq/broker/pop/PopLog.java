package io.edgemq.broker.pop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only pop log ({@code <dir>/pop.log}, format in {@link PopRecordDescriptor}). Appends
 * go to the page cache (they survive a killed process; {@link #force()} makes them survive a
 * machine crash too); {@link #rewrite} replaces the file by a compact snapshot through a temporary
 * file and an atomic rename, so a crash leaves either the old or the new log.
 */
final class PopLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PopLog.class);
  static final String FILE = "pop.log";
  private static final String COMPACTING = "pop.log.compacting";

  private final Path dir;
  private FileChannel channel;
  private long appendedBytes;
  private boolean dirty;

  private PopLog(Path dir, FileChannel channel) {
    this.dir = dir;
    this.channel = channel;
  }

  /**
   * Opens (or creates) the log and replays every whole record; a torn tail is cut off.
   *
   * @param dir the pop directory
   * @param replay gets each record in order
   * @return the log, positioned for appends
   * @throws IOException when the file cannot be read or is not a pop log
   */
  static PopLog open(Path dir, Consumer<PopRecord> replay) throws IOException {
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(COMPACTING));
    Path file = dir.resolve(FILE);
    if (!Files.exists(file) || Files.size(file) == 0) {
      return new PopLog(dir, create(file, java.util.List.of()));
    }
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
    byte[] magic = new byte[PopRecordDescriptor.MAGIC.length];
    if (b.remaining() >= magic.length) {
      b.get(magic);
    }
    if (!Arrays.equals(magic, PopRecordDescriptor.MAGIC)) {
      throw new IOException(file + " is not an edgemq pop log (format 1): bad header");
    }
    long records = 0;
    PopRecord r;
    while ((r = PopRecordDescriptor.decode(b)) != null) {
      replay.accept(r);
      records++;
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
    if (b.position() < b.limit()) {
      LOG.warn(
          "pop log {}: cut a torn tail of {} bytes after {} records",
          file,
          b.limit() - b.position(),
          records);
      ch.truncate(b.position());
    }
    ch.position(b.position());
    return new PopLog(dir, ch);
  }

  private static FileChannel create(Path file, Collection<PopRecord> records) throws IOException {
    FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    writeFully(ch, ByteBuffer.wrap(PopRecordDescriptor.MAGIC));
    for (PopRecord r : records) {
      writeFully(ch, PopRecordDescriptor.encode(r));
    }
    return ch;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /**
   * @param r a record to append
   * @throws IOException when the write fails
   */
  synchronized void append(PopRecord r) throws IOException {
    ByteBuffer b = PopRecordDescriptor.encode(r);
    appendedBytes += b.remaining();
    dirty = true;
    writeFully(channel, b);
  }

  /**
   * @return bytes appended since the log was opened or last rewritten
   */
  synchronized long appendedBytes() {
    return appendedBytes;
  }

  /**
   * Replaces the log by these records (a snapshot of the state).
   *
   * @param records the snapshot
   * @throws IOException when it cannot be written; the old log then stays in use
   */
  synchronized void rewrite(Collection<PopRecord> records) throws IOException {
    Path tmp = dir.resolve(COMPACTING);
    try (FileChannel ch = create(tmp, records)) {
      ch.force(true);
    }
    // the rename replaces the old file even while it is open; its channel is closed after
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    channel.close();
    channel = FileChannel.open(dir.resolve(FILE), StandardOpenOption.WRITE);
    channel.position(channel.size());
    appendedBytes = 0;
  }

  /**
   * Writes appended records through to the disk (nothing to do when none came since the last time).
   *
   * @throws IOException when the sync fails
   */
  synchronized void force() throws IOException {
    if (dirty) {
      channel.force(false);
      dirty = false;
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel.isOpen()) {
      channel.force(false);
      channel.close();
    }
  }
}
