package io.edgemq.broker.pop;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.group.GroupManager;
import io.edgemq.broker.pull.TagFilter;
import io.edgemq.broker.retry.RetryService;
import io.edgemq.broker.send.MessageMapper;
import io.edgemq.broker.topic.Topic;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.ReceiveRequest;
import io.edgemq.protocol.v1.ReceiveResponse;
import io.edgemq.protocol.v1.ReceivedMessage;
import io.edgemq.store.api.MessageStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receive with long polling over a topic's queues on this broker. Ack and ChangeInvisibleDuration
 * are in {@link Deliveries}; dead letters and log upkeep in {@link Sweeper}.
 */
public final class PopService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PopService.class);

  /** Most messages in flight per group and queue; a full queue only hands out expired ones. */
  public static final int MAX_IN_FLIGHT_PER_QUEUE = 10_000;

  static final long MIN_INVISIBLE_MS = 1_000;
  static final long MAX_INVISIBLE_MS = Duration.ofHours(12).toMillis();
  private static final int DEFAULT_MAX = 32;
  private static final int MAX_MESSAGES = 1024;
  private static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  private final String brokerName;
  private final boolean master;
  private final MessageStore store;
  private final TopicTable topics;
  private final GroupManager groups;
  private final RetryService retry;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final long longPollMaxMs;
  private final PopTable table;
  private final QueuePopper popper;
  private final DeadLetterer deadLetterer;
  private final Deliveries deliveries;
  private final PopWaiters waiters;
  private final AtomicInteger rotation = new AtomicInteger();
  private volatile boolean closed;

  private PopService(Parts p, PopTable table) {
    this.brokerName = p.brokerName;
    this.master = p.master;
    this.store = p.store;
    this.topics = p.topics;
    this.groups = p.groups;
    this.retry = p.retry;
    this.clock = p.clock;
    this.scheduler = p.scheduler;
    this.longPollMaxMs = p.longPollMax.toMillis();
    this.table = table;
    this.popper = new QueuePopper(p.store, table, MAX_IN_FLIGHT_PER_QUEUE);
    this.deadLetterer = new DeadLetterer(p.store, table, p.retry, p.executor);
    this.deliveries = new Deliveries(p.brokerName, p.master, table, p.clock);
    this.waiters = new PopWaiters(p.executor, this::attempt);
    p.store.addArrivalListener(waiters);
  }

  /**
   * What the service works with.
   *
   * @param brokerName this broker group's name (receipt handles carry it)
   * @param master whether this broker takes writes (a replica refuses pop calls)
   * @param store the store
   * @param topics the topic table
   * @param groups the group manager (consumption switched off by an operator)
   * @param retry the retry service (the group's retries and dead letters)
   * @param clock the broker clock: invisible times are counted on it
   * @param executor where woken receives and dead-letter answers run
   * @param scheduler where long-poll timers and the sweep run
   * @param longPollMax the longest a receive is held
   */
  public record Parts(
      String brokerName,
      boolean master,
      MessageStore store,
      TopicTable topics,
      GroupManager groups,
      RetryService retry,
      Clock clock,
      Executor executor,
      ScheduledExecutorService scheduler,
      Duration longPollMax) {}

  /**
   * Loads the pop state from {@code dir} and starts the sweep (every second: dead letters of
   * expired last deliveries, a sync of the log, compaction when due).
   *
   * @param dir the pop directory, {@code <dataDir>/pop}
   * @param parts what the service works with
   * @return the running service
   * @throws IOException when the pop log cannot be read or written
   */
  public static PopService start(Path dir, Parts parts) throws IOException {
    PopService s = new PopService(parts, PopTable.open(dir));
    Sweeper sweeper = new Sweeper(s.table, parts.retry, s.deadLetterer, parts.clock);
    // the scheduler only hands the sweep on: its thread also times every long poll, and a sync
    // of the log may take a while on a busy disk
    parts.scheduler.scheduleWithFixedDelay(
        () -> sweeper.runOn(parts.executor), 1, 1, TimeUnit.SECONDS);
    return s;
  }

  /**
   * @return Ack and ChangeInvisibleDuration
   */
  public Deliveries deliveries() {
    return deliveries;
  }

  /** The call a Receive answers. */
  public interface ReceiveCall {
    /**
     * @param response the answer (given once)
     */
    void respond(ReceiveResponse response);

    /**
     * @param onCancel runs when the caller cancels the call while it waits
     */
    void onCancel(Runnable onCancel);
  }

  /**
   * Handles a Receive; the answer goes to {@code call} now or when the long poll ends.
   *
   * @param req the request
   * @param deadlineRemainingMs time left until the call's gRPC deadline, or {@link Long#MAX_VALUE}
   * @param call where the answer goes
   */
  public void receive(ReceiveRequest req, long deadlineRemainingMs, ReceiveCall call) {
    Consumer<ReceiveResponse> answer = call::respond;
    PopWaiter w;
    try {
      TagFilter filter = validate(req);
      long waitMs = Math.min(req.getLongPollTimeoutMs(), longPollMaxMs);
      if (deadlineRemainingMs != Long.MAX_VALUE) {
        // answer a little before the caller's deadline, so it gets an answer rather than an error
        waitMs = Math.min(waitMs, deadlineRemainingMs - Math.min(1000, deadlineRemainingMs / 10));
      }
      w =
          new PopWaiter(
              req,
              filter,
              queueIds(req),
              System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, waitMs)),
              answer);
    } catch (Rejection r) {
      answer.accept(ReceiveResponse.newBuilder().setStatus(r.status()).build());
      return;
    }
    call.onCancel(() -> cancel(w));
    attempt(w);
  }

  private TagFilter validate(ReceiveRequest req) {
    Names.checkConsumerGroup(req.getConsumerGroup());
    if (req.getClientId().isEmpty()) {
      throw new Rejection(Code.BAD_REQUEST, "client_id is required");
    }
    if (!master) {
      throw new Rejection(Code.NOT_LEADER, "this broker is a replica: receive from the master");
    }
    Names.checkUserTopic(req.getTopic());
    Topic t =
        req.hasQueueId()
            ? topics.requireReadQueue(req.getTopic(), req.getQueueId())
            : topics.require(req.getTopic());
    if (!t.readable()) {
      throw new Rejection(
          Code.NO_READ_PERMISSION,
          "topic '" + t.name() + "' has permission " + t.permission() + ": no receives");
    }
    if (req.getMaxMessages() < 0 || req.getMaxMessages() > MAX_MESSAGES) {
      throw new Rejection(
          Code.BAD_REQUEST, "max_messages " + req.getMaxMessages() + " is outside 0-1024");
    }
    checkInvisible(req.getInvisibleDurationMs(), MIN_INVISIBLE_MS);
    if (req.getLongPollTimeoutMs() < 0) {
      throw new Rejection(Code.BAD_REQUEST, "long_poll_timeout_ms is negative");
    }
    TagFilter filter = req.hasFilter() ? TagFilter.parse(req.getFilter()) : TagFilter.ALL;
    if (groups.consumeDisabled(req.getConsumerGroup())) {
      throw new Rejection(
          Code.NO_READ_PERMISSION,
          "consumption of group " + req.getConsumerGroup() + " is disabled by an operator");
    }
    return filter;
  }

  static void checkInvisible(long ms, long min) {
    if (ms < min || ms > MAX_INVISIBLE_MS) {
      throw new Rejection(
          Code.BAD_REQUEST,
          "invisible_duration_ms " + ms + " is outside " + min + "-" + MAX_INVISIBLE_MS);
    }
  }

  /** The queues to pop, starting at a different one on each call so all get their turn. */
  private List<Integer> queueIds(ReceiveRequest req) {
    if (req.hasQueueId()) {
      return List.of(req.getQueueId());
    }
    int n = topics.require(req.getTopic()).readQueues();
    int start = Math.floorMod(rotation.getAndIncrement(), n);
    List<Integer> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add((start + i) % n);
    }
    return ids;
  }

  /** Pops once; answers, or parks the waiter. The caller owns {@code w} (state RUNNING). */
  private void attempt(PopWaiter w) {
    List<ReceivedMessage> got;
    try {
      got = collect(w);
    } catch (RuntimeException e) {
      LOG.error("receive of {} for group {} failed", w.topic(), w.group(), e);
      w.finish(
          ReceiveResponse.newBuilder()
              .setStatus(Codes.status(Code.INTERNAL, "receive failed: " + e))
              .build());
      return;
    }
    if (!got.isEmpty() || closed || System.nanoTime() - w.deadlineNanos >= 0) {
      w.finish(ReceiveResponse.newBuilder().setStatus(Codes.ok()).addAllMessages(got).build());
      return;
    }
    park(w);
  }

  private List<ReceivedMessage> collect(PopWaiter w) {
    ReceiveRequest req = w.request;
    Budget budget =
        new Budget(req.getMaxMessages() == 0 ? DEFAULT_MAX : req.getMaxMessages(), MAX_BODY_BYTES);
    int maxRetries = retry.policy(w.group()).maxRetries();
    long now = clock.millis();
    List<ReceivedMessage> out = new ArrayList<>();
    for (int queueId : w.queueIds) {
      if (budget.messages() == 0) {
        break;
      }
      QueueKey key = new QueueKey(w.group(), w.topic(), queueId);
      QueuePopper.Result r =
          popper.pop(key, w.filter, budget, req.getInvisibleDurationMs(), now, maxRetries);
      for (Popped p : r.popped()) {
        out.add(toProto(key, p));
      }
      deadLetterer.deadLetter(key, r.toDeadLetter());
    }
    return out;
  }

  private ReceivedMessage toProto(QueueKey key, Popped p) {
    InFlight f = p.delivery();
    io.edgemq.protocol.v1.Message m = MessageMapper.toProto(p.message(), brokerName);
    m =
        m.toBuilder()
            .setSystemProperties(m.getSystemProperties().toBuilder().setReconsumeTimes(f.attempt()))
            .build();
    ReceiptHandle h =
        new ReceiptHandle(
            brokerName,
            key.group(),
            key.topic(),
            key.queueId(),
            f.offset(),
            f.seq(),
            f.invisibleUntilMs(),
            f.attempt());
    return ReceivedMessage.newBuilder()
        .setMessage(m)
        .setReceiptHandle(h.encode())
        .setInvisibleUntilMs(f.invisibleUntilMs())
        .setDeliveryAttempt(f.attempt() + 1)
        .build();
  }

  private void park(PopWaiter w) {
    waiters.park(w);
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(w.deadlineNanos - System.nanoTime());
    // wake at the deadline, or when the first delivery in flight expires (it is receivable then)
    long untilExpiry = nextExpiry(w) - clock.millis();
    long wakeMs = Math.max(1, Math.min(remainingMs, untilExpiry));
    w.timer = scheduler.schedule(() -> waiters.wake(w), wakeMs, TimeUnit.MILLISECONDS);
    if (closed && waiters.take(w)) {
      w.finish(ReceiveResponse.newBuilder().setStatus(Codes.ok()).build());
      return;
    }
    // a message may have arrived between the read and the parking: look once more (not in a
    // queue whose in-flight limit is reached: it would wake this receive again and again)
    for (int queueId : w.queueIds) {
      PopQueue q = table.find(new QueueKey(w.group(), w.topic(), queueId));
      long next = q == null ? 0 : popOffset(q);
      if (next >= 0 && store.maxQueueOffset(w.topic(), queueId) > next) {
        waiters.wake(w);
        return;
      }
    }
  }

  /** The queue's pop offset, or -1 when its in-flight limit is reached. */
  private static long popOffset(PopQueue q) {
    synchronized (q) {
      return q.inFlightCount() >= MAX_IN_FLIGHT_PER_QUEUE ? -1 : q.nextOffset();
    }
  }

  private long nextExpiry(PopWaiter w) {
    long min = Long.MAX_VALUE;
    for (int queueId : w.queueIds) {
      PopQueue q = table.find(new QueueKey(w.group(), w.topic(), queueId));
      if (q != null) {
        synchronized (q) {
          min = Math.min(min, q.nextExpiry());
        }
      }
    }
    return min;
  }

  /** Drops a parked receive whose call went away. */
  private void cancel(PopWaiter w) {
    if (waiters.take(w)) {
      ScheduledFuture<?> t = w.timer;
      if (t != null) {
        t.cancel(false);
      }
    }
  }

  /** Answers every parked receive (empty) and parks no more, for a shutdown. */
  public void endReceives() {
    closed = true;
    for (PopWaiter w : waiters.all()) {
      if (waiters.take(w)) {
        w.finish(ReceiveResponse.newBuilder().setStatus(Codes.ok()).build());
      }
    }
  }

  /** Ends the receives, then writes a compact pop log and closes it. */
  @Override
  public void close() throws IOException {
    endReceives();
    table.close();
  }
}
