package io.edgemq.store.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;

/**
 * This machine's raw disk limits, measured in Java in the same directory as the stores, so the
 * store's numbers can be read as a fraction of what the disk allows.
 *
 * @param seqBytes bytes written by the bandwidth probe
 * @param seqSeconds time to write them and force once
 * @param appendSyncNanos latency of a 4 KiB write past the end of a file + fdatasync, as {@code dd
 *     bs=4k oflag=dsync} does
 * @param overwriteSyncNanos latency of a 4 KiB write() into a preallocated file + fdatasync
 * @param mappedSyncNanos latency of a 4 KiB write into a preallocated mapped file + a forced range,
 *     which is what a SYNC append of the store costs the disk
 */
public record MachineLimits(
    long seqBytes,
    double seqSeconds,
    Histogram appendSyncNanos,
    Histogram overwriteSyncNanos,
    Histogram mappedSyncNanos) {

  private static final int CHUNK = 1 << 20;
  private static final int PAGE = 4096;
  private static final int WARMUP_ITERATIONS = 50;

  /**
   * Measures the limits, leaving no file behind.
   *
   * @param dir a directory on the disk the stores use
   * @param seqBytes bytes for the bandwidth probe
   * @param iterations samples for each latency probe
   * @return the limits
   * @throws IOException if the probes cannot write
   */
  public static MachineLimits measure(Path dir, long seqBytes, int iterations) throws IOException {
    Files.createDirectories(dir);
    double seqSeconds = sequentialWrite(dir.resolve("probe-seq.tmp"), seqBytes);
    Histogram append = writeSync(dir.resolve("probe-dsync.tmp"), iterations, false);
    Histogram overwrite = writeSync(dir.resolve("probe-osync.tmp"), iterations, true);
    Histogram mapped = mappedSync(dir.resolve("probe-msync.tmp"), iterations);
    return new MachineLimits(seqBytes, seqSeconds, append, overwrite, mapped);
  }

  /**
   * @return sequential write bandwidth in MB/s (10^6 bytes, as dd reports it)
   */
  public double seqWriteMbPerSec() {
    return seqBytes / seqSeconds / 1e6;
  }

  /**
   * @return the median 4 KiB write + fdatasync latency in microseconds; the group-commit limit is
   *     computed from it
   */
  public double fsyncP50Micros() {
    return appendSyncNanos.getValueAtPercentile(50) / 1e3;
  }

  /**
   * The most messages per second N writers can have acknowledged under SYNC when each waits for its
   * own acknowledgement: at best all N share every force, so N per fsync latency.
   *
   * @param writers N
   * @return messages per second
   */
  public double groupCommitLimit(int writers) {
    return writers * 1e6 / fsyncP50Micros();
  }

  /**
   * The same bound with the store's own primitive (a mapped write + force of the range), which on
   * some file systems costs much more than write() + fdatasync.
   *
   * @param writers N
   * @return messages per second
   */
  public double mappedGroupCommitLimit(int writers) {
    return writers * 1e9 / mappedSyncNanos.getValueAtPercentile(50);
  }

  /**
   * The most records per second the disk can take when it only streams them.
   *
   * @param recordBytes bytes per record on disk
   * @return records per second
   */
  public double bandwidthLimit(double recordBytes) {
    return seqWriteMbPerSec() * 1e6 / recordBytes;
  }

  private static double sequentialWrite(Path file, long bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
    // Random rather than zero bytes, in case the virtual disk compresses or skips zero blocks.
    byte[] random = new byte[CHUNK];
    ThreadLocalRandom.current().nextBytes(random);
    buf.put(random);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long start = System.nanoTime();
      long pos = 0;
      while (pos < bytes) {
        buf.clear();
        while (buf.hasRemaining()) {
          pos += ch.write(buf, pos);
        }
      }
      ch.force(false);
      return (System.nanoTime() - start) / 1e9;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** write() + fdatasync at increasing positions, past the end or into a preallocated file. */
  private static Histogram writeSync(Path file, int iterations, boolean preallocate)
      throws IOException {
    Histogram h = new Histogram(60_000_000_000L, 3);
    ByteBuffer buf = ByteBuffer.allocateDirect(PAGE);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      if (preallocate) {
        preallocate(ch, (WARMUP_ITERATIONS + iterations) * PAGE);
      }
      long pos = 0;
      for (int i = 0; i < WARMUP_ITERATIONS + iterations; i++) {
        buf.clear().putLong(0, i);
        long start = System.nanoTime();
        while (buf.hasRemaining()) {
          pos += ch.write(buf, pos);
        }
        ch.force(false);
        if (i >= WARMUP_ITERATIONS) {
          h.recordValue(System.nanoTime() - start);
        }
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return h;
  }

  private static Histogram mappedSync(Path file, int iterations) throws IOException {
    Histogram h = new Histogram(60_000_000_000L, 3);
    int size = (WARMUP_ITERATIONS + iterations) * PAGE;
    byte[] page = new byte[PAGE];
    ThreadLocalRandom.current().nextBytes(page);
    try (FileChannel ch =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      preallocate(ch, size);
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
      for (int i = 0; i < WARMUP_ITERATIONS + iterations; i++) {
        long start = System.nanoTime();
        map.put(i * PAGE, page);
        map.force(i * PAGE, PAGE);
        if (i >= WARMUP_ITERATIONS) {
          h.recordValue(System.nanoTime() - start);
        }
      }
    } finally {
      // The mapping lingers until collected; on Linux deleting the file is still fine.
      Files.deleteIfExists(file);
    }
    return h;
  }

  /** Zero-fills and forces, like a store segment, so that later only data pages are dirty. */
  private static void preallocate(FileChannel ch, int size) throws IOException {
    ByteBuffer zeros = ByteBuffer.allocate(size);
    while (zeros.hasRemaining()) {
      ch.write(zeros, zeros.position());
    }
    ch.force(true);
  }
}
