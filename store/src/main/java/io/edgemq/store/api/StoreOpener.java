package io.edgemq.store.api;

import io.edgemq.store.commitlog.CommitLog;
import io.edgemq.store.consumequeue.ConsumeQueue;
import io.edgemq.store.consumequeue.ConsumeQueueTable;
import io.edgemq.store.dispatch.Dispatcher;
import io.edgemq.store.file.SegmentedFile;
import io.edgemq.store.file.WriteMode;
import io.edgemq.store.index.IndexService;
import io.edgemq.store.recovery.Checkpoint;
import io.edgemq.store.recovery.CommitLogRecovery;
import io.edgemq.store.recovery.StoreLock;
import io.edgemq.store.retention.RetentionService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a store: lock, decide clean or unclean, recover the CommitLog end, repair consume queues
 * and index, re-dispatch, then start the background threads. Also the clean-close sequence.
 */
final class StoreOpener {
  private static final Logger LOG = LoggerFactory.getLogger(StoreOpener.class);
  private static final String ABORT = "abort";

  private StoreOpener() {}

  static MessageStore open(StoreConfig config, Clock clock) throws IOException {
    long started = System.nanoTime();
    Path dir = config.storePath();
    Files.createDirectories(dir);
    StoreLock lock = StoreLock.acquire(dir);
    try {
      return openLocked(config, clock, lock, started);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static MessageStore openLocked(
      StoreConfig config, Clock clock, StoreLock lock, long started) throws IOException {
    Path dir = config.storePath();
    Path abort = dir.resolve(ABORT);
    Checkpoint cp = Checkpoint.read(dir);
    boolean fresh = !Files.exists(dir.resolve("commitlog"));
    boolean clean = !Files.exists(abort) && (cp != null || fresh);
    if (cp == null) {
      cp = new Checkpoint(0, 0, 0);
    }
    ExecutorService allocator = Executors.newSingleThreadExecutor(daemon("store-allocate"));
    SegmentedFile segments =
        new SegmentedFile(
            dir.resolve("commitlog"),
            config.commitLogSegmentBytes(),
            config.preallocateSegments(),
            allocator,
            WriteMode.CHANNEL,
            config.flushMode() == FlushMode.SYNC);
    segments.load();
    ConsumeQueueTable queues =
        new ConsumeQueueTable(
            dir.resolve("consumequeue"),
            config.consumeQueueUnitsPerFile(),
            config.preallocateSegments());
    queues.load();
    Dispatcher[] dispatcherRef = new Dispatcher[1];
    CommitLog log = new CommitLog(config, clock, segments, () -> dispatcherRef[0].wakeup());

    CommitLogRecovery.Result scan;
    if (clean) {
      scan =
          new CommitLogRecovery.Result(
              cp.commitLogFlushed(), cp.commitLogFlushed(), 0, 0, List.of());
    } else {
      long from = cp.commitLogFlushed();
      LOG.warn("store {} was not closed cleanly; scanning the CommitLog from {}", dir, from);
      scan = CommitLogRecovery.recover(segments, from);
      // Records past the checkpoint may sit only in the page cache of the dead process.
      segments.force(scan.scannedFrom(), scan.end());
    }
    long end = scan.end();
    long dropped = clean ? 0 : queues.truncateAfter(end);
    IndexService index =
        new IndexService(
            dir.resolve("index"), config.indexSlotCount(), config.indexEntriesPerFile());
    index.load(end);
    index.prepareNext();

    long redispatchFrom = clean ? end : Math.max(Math.min(cp.dispatched(), end), log.minOffset());
    if (segments.isEmpty()) {
      redispatchFrom = end;
    }
    Dispatcher dispatcher = new Dispatcher(log, queues, index, redispatchFrom);
    dispatcherRef[0] = dispatcher;
    dispatcher.verifyChecksumsBelow(end);
    log.start(end);
    dispatcher.dispatchUntil(end);
    for (ConsumeQueue cq : queues.all()) {
      log.setNextQueueOffset(cq.topic(), cq.queueId(), cq.maxOffset());
    }
    queues.deleteBelow(log.minOffset());
    Files.write(abort, new byte[0]);

    RecoveryReport report =
        new RecoveryReport(
            clean,
            scan.scannedFrom(),
            end,
            scan.records(),
            scan.truncatedBytes(),
            scan.corruptedOffsets(),
            dropped,
            redispatchFrom,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    LOG.info("store {} open: {}", dir, report);

    RetentionService retention =
        new RetentionService(config, clock, log, queues, index, dispatcher::dispatchedOffset);
    ScheduledExecutorService housekeeping =
        Executors.newSingleThreadScheduledExecutor(daemon("store-housekeeping"));
    dispatcher.start();
    schedule(housekeeping, config, dir, log, queues, index, dispatcher, retention);
    return new MessageStore(
        new MessageStore.StoreParts(
            config,
            lock,
            log,
            queues,
            index,
            dispatcher,
            retention,
            housekeeping,
            allocator,
            report));
  }

  private static void schedule(
      ScheduledExecutorService ex,
      StoreConfig config,
      Path dir,
      CommitLog log,
      ConsumeQueueTable queues,
      IndexService index,
      Dispatcher dispatcher,
      RetentionService retention) {
    long cp = config.checkpointInterval().toMillis();
    ex.scheduleWithFixedDelay(
        () -> guard("checkpoint", () -> checkpoint(dir, log, queues, index, dispatcher)),
        cp,
        cp,
        TimeUnit.MILLISECONDS);
    long rt = config.retentionCheckInterval().toMillis();
    ex.scheduleWithFixedDelay(
        () -> guard("retention", retention::run), rt, rt, TimeUnit.MILLISECONDS);
    ex.scheduleWithFixedDelay(
        () -> guard("disk check", retention::checkDisk), 0, 1000, TimeUnit.MILLISECONDS);
    ex.scheduleWithFixedDelay(
        () -> guard("flush timeouts", log::expireFlushWaiters), 100, 100, TimeUnit.MILLISECONDS);
  }

  /** Flush queues and index first, then record how far they and the CommitLog are forced. */
  private static void checkpoint(
      Path dir, CommitLog log, ConsumeQueueTable queues, IndexService index, Dispatcher d)
      throws IOException {
    long dispatched = d.dispatchedOffset();
    queues.flush();
    index.flush();
    new Checkpoint(log.flushedOffset(), dispatched, System.currentTimeMillis()).write(dir);
  }

  static void closeCleanly(
      StoreConfig config, long end, long dispatched, ConsumeQueueTable queues, IndexService index)
      throws IOException {
    Path dir = config.storePath();
    queues.close();
    index.close();
    if (dispatched < end) {
      // Dispatch stalled: leave the abort marker so the next open re-dispatches.
      LOG.error("closing with dispatch at {} behind the log end {}", dispatched, end);
      new Checkpoint(end, dispatched, System.currentTimeMillis()).write(dir);
      return;
    }
    new Checkpoint(end, dispatched, System.currentTimeMillis()).write(dir);
    Files.deleteIfExists(dir.resolve(ABORT));
    LOG.info("store {} closed cleanly at {}", dir, end);
  }

  private interface IoTask {
    void run() throws IOException;
  }

  private static void guard(String what, IoTask task) {
    try {
      task.run();
    } catch (IOException | RuntimeException e) {
      // Background failure: log and let the next period try again; the process stays up.
      LOG.error("store {} failed", what, e);
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
