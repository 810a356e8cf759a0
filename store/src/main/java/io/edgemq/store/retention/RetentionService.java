package io.edgemq.store.retention;

import io.edgemq.store.api.StoreConfig;
import io.edgemq.store.commitlog.CommitLog;
import io.edgemq.store.commitlog.RecordDecoder;
import io.edgemq.store.commitlog.RecordDescriptor;
import io.edgemq.store.consumequeue.ConsumeQueueTable;
import io.edgemq.store.file.MappedFile;
import io.edgemq.store.index.IndexService;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the oldest CommitLog segments when every record in them is older than the retention, or
 * regardless of age while disk usage is above {@code diskCleanRatio}; then drops the consume-queue
 * and index files that only point into deleted segments. Never deletes the newest segment, nor one
 * the dispatcher has not finished.
 */
public final class RetentionService {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);
  private static final int MAX_DELETES_PER_RUN = 10;

  private final StoreConfig config;
  private final Clock clock;
  private final CommitLog log;
  private final ConsumeQueueTable queues;
  private final IndexService index;
  private final LongSupplier dispatched;

  /**
   * Creates the service.
   *
   * @param config the store config
   * @param clock the clock that ages records
   * @param log the CommitLog
   * @param queues the consume queues
   * @param index the index
   * @param dispatched the dispatcher's offset
   */
  public RetentionService(
      StoreConfig config,
      Clock clock,
      CommitLog log,
      ConsumeQueueTable queues,
      IndexService index,
      LongSupplier dispatched) {
    this.config = config;
    this.clock = clock;
    this.log = log;
    this.queues = queues;
    this.index = index;
    this.dispatched = dispatched;
  }

  /**
   * Runs once.
   *
   * @return how many CommitLog segments were deleted
   */
  public int run() {
    long now = clock.millis();
    int[] budget = {MAX_DELETES_PER_RUN};
    List<MappedFile> deleted =
        log.segments()
            .deleteFromHead(
                seg -> {
                  if (budget[0] == 0 || seg.endOffset() > dispatched.getAsLong()) {
                    return false;
                  }
                  boolean pressure = diskUsage() >= config.diskCleanRatio();
                  boolean expired = newestTimestamp(seg) + config.retention().toMillis() < now;
                  if (pressure || expired) {
                    budget[0]--;
                    LOG.info(
                        "deleting CommitLog segment {} ({})", seg, pressure ? "disk usage" : "age");
                    return true;
                  }
                  return false;
                });
    if (!deleted.isEmpty()) {
      long min = log.minOffset();
      int cq = queues.deleteBelow(min);
      int idx = index.deleteFilesBelow(min);
      LOG.info(
          "retention deleted {} segments, {} consume-queue files, {} index files; log starts at {}",
          deleted.size(),
          cq,
          idx,
          min);
    }
    checkDisk();
    return deleted.size();
  }

  /** Refuses or re-allows appends from the current disk usage. */
  public void checkDisk() {
    boolean full = diskUsage() >= config.diskRefuseWritesRatio();
    if (full != log.isDiskFull()) {
      LOG.warn(
          full ? "disk usage above {}: refusing appends" : "disk usage below {}: appends resume",
          config.diskRefuseWritesRatio());
    }
    log.setDiskFull(full);
  }

  /**
   * The used share of the store's file system.
   *
   * @return in [0, 1]
   */
  public double diskUsage() {
    try {
      FileStore fs = Files.getFileStore(config.storePath());
      long total = fs.getTotalSpace();
      return total == 0 ? 0 : 1.0 - (double) fs.getUsableSpace() / total;
    } catch (IOException e) {
      LOG.warn("cannot read disk usage of {}", config.storePath(), e);
      return 0;
    }
  }

  /** The store time of the next segment's first record bounds every record in this one. */
  private long newestTimestamp(MappedFile seg) {
    MappedFile next = log.segments().find(seg.endOffset());
    if (next == null || !next.acquire()) {
      return Long.MAX_VALUE;
    }
    try {
      ByteBuffer v = next.view();
      RecordDecoder.Check c = RecordDecoder.check(v, 0, next.baseOffset());
      return c.kind() == RecordDecoder.Kind.MESSAGE
          ? v.getLong(RecordDescriptor.STORE_TIMESTAMP_OFFSET)
          : Long.MAX_VALUE;
    } finally {
      next.release();
    }
  }
}
