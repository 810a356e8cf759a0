package io.edgemq.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One fixed-size file mapped into memory. Writes and reads are absolute, so one writer and many
 * readers can share it as long as readers stay below what the writer has published.
 *
 * <p>Unmapping while another thread reads would crash the JVM, so the mapping is reference counted:
 * readers {@link #acquire()} and {@link #release()}, and {@link #destroy()} unmaps only when the
 * last reference goes.
 */
public final class MappedFile {
  private static final int ZERO_CHUNK = 1 << 20;

  private final Path path;
  private final long baseOffset;
  private final int size;
  private final FileChannel channel;
  private final MappedByteBuffer buffer;
  private final WriteMode mode;
  private final AtomicInteger refs = new AtomicInteger(1);
  private volatile boolean available = true;
  private volatile boolean deleteOnRelease;

  private MappedFile(Path path, long baseOffset, int size, FileChannel channel, WriteMode mode)
      throws IOException {
    this.path = path;
    this.baseOffset = baseOffset;
    this.size = size;
    this.channel = channel;
    this.mode = mode;
    FileChannel.MapMode map =
        mode == WriteMode.CHANNEL ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE;
    this.buffer = channel.map(map, 0, size);
  }

  /**
   * Creates a file of {@code size} bytes. With {@code preallocate}, zeros are written through the
   * channel first, so a full disk fails here with an IOException rather than later with a SIGBUS on
   * a page fault.
   *
   * @param path the file, which must not exist
   * @param size the size in bytes
   * @param preallocate whether to write zeros
   * @throws IOException if the file exists or the disk is full
   */
  public static void allocate(Path path, int size, boolean preallocate) throws IOException {
    allocate(path, size, preallocate, false);
  }

  /**
   * Creates a file of {@code size} bytes, optionally forcing the zeros to disk.
   *
   * @param path the file, which must not exist
   * @param size the size in bytes
   * @param preallocate whether to write zeros
   * @param force whether to force them: a file later forced with fdatasync must be, or its first
   *     force on the write path would carry the whole zero-fill
   * @throws IOException if the file exists or the disk is full
   */
  public static void allocate(Path path, int size, boolean preallocate, boolean force)
      throws IOException {
    try (FileChannel ch =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      if (preallocate) {
        ByteBuffer zeros = ByteBuffer.allocateDirect(Math.min(ZERO_CHUNK, size));
        long pos = 0;
        while (pos < size) {
          zeros.clear().limit((int) Math.min(zeros.capacity(), size - pos));
          pos += ch.write(zeros, pos);
        }
        // The write reserved the blocks (ENOSPC surfaces here). Forcing is left to the caller:
        // mapped writers never fdatasync the whole file, so they skip it.
        if (force) {
          ch.force(true);
        }
      } else {
        ch.truncate(size);
        ch.write(ByteBuffer.allocate(1), size - 1);
      }
    } catch (IOException e) {
      Files.deleteIfExists(path);
      throw e;
    }
  }

  /**
   * Maps an existing file.
   *
   * @param path the file
   * @param baseOffset the logical offset of its first byte
   * @param size the expected size; a file of another size is refused
   * @return the mapped file
   * @throws IOException if the file cannot be mapped or has the wrong size
   */
  public static MappedFile open(Path path, long baseOffset, int size) throws IOException {
    return open(path, baseOffset, size, WriteMode.MAPPED);
  }

  /**
   * Maps an existing file.
   *
   * @param path the file
   * @param baseOffset the logical offset of its first byte
   * @param size the expected size; a file of another size is refused
   * @param mode how writes reach the file
   * @return the mapped file
   * @throws IOException if the file cannot be mapped or has the wrong size
   */
  public static MappedFile open(Path path, long baseOffset, int size, WriteMode mode)
      throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long actual = ch.size();
      if (actual != size) {
        throw new IOException(
            "file " + path + " has " + actual + " bytes, expected " + size + " (wrong config?)");
      }
      return new MappedFile(path, baseOffset, size, ch, mode);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * @return the file
   */
  public Path path() {
    return path;
  }

  /**
   * @return the logical offset of the first byte
   */
  public long baseOffset() {
    return baseOffset;
  }

  /**
   * @return the logical offset just past the last byte
   */
  public long endOffset() {
    return baseOffset + size;
  }

  /**
   * @return the size in bytes
   */
  public int size() {
    return size;
  }

  /**
   * Copies bytes in at an absolute position.
   *
   * @param pos the position within this file
   * @param src the source array
   * @param off where in src
   * @param len how many bytes
   */
  public void write(int pos, byte[] src, int off, int len) {
    if (mode == WriteMode.MAPPED) {
      buffer.put(pos, src, off, len);
    } else {
      writeThroughChannel(pos, ByteBuffer.wrap(src, off, len));
    }
  }

  /**
   * Copies a buffer's remaining bytes in at an absolute position.
   *
   * @param pos the position within this file
   * @param src the bytes; its position is advanced
   */
  public void write(int pos, ByteBuffer src) {
    if (mode == WriteMode.MAPPED) {
      int len = src.remaining();
      buffer.put(pos, src, src.position(), len);
      src.position(src.position() + len);
    } else {
      writeThroughChannel(pos, src);
    }
  }

  private void writeThroughChannel(int pos, ByteBuffer src) {
    try {
      long p = pos;
      while (src.hasRemaining()) {
        p += channel.write(src, p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + path + " at " + pos, e);
    }
  }

  /**
   * Writes a long at an absolute position.
   *
   * @param pos the position within this file
   * @param value the value
   */
  public void putLong(int pos, long value) {
    if (mode == WriteMode.MAPPED) {
      buffer.putLong(pos, value);
    } else {
      writeThroughChannel(pos, ByteBuffer.allocate(8).putLong(0, value));
    }
  }

  /**
   * Writes an int at an absolute position.
   *
   * @param pos the position within this file
   * @param value the value
   */
  public void putInt(int pos, int value) {
    if (mode == WriteMode.MAPPED) {
      buffer.putInt(pos, value);
    } else {
      writeThroughChannel(pos, ByteBuffer.allocate(4).putInt(0, value));
    }
  }

  /**
   * Copies bytes out from an absolute position.
   *
   * @param pos the position within this file
   * @param dst the destination
   * @param off where in dst
   * @param len how many bytes
   */
  public void read(int pos, byte[] dst, int off, int len) {
    buffer.get(pos, dst, off, len);
  }

  /**
   * A view for absolute reads; its position and limit are the caller's own.
   *
   * @return a duplicate of the whole mapping
   */
  public ByteBuffer view() {
    return buffer.duplicate();
  }

  /**
   * Forces a range to the storage device.
   *
   * @param from the first position
   * @param to the position just past the last
   */
  public void force(int from, int to) {
    if (to <= from) {
      return;
    }
    if (mode == WriteMode.MAPPED) {
      buffer.force(from, to - from);
    } else {
      try {
        channel.force(false);
      } catch (IOException e) {
        throw new UncheckedIOException("forcing " + path, e);
      }
    }
  }

  /**
   * Takes a reference for reading.
   *
   * @return false when the file is being destroyed; then it must not be read
   */
  public boolean acquire() {
    while (true) {
      int r = refs.get();
      if (r <= 0 || !available) {
        return false;
      }
      if (refs.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  /** Gives a reference back; the last one unmaps. */
  public void release() {
    if (refs.decrementAndGet() == 0) {
      cleanup();
    }
  }

  /**
   * Stops new readers, and unmaps (and, if asked, deletes) once the last reader is done.
   *
   * @param delete whether to delete the file too
   */
  public void destroy(boolean delete) {
    if (!available) {
      return;
    }
    deleteOnRelease = delete;
    available = false;
    release();
  }

  /**
   * @return false once destroyed
   */
  public boolean isAvailable() {
    return available;
  }

  private void cleanup() {
    Unmapper.unmap(buffer);
    try {
      channel.close();
      if (deleteOnRelease) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("closing " + path, e);
    }
  }

  @Override
  public String toString() {
    return path.getFileName().toString();
  }
}
