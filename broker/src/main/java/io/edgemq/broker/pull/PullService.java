package io.edgemq.broker.pull;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.group.GroupManager;
import io.edgemq.broker.group.Ownership;
import io.edgemq.broker.offset.OffsetService;
import io.edgemq.broker.send.MessageMapper;
import io.edgemq.broker.topic.Topic;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.PullRequest;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.StoredMessage;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pull with tag filters and long polling. */
public final class PullService {
  private static final Logger LOG = LoggerFactory.getLogger(PullService.class);
  private static final int DEFAULT_MAX = 32;
  private static final int MAX_MESSAGES = 1024;
  private static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  private final String brokerName;
  private final MessageStore store;
  private final TopicTable topics;
  private final GroupManager groups;
  private final OffsetService offsets;
  private final ScheduledExecutorService scheduler;
  private final long longPollMaxMs;
  private final LongPolls polls;
  private final PullObserver observer;
  private volatile boolean closed;

  /**
   * @param brokerName this broker group's name
   * @param store the store; this service registers an arrival listener on it
   * @param topics the topic table
   * @param groups the group manager (assignment checks)
   * @param offsets the offset service (commit_offset, epochs)
   * @param executor where woken pulls re-read
   * @param scheduler where long-poll timeouts fire
   * @param longPollMax the longest a pull is held
   * @param observer told about every pull answered with messages (metrics)
   */
  public PullService(
      String brokerName,
      MessageStore store,
      TopicTable topics,
      GroupManager groups,
      OffsetService offsets,
      Executor executor,
      ScheduledExecutorService scheduler,
      Duration longPollMax,
      PullObserver observer) {
    this.observer = observer;
    this.brokerName = brokerName;
    this.store = store;
    this.topics = topics;
    this.groups = groups;
    this.offsets = offsets;
    this.scheduler = scheduler;
    this.longPollMaxMs = longPollMax.toMillis();
    this.polls = new LongPolls(executor, this::retry);
    store.addArrivalListener(polls);
  }

  /**
   * Handles a pull; the answer goes to {@code call} now or when the long poll ends.
   *
   * @param req the request
   * @param deadlineRemainingMs time left until the call's gRPC deadline, or {@link Long#MAX_VALUE}
   * @param call where the answer goes
   */
  public void pull(PullRequest req, long deadlineRemainingMs, PullCall call) {
    TagFilter filter;
    int max;
    try {
      filter = validate(req);
      max = req.getMaxMessages() == 0 ? DEFAULT_MAX : req.getMaxMessages();
    } catch (Rejection r) {
      call.respond(error(req, r));
      return;
    }
    long waitMs = Math.min(req.getLongPollTimeoutMs(), longPollMaxMs);
    if (deadlineRemainingMs != Long.MAX_VALUE) {
      // Answer a little before the caller's deadline, so it gets an answer rather than an error.
      waitMs = Math.min(waitMs, deadlineRemainingMs - Math.min(1000, deadlineRemainingMs / 10));
    }
    Waiter w =
        new Waiter(req, filter, call, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs));
    if (waitMs > 0 && !closed) {
      w.timeout = scheduler.schedule(() -> expire(w), waitMs, TimeUnit.MILLISECONDS);
      call.onCancel(
          () -> {
            if (polls.finish(w)) {
              w.timeout.cancel(false);
            }
          });
    } else {
      w.expired = true;
    }
    attempt(w, max);
  }

  private TagFilter validate(PullRequest req) {
    Names.checkConsumerGroup(req.getConsumerGroup());
    if (req.getClientId().isEmpty()) {
      throw new Rejection(Code.BAD_REQUEST, "client_id is required");
    }
    Topic t = topics.requireReadQueue(req.getTopic(), req.getQueueId());
    if (!t.readable()) {
      throw new Rejection(
          Code.NO_READ_PERMISSION,
          "topic '" + t.name() + "' has permission " + t.permission() + ": no pulls");
    }
    if (req.getOffset() < 0) {
      throw new Rejection(Code.BAD_REQUEST, "offset " + req.getOffset() + " is negative");
    }
    if (req.getMaxMessages() < 0 || req.getMaxMessages() > MAX_MESSAGES) {
      throw new Rejection(
          Code.BAD_REQUEST, "max_messages " + req.getMaxMessages() + " is outside 0-1024");
    }
    if (req.getLongPollTimeoutMs() < 0) {
      throw new Rejection(Code.BAD_REQUEST, "long_poll_timeout_ms is negative");
    }
    TagFilter filter = req.hasFilter() ? TagFilter.parse(req.getFilter()) : TagFilter.ALL;
    if (groups.consumeDisabled(req.getConsumerGroup())) {
      throw new Rejection(
          Code.NO_READ_PERMISSION,
          "consumption of group " + req.getConsumerGroup() + " is disabled by an operator");
    }
    Ownership own =
        groups.ownership(
            req.getConsumerGroup(), req.getClientId(), req.getTopic(), req.getQueueId());
    if (own == Ownership.NOT_ASSIGNED) {
      throw new Rejection(
          Code.QUEUE_NOT_ASSIGNED,
          req.getTopic()
              + "/"
              + req.getQueueId()
              + " is not assigned to "
              + req.getClientId()
              + " in group "
              + req.getConsumerGroup()
              + ": heartbeat for the current assignment");
    }
    offsets.checkEpoch(
        req.getConsumerGroup(),
        req.getClientId(),
        req.getTopic(),
        req.getQueueId(),
        req.getOffsetEpoch());
    if (req.hasCommitOffset()) {
      offsets.commit(
          req.getConsumerGroup(),
          req.getClientId(),
          req.getTopic(),
          req.getQueueId(),
          req.getCommitOffset(),
          req.getOffsetEpoch());
    }
    return filter;
  }

  private void retry(Waiter w) {
    try {
      if (groups.consumeDisabled(w.request.getConsumerGroup())) {
        // disabled while this pull was parked: answer as a new pull would be answered
        finish(
            w,
            error(
                w.request,
                new Rejection(
                    Code.NO_READ_PERMISSION,
                    "consumption of group "
                        + w.request.getConsumerGroup()
                        + " is disabled by an operator")));
        return;
      }
      int max = w.request.getMaxMessages() == 0 ? DEFAULT_MAX : w.request.getMaxMessages();
      attempt(w, max);
    } catch (RuntimeException e) {
      LOG.error("re-reading a parked pull of {}/{} failed", w.topic(), w.queueId(), e);
      w.state.set(Waiter.DONE);
      w.call.respond(
          response(w.request, Code.INTERNAL, "read failed: " + e, w.offset, w.offset, w.offset));
    }
  }

  /** Reads once; answers, or parks the waiter. The caller owns {@code w} (state RUNNING). */
  private void attempt(Waiter w, int max) {
    PullRequest req = w.request;
    long start = System.nanoTime();
    QueueReadResult r =
        store.read(req.getTopic(), req.getQueueId(), w.offset, max, w.filter.filter());
    switch (r.status()) {
      case FOUND:
        finish(w, found(req, r, start));
        return;
      case OFFSET_GONE:
        finish(
            w,
            response(
                req,
                Code.OFFSET_GONE,
                "offset " + w.offset + " was deleted; first available is " + r.minOffset(),
                r.minOffset(),
                r.minOffset(),
                r.maxOffset()));
        return;
      case OFFSET_OVERFLOW:
        finish(
            w,
            response(
                req,
                Code.OFFSET_OVERFLOW,
                "offset " + w.offset + " is beyond the queue's end " + r.maxOffset(),
                r.maxOffset(),
                r.minOffset(),
                r.maxOffset()));
        return;
      case NO_QUEUE:
        if (w.offset > 0) {
          finish(
              w,
              response(
                  req,
                  Code.OFFSET_OVERFLOW,
                  "offset " + w.offset + " is beyond the end 0",
                  0,
                  0,
                  0));
          return;
        }
        waitOrAnswer(w, 0, 0, 0);
        return;
      default:
        // NO_NEW_MESSAGE or NO_MATCHED_MESSAGE: skipped units move the offset.
        waitOrAnswer(w, r.nextOffset(), r.minOffset(), r.maxOffset());
    }
  }

  private void waitOrAnswer(Waiter w, long next, long min, long max) {
    w.offset = next;
    if (w.expired || closed || System.nanoTime() - w.deadlineNanos >= 0) {
      finish(w, response(w.request, Code.OK, "", next, min, max));
      return;
    }
    w.state.set(Waiter.PARKED);
    polls.add(w);
    if ((w.expired || closed) && polls.finish(w)) {
      answerEmpty(w);
      return;
    }
    // A message may have arrived between the read and the parking: look once more.
    if (store.maxQueueOffset(w.topic(), w.queueId()) > next) {
      polls.wake(w);
    }
  }

  private void expire(Waiter w) {
    w.expired = true;
    if (polls.finish(w)) {
      answerEmpty(w);
    }
  }

  private void answerEmpty(Waiter w) {
    long min = store.minQueueOffset(w.topic(), w.queueId());
    long max = store.maxQueueOffset(w.topic(), w.queueId());
    w.call.respond(response(w.request, Code.OK, "", w.offset, min, max));
  }

  private void finish(Waiter w, PullResponse resp) {
    w.state.set(Waiter.DONE);
    if (w.timeout != null) {
      w.timeout.cancel(false);
    }
    w.call.respond(resp);
  }

  private PullResponse found(PullRequest req, QueueReadResult r, long startNanos) {
    PullResponse.Builder b = PullResponse.newBuilder().setStatus(Codes.ok());
    long bytes = 0;
    long next = r.nextOffset();
    for (StoredMessage m : r.messages()) {
      if (b.getMessagesCount() > 0 && bytes + m.body().remaining() > MAX_BODY_BYTES) {
        next = m.queueOffset();
        break;
      }
      bytes += m.body().remaining();
      b.addMessages(MessageMapper.toProto(m, brokerName));
    }
    PullResponse resp =
        b.setNextOffset(next).setMinOffset(r.minOffset()).setMaxOffset(r.maxOffset()).build();
    observer.delivered(
        req.getConsumerGroup(),
        req.getTopic(),
        resp.getMessagesCount(),
        bytes,
        System.nanoTime() - startNanos);
    return resp;
  }

  private PullResponse error(PullRequest req, Rejection r) {
    long min = 0;
    long max = 0;
    if (topics.find(req.getTopic()).isPresent() && req.getQueueId() >= 0) {
      min = store.minQueueOffset(req.getTopic(), req.getQueueId());
      max = store.maxQueueOffset(req.getTopic(), req.getQueueId());
    }
    return PullResponse.newBuilder()
        .setStatus(r.status())
        .setNextOffset(req.getOffset())
        .setMinOffset(min)
        .setMaxOffset(max)
        .build();
  }

  private static PullResponse response(
      PullRequest req, Code code, String message, long next, long min, long max) {
    return PullResponse.newBuilder()
        .setStatus(code == Code.OK ? Codes.ok() : Codes.status(code, message))
        .setNextOffset(next)
        .setMinOffset(min)
        .setMaxOffset(max)
        .build();
  }

  /** Answers every parked pull (empty, OK) and parks no more. */
  public void close() {
    closed = true;
    for (Waiter w : polls.all()) {
      w.expired = true;
      if (polls.finish(w)) {
        if (w.timeout != null) {
          w.timeout.cancel(false);
        }
        answerEmpty(w);
      }
    }
  }
}
