package io.edgemq.store.api;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The store's configuration: immutable, validated once when built. Every key and its default is
 * listed in {@code docs/store.md}.
 *
 * @param storePath the store directory
 * @param commitLogSegmentBytes CommitLog segment size
 * @param consumeQueueUnitsPerFile consume-queue units per file
 * @param indexSlotCount hash slots per index file
 * @param indexEntriesPerFile entries per index file
 * @param maxMessageBytes the largest body accepted, and the largest batch
 * @param flushMode when an append completes relative to the disk
 * @param flushInterval how often the ASYNC flusher forces the CommitLog
 * @param syncFlushTimeout how long a SYNC append waits for its force
 * @param checkpointInterval how often consume queues and index are flushed and the checkpoint
 *     written
 * @param retention how long CommitLog segments are kept
 * @param retentionCheckInterval how often retention runs
 * @param diskCleanRatio disk usage above which the oldest segments go regardless of age
 * @param diskRefuseWritesRatio disk usage above which appends are refused with DISK_FULL
 * @param preallocateSegments whether new files are filled with zeros before use
 * @param verifyChecksumOnRead whether reads check each record's CRC32C
 * @param storeHost the address recorded as store host in each record, or null
 * @param stagingBufferBytes the ring appends are copied into before the flush thread writes them
 */
public record StoreConfig(
    Path storePath,
    int commitLogSegmentBytes,
    int consumeQueueUnitsPerFile,
    int indexSlotCount,
    int indexEntriesPerFile,
    int maxMessageBytes,
    FlushMode flushMode,
    Duration flushInterval,
    Duration syncFlushTimeout,
    Duration checkpointInterval,
    Duration retention,
    Duration retentionCheckInterval,
    double diskCleanRatio,
    double diskRefuseWritesRatio,
    boolean preallocateSegments,
    boolean verifyChecksumOnRead,
    InetSocketAddress storeHost,
    int stagingBufferBytes) {

  /** Room for a record's header fields on top of the body limit. */
  public static final int MAX_HEADER_BYTES = 64 * 1024;

  /** Validates every value; throws IllegalArgumentException naming the key and the reason. */
  public StoreConfig {
    Objects.requireNonNull(storePath, "storePath");
    Objects.requireNonNull(flushMode, "flushMode");
    require(maxMessageBytes >= 1024, "maxMessageBytes", maxMessageBytes, "must be >= 1024");
    require(
        commitLogSegmentBytes >= 2 * (maxMessageBytes + MAX_HEADER_BYTES),
        "commitLogSegmentBytes",
        commitLogSegmentBytes,
        "must hold at least two largest records (2 * (maxMessageBytes + 65536))");
    require(
        consumeQueueUnitsPerFile >= 16 && consumeQueueUnitsPerFile <= 50_000_000,
        "consumeQueueUnitsPerFile",
        consumeQueueUnitsPerFile,
        "must be within [16, 50000000]");
    require(
        stagingBufferBytes >= 4L * (maxMessageBytes + MAX_HEADER_BYTES),
        "stagingBufferBytes",
        stagingBufferBytes,
        "must hold four of the largest records (4 * (maxMessageBytes + 65536))");
    require(indexSlotCount >= 1, "indexSlotCount", indexSlotCount, "must be >= 1");
    require(indexEntriesPerFile >= 1, "indexEntriesPerFile", indexEntriesPerFile, "must be >= 1");
    requirePositive(flushInterval, "flushInterval");
    requirePositive(syncFlushTimeout, "syncFlushTimeout");
    requirePositive(checkpointInterval, "checkpointInterval");
    requirePositive(retention, "retention");
    requirePositive(retentionCheckInterval, "retentionCheckInterval");
    require(
        diskCleanRatio > 0 && diskCleanRatio <= 1, "diskCleanRatio", diskCleanRatio, "in (0, 1]");
    require(
        diskRefuseWritesRatio > 0 && diskRefuseWritesRatio <= 1,
        "diskRefuseWritesRatio",
        diskRefuseWritesRatio,
        "in (0, 1]");
  }

  private static void require(boolean ok, String key, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("store config " + key + "=" + value + ": " + rule);
    }
  }

  private static void requirePositive(Duration d, String key) {
    Objects.requireNonNull(d, key);
    require(!d.isNegative() && !d.isZero(), key, d, "must be positive");
  }

  /**
   * A builder with the documented defaults.
   *
   * @param storePath the store directory
   * @return the builder
   */
  public static Builder builder(Path storePath) {
    return new Builder(storePath);
  }

  /**
   * @return a builder starting from this config
   */
  public Builder toBuilder() {
    Builder b = new Builder(storePath);
    b.commitLogSegmentBytes = commitLogSegmentBytes;
    b.consumeQueueUnitsPerFile = consumeQueueUnitsPerFile;
    b.indexSlotCount = indexSlotCount;
    b.indexEntriesPerFile = indexEntriesPerFile;
    b.maxMessageBytes = maxMessageBytes;
    b.flushMode = flushMode;
    b.flushInterval = flushInterval;
    b.syncFlushTimeout = syncFlushTimeout;
    b.checkpointInterval = checkpointInterval;
    b.retention = retention;
    b.retentionCheckInterval = retentionCheckInterval;
    b.diskCleanRatio = diskCleanRatio;
    b.diskRefuseWritesRatio = diskRefuseWritesRatio;
    b.preallocateSegments = preallocateSegments;
    b.verifyChecksumOnRead = verifyChecksumOnRead;
    b.storeHost = storeHost;
    b.stagingBufferBytes = stagingBufferBytes;
    return b;
  }

  /** Builds a {@link StoreConfig}; unset values keep their defaults. */
  public static final class Builder {
    private final Path storePath;
    private int commitLogSegmentBytes = 1 << 30;
    private int consumeQueueUnitsPerFile = 300_000;
    private int indexSlotCount = 1_000_000;
    private int indexEntriesPerFile = 4_000_000;
    private int maxMessageBytes = 4 << 20;
    private FlushMode flushMode = FlushMode.ASYNC;
    private Duration flushInterval = Duration.ofMillis(500);
    private Duration syncFlushTimeout = Duration.ofSeconds(5);
    private Duration checkpointInterval = Duration.ofSeconds(1);
    private Duration retention = Duration.ofHours(72);
    private Duration retentionCheckInterval = Duration.ofSeconds(10);
    private double diskCleanRatio = 0.75;
    private double diskRefuseWritesRatio = 0.90;
    private boolean preallocateSegments = true;
    private boolean verifyChecksumOnRead = true;
    private InetSocketAddress storeHost;
    private int stagingBufferBytes = 32 << 20;

    private Builder(Path storePath) {
      this.storePath = storePath;
    }

    /**
     * @param v segment size in bytes @return this
     */
    public Builder commitLogSegmentBytes(int v) {
      commitLogSegmentBytes = v;
      return this;
    }

    /**
     * @param v units per consume-queue file @return this
     */
    public Builder consumeQueueUnitsPerFile(int v) {
      consumeQueueUnitsPerFile = v;
      return this;
    }

    /**
     * @param v hash slots per index file @return this
     */
    public Builder indexSlotCount(int v) {
      indexSlotCount = v;
      return this;
    }

    /**
     * @param v entries per index file @return this
     */
    public Builder indexEntriesPerFile(int v) {
      indexEntriesPerFile = v;
      return this;
    }

    /**
     * @param v largest body in bytes @return this
     */
    public Builder maxMessageBytes(int v) {
      maxMessageBytes = v;
      return this;
    }

    /**
     * @param v the flush mode @return this
     */
    public Builder flushMode(FlushMode v) {
      flushMode = v;
      return this;
    }

    /**
     * @param v the ASYNC flush period @return this
     */
    public Builder flushInterval(Duration v) {
      flushInterval = v;
      return this;
    }

    /**
     * @param v the SYNC flush timeout @return this
     */
    public Builder syncFlushTimeout(Duration v) {
      syncFlushTimeout = v;
      return this;
    }

    /**
     * @param v the checkpoint period @return this
     */
    public Builder checkpointInterval(Duration v) {
      checkpointInterval = v;
      return this;
    }

    /**
     * @param v how long segments are kept @return this
     */
    public Builder retention(Duration v) {
      retention = v;
      return this;
    }

    /**
     * @param v how often retention runs @return this
     */
    public Builder retentionCheckInterval(Duration v) {
      retentionCheckInterval = v;
      return this;
    }

    /**
     * @param v disk usage ratio that forces cleaning @return this
     */
    public Builder diskCleanRatio(double v) {
      diskCleanRatio = v;
      return this;
    }

    /**
     * @param v disk usage ratio that refuses writes @return this
     */
    public Builder diskRefuseWritesRatio(double v) {
      diskRefuseWritesRatio = v;
      return this;
    }

    /**
     * @param v whether to zero-fill new files @return this
     */
    public Builder preallocateSegments(boolean v) {
      preallocateSegments = v;
      return this;
    }

    /**
     * @param v whether reads verify checksums @return this
     */
    public Builder verifyChecksumOnRead(boolean v) {
      verifyChecksumOnRead = v;
      return this;
    }

    /**
     * @param v the store host recorded in records @return this
     */
    public Builder storeHost(InetSocketAddress v) {
      storeHost = v;
      return this;
    }

    /**
     * @param v staging ring size in bytes
     * @return this
     */
    public Builder stagingBufferBytes(int v) {
      stagingBufferBytes = v;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the config
     * @throws IllegalArgumentException naming the first invalid key
     */
    public StoreConfig build() {
      return new StoreConfig(
          storePath,
          commitLogSegmentBytes,
          consumeQueueUnitsPerFile,
          indexSlotCount,
          indexEntriesPerFile,
          maxMessageBytes,
          flushMode,
          flushInterval,
          syncFlushTimeout,
          checkpointInterval,
          retention,
          retentionCheckInterval,
          diskCleanRatio,
          diskRefuseWritesRatio,
          preallocateSegments,
          verifyChecksumOnRead,
          storeHost,
          stagingBufferBytes);
    }
  }
}
