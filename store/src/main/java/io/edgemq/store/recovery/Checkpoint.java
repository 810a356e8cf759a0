package io.edgemq.store.recovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The checkpoint file: how far the CommitLog is known forced, and how far consume queues and index
 * are known forced. Written to a temporary file, forced, then renamed over the old one, so a crash
 * leaves either the old or the new checkpoint, never a mix.
 *
 * <pre>
 *   0  long  magic
 *   8  long  CommitLog flushed offset (a record boundary)
 *  16  long  dispatched offset (consume queues and index are forced up to here)
 *  24  long  written at, epoch ms
 *  32  int   CRC32C of bytes [0, 32)
 * </pre>
 *
 * @param commitLogFlushed the CommitLog flushed offset
 * @param dispatched the offset up to which queues and index are forced
 * @param timestamp when written
 */
public record Checkpoint(long commitLogFlushed, long dispatched, long timestamp) {
  private static final long MAGIC = 0x4544_4745_434b_5031L;
  private static final int LENGTH = 36;
  private static final String NAME = "checkpoint";

  /**
   * Reads the checkpoint.
   *
   * @param storeDir the store directory
   * @return the checkpoint, or null when missing or damaged (recovery then scans from the start)
   * @throws IOException on an I/O error
   */
  public static Checkpoint read(Path storeDir) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(storeDir.resolve(NAME));
    } catch (NoSuchFileException e) {
      return null;
    }
    if (bytes.length != LENGTH) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 32);
    if (b.getLong(0) != MAGIC || b.getInt(32) != (int) crc.getValue()) {
      return null;
    }
    return new Checkpoint(b.getLong(8), b.getLong(16), b.getLong(24));
  }

  /**
   * Writes this checkpoint atomically.
   *
   * @param storeDir the store directory
   * @throws IOException on an I/O error
   */
  public void write(Path storeDir) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.putLong(MAGIC).putLong(commitLogFlushed).putLong(dispatched).putLong(timestamp);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 32);
    b.putInt((int) crc.getValue()).flip();
    Path tmp = storeDir.resolve(NAME + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(tmp, storeDir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE);
  }
}
