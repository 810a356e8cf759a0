package io.edgemq.broker.timer;

import io.edgemq.broker.common.SystemTopics;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.AppendStatus;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.QueueReadStatus;
import io.edgemq.store.api.ReadResult;
import io.edgemq.store.api.StoredMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers messages at a time. {@link #schedule} stores a waiting copy in queue 0 of {@code
 * %TIMER%} (so it is as durable as any message); the {@code broker-timer} thread then follows that
 * queue, indexes each record by fire time into a {@link BucketFiles} bucket, loads each bucket into
 * memory shortly before it is due, and fires entries in (fire time, timer offset) order: it appends
 * the message to its real topic and records the last fired entry in the {@link TimerCheckpoint}. No
 * scan of pending messages happens anywhere; the work per message is one index append, one load and
 * one append.
 *
 * <p>A restart resumes from the checkpoint: entries at or before the last fired one are skipped,
 * later ones fire. After a clean stop nothing fires twice; after a crash the entries fired in the
 * last {@link #CHECKPOINT_EVERY_MS} may fire again (same message id). A message due further ahead
 * than the roll window fires as a "roll" when the window has passed: its record is appended to
 * {@code %TIMER%} again, so no waiting record gets older than the window (the store's retention
 * deletes old records).
 */
public final class TimerService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TimerService.class);
  static final long CHECKPOINT_EVERY_MS = 100;
  private static final long LOOKAHEAD_MS = 10_000;
  private static final long IDLE_PARK_MS = 100;
  private static final int READ_BATCH = 512;
  private static final int FIRE_BATCH = 512;
  private static final int LOAD_CHUNK = 4096;

  private final Path dir;
  private final MessageStore store;
  private final TopicTable topics;
  private final Clock clock;
  private final long rollWindowMs;
  private final BucketFiles buckets;
  private final PriorityQueue<TimerEntry> due = new PriorityQueue<>(TimerEntry.ORDER);
  private final Thread thread;
  private volatile boolean running = true;
  private long enqueued;
  private long firedAt;
  private long firedOffset;
  private long loadedThrough;
  private List<TimerEntry> loading = List.of();
  private int loadingAt;
  private long lastCheckpointMs;
  private TimerCheckpoint written;

  private TimerService(
      Path dir,
      MessageStore store,
      TopicTable topics,
      Clock clock,
      Duration rollWindow,
      BucketFiles buckets,
      TimerCheckpoint cp) {
    this.dir = dir;
    this.store = store;
    this.topics = topics;
    this.clock = clock;
    this.rollWindowMs = rollWindow.toMillis();
    this.buckets = buckets;
    this.enqueued = cp.enqueued();
    this.firedAt = cp.firedAt();
    this.firedOffset = cp.firedOffset();
    this.written = cp;
    this.loadedThrough = Long.MIN_VALUE;
    this.thread = new Thread(this::run, "broker-timer");
    thread.setDaemon(true);
  }

  /**
   * Opens the timer's files under {@code dir} and starts its thread.
   *
   * @param dir the timer directory ({@code <dataDir>/timer})
   * @param store the broker's store
   * @param topics the topic table (destinations)
   * @param clock the broker's clock
   * @param rollWindow the longest a waiting record may wait before it is written again
   * @return the running service
   * @throws IOException when the files cannot be read
   */
  public static TimerService start(
      Path dir, MessageStore store, TopicTable topics, Clock clock, Duration rollWindow)
      throws IOException {
    BucketFiles files = BucketFiles.open(dir.resolve("buckets"));
    TimerCheckpoint cp = TimerCheckpoint.read(dir);
    TimerService t = new TimerService(dir, store, topics, clock, rollWindow, files, cp);
    t.dropFiredBuckets();
    store.addArrivalListener(
        (topic, queueId, offset, tagHash) -> {
          if (SystemTopics.TIMER.equals(topic)) {
            LockSupport.unpark(t.thread);
          }
        });
    t.thread.start();
    return t;
  }

  /**
   * Stores a message that is to be delivered at a time.
   *
   * @param real the message with its destination topic and queue
   * @param deliverAt when (epoch ms)
   * @return the append of its waiting copy to {@code %TIMER%}
   */
  public CompletableFuture<AppendResult> schedule(Message real, long deliverAt) {
    return store.append(waiting(real, deliverAt));
  }

  /**
   * @param real the message with its destination topic and queue
   * @param deliverAt when it is due (epoch ms)
   * @return the copy that waits in {@code %TIMER%} (append it to the store to schedule it)
   */
  public static Message waiting(Message real, long deliverAt) {
    return ScheduledMessages.toTimer(real, deliverAt);
  }

  private void run() {
    while (running) {
      try {
        boolean worked = enqueueSome();
        worked |= fireDue();
        maybeCheckpoint(false);
        if (!worked) {
          park();
        }
      } catch (IOException | RuntimeException e) {
        LOG.error("timer round failed; retrying in 1 s", e);
        LockSupport.parkNanos(1_000_000_000L);
      }
    }
  }

  private void park() {
    long wait = IDLE_PARK_MS;
    TimerEntry next = due.peek();
    if (next != null) {
      wait = Math.max(1, Math.min(wait, next.fireAt() - clock.millis()));
    }
    LockSupport.parkNanos(wait * 1_000_000L);
  }

  /** Indexes new {@code %TIMER%} records into bucket files (and memory, for loaded buckets). */
  private boolean enqueueSome() throws IOException {
    QueueReadResult r = store.read(SystemTopics.TIMER, 0, enqueued, READ_BATCH, MessageFilter.ALL);
    if (r.status() == QueueReadStatus.OFFSET_GONE) {
      LOG.error(
          "scheduled messages at timer offsets {}..{} were deleted by retention before they were"
              + " indexed; going on at {}",
          enqueued,
          r.nextOffset() - 1,
          r.nextOffset());
      enqueued = r.nextOffset();
      return true;
    }
    if (r.messages().isEmpty()) {
      if (r.nextOffset() > enqueued) {
        enqueued = r.nextOffset();
        return true;
      }
      return false;
    }
    long now = clock.millis();
    List<TimerEntry> loaded = new ArrayList<>();
    for (StoredMessage s : r.messages()) {
      TimerEntry e = entry(s, now);
      buckets.append(e);
      if (BucketFiles.bucketOf(e.fireAt()) <= loadedThrough) {
        loaded.add(e);
      }
    }
    // forced before the checkpoint that covers them is written (maybeCheckpoint), not per batch:
    // an fsync per few messages would compete with the CommitLog's own flushes
    due.addAll(loaded);
    enqueued = r.nextOffset();
    return true;
  }

  private TimerEntry entry(StoredMessage s, long now) {
    long at = ScheduledMessages.deliverAt(s);
    boolean roll = at - now > rollWindowMs;
    long fire = roll ? now + rollWindowMs : at;
    // never before the last fired entry, so firing order (and the checkpoint) only moves forward;
    // the timer offset grows, so (firedAt, this offset) is after the last fired entry
    fire = Math.max(fire, firedAt);
    return new TimerEntry(fire, s.queueOffset(), s.physicalOffset(), roll);
  }

  /** Loads (part of) a bucket that is about to be due, then fires what is due now. */
  private boolean fireDue() throws IOException {
    long now = clock.millis();
    boolean loaded = loadBuckets(now);
    List<TimerEntry> batch = new ArrayList<>();
    TimerEntry last = null;
    long limit = fireLimit(now);
    while (batch.size() < FIRE_BATCH && !due.isEmpty() && due.peek().fireAt() <= limit) {
      TimerEntry e = due.poll();
      // a bucket file may hold an entry twice (indexed again after a crash): same key
      if (last != null && TimerEntry.ORDER.compare(last, e) == 0) {
        continue;
      }
      batch.add(e);
      last = e;
    }
    if (batch.isEmpty()) {
      return loaded;
    }
    List<CompletableFuture<Boolean>> fired = new ArrayList<>(batch.size());
    for (TimerEntry e : batch) {
      fired.add(fire(e));
    }
    for (int i = 0; i < batch.size(); i++) {
      if (!fired.get(i).join()) {
        // the store refused (disk full, closing): fire the rest again later
        for (int j = i; j < batch.size(); j++) {
          due.add(batch.get(j));
        }
        LockSupport.parkNanos(1_000_000_000L);
        break;
      }
      firedAt = batch.get(i).fireAt();
      firedOffset = batch.get(i).timerOffset();
    }
    dropFiredBuckets();
    return true;
  }

  /**
   * Moves the next bucket file about to be due into memory, {@link #LOAD_CHUNK} entries per round,
   * so firing goes on between chunks instead of waiting for a whole bucket (a minute of a busy
   * timer is hundreds of thousands of entries).
   */
  private boolean loadBuckets(long now) throws IOException {
    if (loadingAt < loading.size()) {
      addChunk();
      return true;
    }
    long upTo = BucketFiles.bucketOf(now + LOOKAHEAD_MS);
    if (upTo <= loadedThrough) {
      return false;
    }
    Long next = buckets.buckets().higher(loadedThrough);
    if (next == null || next > upTo) {
      loadedThrough = upTo;
      return false;
    }
    // read in one go, so entries indexed from now on into this bucket go to memory directly
    loading = buckets.load(next);
    loadingAt = 0;
    loadedThrough = next;
    addChunk();
    return true;
  }

  private void addChunk() {
    int end = Math.min(loading.size(), loadingAt + LOAD_CHUNK);
    for (int i = loadingAt; i < end; i++) {
      TimerEntry e = loading.get(i);
      if (e.after(firedAt, firedOffset)) {
        due.add(e);
      }
    }
    loadingAt = end;
    if (end == loading.size()) {
      loading = List.of();
      loadingAt = 0;
    }
  }

  /**
   * @return entries firing at or after this wait: the part of a bucket still being loaded may hold
   *     earlier ones (normally it is loaded well before it starts, so this never holds anything)
   */
  private long fireLimit(long now) {
    return loadingAt < loading.size() ? Math.min(now, loadedThrough - 1) : now;
  }

  private CompletableFuture<Boolean> fire(TimerEntry e) {
    ReadResult r = store.readAt(e.physicalOffset());
    if (!r.isFound()
        || !r.message().topic().equals(SystemTopics.TIMER)
        || r.message().queueOffset() != e.timerOffset()) {
      LOG.error(
          "scheduled message at timer offset {} (CommitLog {}) is gone ({}); skipped",
          e.timerOffset(),
          e.physicalOffset(),
          r.isFound() ? "another record is there" : r.status() + " " + r.reason());
      return CompletableFuture.completedFuture(true);
    }
    StoredMessage s = r.message();
    Message out;
    if (e.roll()) {
      out = ScheduledMessages.again(s);
    } else {
      Optional<Message> real = ScheduledMessages.toReal(s, topics);
      if (real.isEmpty()) {
        LOG.warn(
            "scheduled message {} is due but its topic {} no longer exists; dropped",
            s.messageId(),
            s.properties().get(SystemTopics.REAL_TOPIC));
        return CompletableFuture.completedFuture(true);
      }
      out = real.get();
    }
    return store
        .append(out)
        .thenApply(
            a -> {
              if (a.status() == AppendStatus.OK || a.status() == AppendStatus.FLUSH_TIMEOUT) {
                return true;
              }
              if (a.status() == AppendStatus.MESSAGE_TOO_LARGE
                  || a.status() == AppendStatus.MESSAGE_INVALID
                  || a.status() == AppendStatus.TOPIC_INVALID) {
                LOG.error("scheduled message {} cannot be stored: {}; dropped", s.messageId(), a);
                return true;
              }
              return false;
            });
  }

  /** Deletes bucket files whose every entry has fired (nothing new can go into them). */
  private void dropFiredBuckets() throws IOException {
    for (long b : List.copyOf(buckets.buckets())) {
      if (b + BucketFiles.WIDTH_MS > firedAt) {
        return;
      }
      if (b <= loadedThrough || loadedThrough == Long.MIN_VALUE) {
        buckets.delete(b);
      }
    }
  }

  private void maybeCheckpoint(boolean force) throws IOException {
    long now = System.nanoTime() / 1_000_000;
    if (!force && now - lastCheckpointMs < CHECKPOINT_EVERY_MS) {
      return;
    }
    TimerCheckpoint cp = new TimerCheckpoint(enqueued, firedAt, firedOffset);
    if (!cp.equals(written)) {
      // the entries the checkpoint says are indexed must be on disk first
      buckets.force();
      cp.write(dir);
      written = cp;
    }
    lastCheckpointMs = now;
  }

  /**
   * Stops the thread, then writes the final checkpoint (so a restart fires nothing twice).
   *
   * @throws IOException when the checkpoint cannot be written
   */
  @Override
  public void close() throws IOException {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    maybeCheckpoint(true);
    buckets.close();
  }
}
