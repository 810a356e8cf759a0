package io.edgemq.store.dispatch;

import io.edgemq.store.api.ArrivalListener;
import io.edgemq.store.commitlog.CommitLog;
import io.edgemq.store.commitlog.RecordDecoder;
import io.edgemq.store.commitlog.RecordDescriptor;
import io.edgemq.store.consumequeue.ConsumeQueue;
import io.edgemq.store.consumequeue.ConsumeQueueTable;
import io.edgemq.store.file.MappedFile;
import io.edgemq.store.index.IndexService;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the CommitLog from the last dispatched offset to the dispatchable end, and for each
 * record adds a consume-queue unit, index entries for its id and keys, and tells the listeners. One
 * thread; it parks when idle and writers wake it.
 */
public final class Dispatcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final int MAX_RECORDS_PER_PASS = 4096;
  private static final long IDLE_PARK_NANOS = 1_000_000L;
  private static final long ERROR_BACKOFF_NANOS = 100_000_000L;

  private final CommitLog log;
  private final ConsumeQueueTable queues;
  private final IndexService index;
  private final List<ArrivalListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong corruptRecords = new AtomicLong();
  private final Thread thread;
  private final DispatchDecoder decoder = new DispatchDecoder();
  private volatile long verifyBelow;
  private volatile long dispatched;
  private volatile boolean sleeping;
  private volatile boolean running = true;
  private volatile String stalledReason;

  /**
   * Creates a dispatcher.
   *
   * @param log the CommitLog to follow
   * @param queues the consume queues to build
   * @param index the index to build
   * @param start the first CommitLog offset to dispatch
   */
  public Dispatcher(CommitLog log, ConsumeQueueTable queues, IndexService index, long start) {
    this.log = log;
    this.queues = queues;
    this.index = index;
    this.dispatched = start;
    this.thread = new Thread(this, "store-dispatch");
    thread.setDaemon(true);
  }

  /**
   * @param listener told of every new message
   */
  public void addListener(ArrivalListener listener) {
    listeners.add(listener);
  }

  /**
   * Records below this offset are checked by CRC before dispatch: they were not written by this
   * process (recovery re-dispatch). Records appended since are trusted, to spare the CPU.
   *
   * @param offset the recovered end of the log
   */
  public void verifyChecksumsBelow(long offset) {
    this.verifyBelow = offset;
  }

  /** Starts the thread. */
  public void start() {
    thread.start();
  }

  /** Wakes the thread if it is parked; cheap when it is not. */
  public void wakeup() {
    if (sleeping) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * @return the CommitLog offset below which every record is dispatched
   */
  public long dispatchedOffset() {
    return dispatched;
  }

  /**
   * @return dispatch failures so far (I/O errors while building queues or index)
   */
  public long errorCount() {
    return errors.get();
  }

  /**
   * @return records skipped because their checksum failed
   */
  public long corruptRecordCount() {
    return corruptRecords.get();
  }

  /**
   * @return why dispatch cannot go on, or null while it can
   */
  public String stalledReason() {
    return stalledReason;
  }

  /**
   * Dispatches synchronously up to an offset, on the caller's thread; used by recovery before the
   * thread starts.
   *
   * @param end the offset to reach
   */
  public void dispatchUntil(long end) {
    while (dispatched < end && stalledReason == null) {
      if (dispatchPass(end) == 0 && dispatched < end) {
        throw new IllegalStateException(
            "re-dispatch stuck at " + dispatched + " before " + end + ": " + stalledReason);
      }
    }
  }

  @Override
  public void run() {
    while (running) {
      int n;
      try {
        n = dispatchPass(log.dispatchableOffset());
      } catch (RuntimeException e) {
        // A bug or a damaged file: stop dispatching visibly (stats, log) rather than die silently.
        LOG.error("dispatch failed at {}", dispatched, e);
        stall("unexpected " + e);
        n = 0;
      }
      if (n == 0) {
        idle();
      }
    }
  }

  private void idle() {
    sleeping = true;
    if (log.dispatchableOffset() > dispatched && stalledReason == null) {
      sleeping = false;
      return;
    }
    LockSupport.parkNanos(IDLE_PARK_NANOS);
    sleeping = false;
  }

  /** Dispatches records in one segment; returns how many. */
  private int dispatchPass(long end) {
    long offset = dispatched;
    if (offset >= end || stalledReason != null) {
      return 0;
    }
    MappedFile seg = log.segments().find(offset);
    if (seg == null || !seg.acquire()) {
      stall("segment holding offset " + offset + " is missing");
      return 0;
    }
    int n = 0;
    try {
      ByteBuffer view = seg.view();
      while (offset < end && offset < seg.endOffset() && n < MAX_RECORDS_PER_PASS) {
        int pos = (int) (offset - seg.baseOffset());
        RecordDecoder.Check c =
            RecordDecoder.check(view, pos, seg.baseOffset(), offset < verifyBelow);
        switch (c.kind()) {
          case MESSAGE -> {
            if (!dispatchOne(decoder.decode(view, pos))) {
              return n;
            }
            offset += c.size();
          }
          case BLANK -> offset = seg.endOffset();
          case END -> {
            stall("zeros at " + offset + " below the written end " + end);
            return n;
          }
          case INVALID -> {
            if (!skipCorrupt(offset, c, seg)) {
              return n;
            }
            offset += c.size();
          }
        }
        n++;
        dispatched = offset;
      }
    } finally {
      seg.release();
    }
    return n;
  }

  private boolean skipCorrupt(long offset, RecordDecoder.Check c, MappedFile seg) {
    long pos = offset - seg.baseOffset();
    if (c.size() < RecordDescriptor.MIN_RECORD_LENGTH || pos + c.size() > seg.size()) {
      stall("unreadable record at " + offset + " (" + c.reason() + ")");
      return false;
    }
    corruptRecords.incrementAndGet();
    LOG.error(
        "record at CommitLog offset {} is corrupted ({}); not indexed, its queue slot becomes a hole",
        offset,
        c.reason());
    return true;
  }

  private boolean dispatchOne(DispatchRecord r) {
    try {
      ConsumeQueue cq = queues.getOrCreate(r.topic(), r.queueId());
      cq.put(r.queueOffset(), r.physicalOffset(), r.size(), r.tagHash());
      if (r.physicalOffset() >= index.maxIndexedPhysicalOffset()) {
        // ">=": a crash may have indexed only some keys of the newest record; duplicates are
        // removed at query time.
        index.putHash(r.idHash(), r.physicalOffset(), r.storeTimestamp());
        for (long k : r.keyHashes()) {
          index.putHash(k, r.physicalOffset(), r.storeTimestamp());
        }
      }
    } catch (IOException e) {
      errors.incrementAndGet();
      LOG.error("dispatch of record at {} failed; retrying", r.physicalOffset(), e);
      LockSupport.parkNanos(ERROR_BACKOFF_NANOS);
      return false;
    }
    for (ArrivalListener l : listeners) {
      l.onArrival(r.topic(), r.queueId(), r.queueOffset(), r.tagHash());
    }
    return true;
  }

  private void stall(String reason) {
    if (stalledReason == null) {
      stalledReason = reason;
      errors.incrementAndGet();
      LOG.error("dispatch stopped: {}", reason);
    }
  }

  /** Stops the thread after dispatching everything dispatchable. */
  public void shutdown() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stalledReason == null) {
      dispatchUntil(log.dispatchableOffset());
    }
  }
}
