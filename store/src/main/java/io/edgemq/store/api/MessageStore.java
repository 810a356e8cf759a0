package io.edgemq.store.api;

import io.edgemq.store.commitlog.CommitLog;
import io.edgemq.store.consumequeue.ConsumeQueue;
import io.edgemq.store.consumequeue.ConsumeQueueTable;
import io.edgemq.store.consumequeue.UnitBatch;
import io.edgemq.store.dispatch.Dispatcher;
import io.edgemq.store.dispatch.IndexKeys;
import io.edgemq.store.file.SegmentedFile;
import io.edgemq.store.index.IndexService;
import io.edgemq.store.recovery.StoreLock;
import io.edgemq.store.retention.RetentionService;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The message store: append to the CommitLog, read by queue offset, physical offset, id or key.
 * Open it with {@link #open}; close it to stop cleanly (the next open then needs no scan).
 * Thread-safe.
 */
public final class MessageStore implements AutoCloseable {
  /** Most units scanned per queue read, so a selective filter cannot make one read unbounded. */
  static final int MAX_SCAN_UNITS = 8192;

  private final StoreConfig config;
  private final StoreLock lock;
  private final CommitLog log;
  private final ConsumeQueueTable queues;
  private final IndexService index;
  private final Dispatcher dispatcher;
  private final RetentionService retention;
  private final ScheduledExecutorService housekeeping;
  private final ExecutorService allocator;
  private final RecoveryReport recovery;
  private volatile boolean closed;

  MessageStore(StoreParts parts) {
    this.config = parts.config;
    this.lock = parts.lock;
    this.log = parts.log;
    this.queues = parts.queues;
    this.index = parts.index;
    this.dispatcher = parts.dispatcher;
    this.retention = parts.retention;
    this.housekeeping = parts.housekeeping;
    this.allocator = parts.allocator;
    this.recovery = parts.recovery;
  }

  /**
   * Opens (and if needed creates and recovers) a store.
   *
   * @param config the config
   * @param clock the clock for store timestamps and retention
   * @return the open store
   * @throws IOException if the directory is locked by another process, or cannot be recovered
   */
  public static MessageStore open(StoreConfig config, Clock clock) throws IOException {
    return StoreOpener.open(config, clock);
  }

  /**
   * @return the config it was opened with
   */
  public StoreConfig config() {
    return config;
  }

  /**
   * @return what happened while opening
   */
  public RecoveryReport recoveryReport() {
    return recovery;
  }

  /**
   * Appends a message.
   *
   * @param message the message
   * @return completes with the outcome once stored as the flush mode says; never exceptionally
   */
  public CompletableFuture<AppendResult> append(Message message) {
    return log.append(message);
  }

  /**
   * Appends messages of one topic and queue, all or nothing.
   *
   * @param batch the messages; bodies total at most {@code maxMessageBytes}
   * @return completes with the outcome; never exceptionally
   */
  public CompletableFuture<BatchAppendResult> appendBatch(List<Message> batch) {
    return log.appendBatch(batch);
  }

  /**
   * Reads the record at a CommitLog offset.
   *
   * @param physicalOffset the offset
   * @return the message, or why not
   */
  public ReadResult readAt(long physicalOffset) {
    return log.read(physicalOffset);
  }

  /**
   * Reads messages of one queue from an offset.
   *
   * @param topic the topic
   * @param queueId the queue id
   * @param offset the first queue offset
   * @param maxCount the most messages to return
   * @param filter selects messages; non-matching ones are skipped
   * @return the messages and where to read next
   */
  public QueueReadResult read(
      String topic, int queueId, long offset, int maxCount, MessageFilter filter) {
    ConsumeQueue cq = queues.find(topic, queueId);
    if (cq == null) {
      return new QueueReadResult(QueueReadStatus.NO_QUEUE, List.of(), 0, 0, 0, List.of());
    }
    long min = cq.minOffset();
    long max = cq.maxOffset();
    if (offset < min) {
      return empty(QueueReadStatus.OFFSET_GONE, min, min, max);
    }
    if (offset > max) {
      return empty(QueueReadStatus.OFFSET_OVERFLOW, max, min, max);
    }
    if (offset == max) {
      return empty(QueueReadStatus.NO_NEW_MESSAGE, max, min, max);
    }
    return new QueueReader(log, cq, filter).read(offset, maxCount, MAX_SCAN_UNITS);
  }

  private static QueueReadResult empty(QueueReadStatus s, long next, long min, long max) {
    return new QueueReadResult(s, List.of(), next, min, max, List.of());
  }

  /**
   * Finds a message by id.
   *
   * @param id the id
   * @return the message, if stored and not deleted
   */
  public Optional<StoredMessage> findById(MessageId id) {
    for (long phys : index.queryHash(IndexKeys.forId(id), 0, Long.MAX_VALUE, 8)) {
      ReadResult r = log.read(phys);
      if (r.isFound() && r.message().messageId().equals(id)) {
        return Optional.of(r.message());
      }
    }
    return Optional.empty();
  }

  /**
   * Finds every stored record with a message id (a message may be stored more than once under one
   * id: a transaction's half message and its committed copy, a retried send).
   *
   * @param id the id
   * @param maxCount the most records to return
   * @return the records, newest first
   */
  public List<StoredMessage> findAllById(MessageId id, int maxCount) {
    List<StoredMessage> out = new ArrayList<>();
    for (long phys :
        new LinkedHashSet<>(
            index.queryHash(IndexKeys.forId(id), 0, Long.MAX_VALUE, 2 * maxCount))) {
      ReadResult r = log.read(phys);
      if (r.isFound() && r.message().messageId().equals(id)) {
        out.add(r.message());
        if (out.size() == maxCount) {
          break;
        }
      }
    }
    return out;
  }

  /**
   * Finds messages of a topic by key within a store-time range, newest first.
   *
   * @param topic the topic
   * @param key the key
   * @param beginTimestamp earliest store time, inclusive
   * @param endTimestamp latest store time, inclusive
   * @param maxCount the most messages to return
   * @return the messages
   */
  public List<StoredMessage> findByKey(
      String topic, String key, long beginTimestamp, long endTimestamp, int maxCount) {
    Set<Long> offsets =
        new LinkedHashSet<>(
            index.queryHash(
                IndexKeys.forKey(topic, key), beginTimestamp, endTimestamp, 2 * maxCount));
    List<StoredMessage> out = new ArrayList<>();
    for (long phys : offsets) {
      ReadResult r = log.read(phys);
      if (r.isFound() && r.message().topic().equals(topic) && r.message().keys().contains(key)) {
        out.add(r.message());
        if (out.size() == maxCount) {
          break;
        }
      }
    }
    return out;
  }

  /**
   * The first readable offset of a queue.
   *
   * @param topic the topic
   * @param queueId the queue id
   * @return the offset, 0 for an unknown queue
   */
  public long minQueueOffset(String topic, int queueId) {
    ConsumeQueue cq = queues.find(topic, queueId);
    return cq == null ? 0 : cq.minOffset();
  }

  /**
   * The end of a queue: the offset its next message will get once dispatched.
   *
   * @param topic the topic
   * @param queueId the queue id
   * @return the offset, 0 for an unknown queue
   */
  public long maxQueueOffset(String topic, int queueId) {
    ConsumeQueue cq = queues.find(topic, queueId);
    return cq == null ? 0 : cq.maxOffset();
  }

  /**
   * Registers a listener told when messages become readable (for long polling).
   *
   * @param listener the listener; called on the dispatcher thread
   */
  public void addArrivalListener(ArrivalListener listener) {
    dispatcher.addListener(listener);
  }

  /**
   * Runs retention now rather than waiting for its period.
   *
   * @return how many CommitLog segments were deleted
   */
  public int runRetention() {
    return retention.run();
  }

  /**
   * @return a snapshot of positions and counters
   */
  public StoreStats stats() {
    SegmentedFile segs = log.segments();
    return new StoreStats(
        log.minOffset(),
        log.writtenOffset(),
        log.flushedOffset(),
        dispatcher.dispatchedOffset(),
        segs.segments().size(),
        index.fileCount(),
        dispatcher.errorCount(),
        dispatcher.corruptRecordCount(),
        dispatcher.stalledReason(),
        log.isDiskFull(),
        segs.forceCount(),
        segs.forceNanos());
  }

  /**
   * Stops cleanly: refuses new appends, forces the CommitLog, finishes dispatch, forces queues and
   * index, writes the checkpoint and removes the abort marker. Idempotent.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    // Let a checkpoint in progress finish: interrupting it would break its file channel, and a
    // late one must not rename a stale checkpoint over the final one written below.
    housekeeping.shutdown();
    try {
      if (!housekeeping.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IOException("store housekeeping did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while closing the store", e);
    }
    long end = log.shutdown();
    dispatcher.shutdown();
    StoreOpener.closeCleanly(config, end, dispatcher.dispatchedOffset(), queues, index);
    log.segments().close();
    allocator.shutdownNow();
    lock.close();
  }

  /** Everything {@link StoreOpener} builds, handed over in one piece. */
  record StoreParts(
      StoreConfig config,
      StoreLock lock,
      CommitLog log,
      ConsumeQueueTable queues,
      IndexService index,
      Dispatcher dispatcher,
      RetentionService retention,
      ScheduledExecutorService housekeeping,
      ExecutorService allocator,
      RecoveryReport recovery) {}

  /** Reads a queue range: tag-hash filter on units, then exact filter on decoded records. */
  private record QueueReader(CommitLog log, ConsumeQueue cq, MessageFilter filter) {
    QueueReadResult read(long offset, int maxCount, int maxScan) {
      List<StoredMessage> found = new ArrayList<>();
      List<Long> corrupted = new ArrayList<>();
      UnitBatch batch = new UnitBatch(Math.min(maxScan, 1024));
      long next = offset;
      long scanLimit = Math.min(cq.maxOffset(), offset + maxScan);
      while (next < scanLimit && found.size() < maxCount) {
        if (!cq.read(next, batch) || batch.count() == 0) {
          break;
        }
        int i = 0;
        for (; i < batch.count() && found.size() < maxCount; i++) {
          long q = next + i;
          if (batch.size(i) == 0) {
            corrupted.add(q);
          } else if (filter.matchesTagHash(batch.tagHash(i))) {
            ReadResult r = log.read(batch.physicalOffset(i));
            if (r.status() == ReadStatus.CORRUPTED) {
              corrupted.add(q);
            } else if (r.isFound() && filter.matches(r.message())) {
              found.add(r.message());
            }
          }
        }
        next += i;
      }
      QueueReadStatus s =
          found.isEmpty() ? QueueReadStatus.NO_MATCHED_MESSAGE : QueueReadStatus.FOUND;
      return new QueueReadResult(s, found, next, cq.minOffset(), cq.maxOffset(), corrupted);
    }
  }
}
