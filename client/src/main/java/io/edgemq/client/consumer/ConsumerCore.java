package io.edgemq.client.consumer;

import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.producer.RetryPolicy;
import io.edgemq.client.route.BrokerView;
import io.edgemq.client.route.RouteCache;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CommitOffsetRequest;
import io.edgemq.protocol.v1.CommitOffsetResponse;
import io.edgemq.protocol.v1.FilterExpression;
import io.edgemq.protocol.v1.FilterType;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.PullRequest;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.protocol.v1.QueryOffsetRequest;
import io.edgemq.protocol.v1.QueryOffsetResponse;
import io.edgemq.protocol.v1.SendBackRequest;
import io.edgemq.protocol.v1.SendBackResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pulling half shared by the push and pull consumers: per assigned queue it finds the start
 * offset ({@code QueryOffset}), long-polls the broker and hands batches to a {@link Sink}, pausing
 * while too many messages of the queue are unprocessed; it commits each queue's contiguous
 * processed prefix periodically, when a queue is revoked, and on close. Which queues it holds comes
 * from the brokers' heartbeat answers ({@link Rebalancer}) or from {@link #assign(Map)}.
 */
public final class ConsumerCore {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerCore.class);

  private final Rpc rpc;
  private final RouteCache routes;
  private final ConsumerSettings settings;
  private final Sink sink;
  private final Map<MessageQueue, QueueState> queues = new ConcurrentHashMap<>();
  private final Rebalancer rebalancer;
  private volatile boolean closed;

  /**
   * @param rpc the client's connections
   * @param routes the route cache
   * @param settings the consumer's settings
   * @param sink where pulled messages go
   */
  public ConsumerCore(Rpc rpc, RouteCache routes, ConsumerSettings settings, Sink sink) {
    this.rpc = rpc;
    this.routes = routes;
    this.settings = settings;
    this.sink = sink;
    this.rebalancer = new Rebalancer(rpc, routes, settings, this);
  }

  /** Starts heartbeats (when subscribed) and the periodic commit. */
  public void start() {
    if (!settings.subscriptions().isEmpty()) {
      rebalancer.start();
    }
    long every = settings.commitInterval().toMillis();
    rpc.scheduler()
        .scheduleWithFixedDelay(
            () -> commitAll().exceptionally(e -> null), every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * @return the settings
   */
  public ConsumerSettings settings() {
    return settings;
  }

  /**
   * @return the queues held now
   */
  public Set<MessageQueue> assigned() {
    return Set.copyOf(queues.keySet());
  }

  /**
   * @param queue a queue
   * @return its state, or null when not held
   */
  public QueueState state(MessageQueue queue) {
    return queues.get(queue);
  }

  /**
   * Makes the held queues of one broker group exactly {@code wanted}.
   *
   * @param brokerName the broker group
   * @param endpoint where it is reached
   * @param wanted its queues this consumer should hold
   */
  synchronized void reconcile(String brokerName, Endpoint endpoint, Set<MessageQueue> wanted) {
    if (closed) {
      return;
    }
    for (QueueState s : List.copyOf(queues.values())) {
      if (s.queue.brokerName().equals(brokerName)) {
        if (!wanted.contains(s.queue)) {
          revoke(s);
        } else {
          s.endpoint = endpoint;
        }
      }
    }
    for (MessageQueue q : wanted) {
      if (!queues.containsKey(q)) {
        add(q, endpoint);
      }
    }
  }

  /**
   * Drops every held queue of broker groups not in {@code brokerNames}.
   *
   * @param brokerNames the broker groups of the current routes
   */
  synchronized void retainBrokers(Set<String> brokerNames) {
    for (QueueState s : List.copyOf(queues.values())) {
      if (!brokerNames.contains(s.queue.brokerName())) {
        revoke(s);
      }
    }
  }

  /**
   * Holds exactly these queues (a consumer that assigns queues itself).
   *
   * @param wanted each queue with where its broker is reached
   */
  public synchronized void assign(Map<MessageQueue, Endpoint> wanted) {
    for (QueueState s : List.copyOf(queues.values())) {
      if (!wanted.containsKey(s.queue)) {
        revoke(s);
      }
    }
    wanted.forEach(
        (q, e) -> {
          if (!queues.containsKey(q)) {
            add(q, e);
          }
        });
  }

  private void add(MessageQueue q, Endpoint endpoint) {
    QueueState s = new QueueState(q, endpoint);
    queues.put(q, s);
    LOG.debug("{} now holds {}", rpc.clientId(), q);
    initOffset(s);
  }

  private void revoke(QueueState s) {
    queues.remove(s.queue, s);
    s.dropped = true;
    s.cancelPull();
    sink.discard(s);
    LOG.debug("{} gave up {}", rpc.clientId(), s.queue);
    commit(s)
        .exceptionally(
            e -> {
              LOG.warn("committing revoked {} failed: {}", s.queue, e.getMessage());
              return null;
            });
  }

  /**
   * Starts a held queue again at an offset (dropping what was received of it).
   *
   * @param queue the queue
   * @param offset the next offset to deliver
   * @throws IllegalStateException when the queue is not held
   */
  public void seek(MessageQueue queue, long offset) {
    QueueState s = queues.get(queue);
    if (s == null) {
      throw new IllegalStateException(queue + " is not assigned to this consumer");
    }
    synchronized (s) {
      s.generation++;
      s.cancelPull();
      sink.discard(s);
      if (!s.started) {
        s.pendingSeek = offset;
        return;
      }
      s.startAt(offset, s.epoch);
    }
    pull(s);
  }

  private void initOffset(QueueState s) {
    if (s.dropped || closed) {
      return;
    }
    QueryOffsetRequest req =
        QueryOffsetRequest.newBuilder()
            .setConsumerGroup(settings.group())
            .setClientId(rpc.clientId())
            .setTopic(s.queue.topic())
            .setQueueId(s.queue.queueId())
            .build();
    CompletableFuture<QueryOffsetResponse> f;
    try {
      f = Calls.unary(o -> rpc.broker(s.endpoint).queryOffset(req, o));
    } catch (IllegalStateException closedRpc) {
      return;
    }
    f.whenComplete(
        (r, e) -> {
          if (s.dropped || closed) {
            return;
          }
          int code = e == null ? r.getStatus().getCodeValue() : -1;
          if (code != Code.OK_VALUE && code != Code.OFFSET_NOT_FOUND_VALUE) {
            ClientException ce = e != null ? Calls.unwrap(e) : Calls.failure(r.getStatus(), "");
            LOG.debug("QueryOffset of {} failed: {}", s.queue, ce.getMessage());
            retryLater(s, ce, () -> initOffset(s));
            return;
          }
          long start =
              code == Code.OK_VALUE
                  ? r.getOffset()
                  : settings.consumeFrom() == ConsumeFrom.EARLIEST
                      ? r.getMinOffset()
                      : r.getMaxOffset();
          synchronized (s) {
            if (s.pendingSeek != null) {
              start = s.pendingSeek;
              s.pendingSeek = null;
            }
            s.lastCommitted = code == Code.OK_VALUE ? r.getOffset() : -1;
            s.startAt(start, r.getOffsetEpoch());
          }
          pull(s);
        });
  }

  private void pull(QueueState s) {
    if (s.dropped || closed || !s.started) {
      return;
    }
    int max = settings.maxInFlightPerQueue();
    if (s.tracker.inFlightCount() >= max) {
      s.paused.set(true);
      // a completion may have come between the check and the flag
      if (s.tracker.inFlightCount() >= max || !s.paused.compareAndSet(true, false)) {
        return;
      }
    }
    int gen = s.generation;
    long offset = s.pullOffset;
    PullRequest.Builder req =
        PullRequest.newBuilder()
            .setConsumerGroup(settings.group())
            .setClientId(rpc.clientId())
            .setTopic(s.queue.topic())
            .setQueueId(s.queue.queueId())
            .setOffset(offset)
            .setMaxMessages(settings.pullBatchSize())
            .setLongPollTimeoutMs(settings.longPollTimeout().toMillis())
            .setOffsetEpoch(s.epoch);
    String filter = settings.subscriptions().getOrDefault(s.queue.topic(), "*");
    req.setFilter(
        FilterExpression.newBuilder().setType(FilterType.FILTER_TYPE_TAG).setExpression(filter));
    PullRequest built = req.build();
    CompletableFuture<PullResponse> f;
    try {
      f =
          Calls.cancellable(
              o ->
                  rpc.broker(s.endpoint, settings.longPollTimeout().plus(Rpc.LONG_POLL_MARGIN))
                      .pull(built, o));
    } catch (IllegalStateException closedRpc) {
      return;
    }
    s.currentPull = f;
    f.whenComplete((r, e) -> onPull(s, gen, offset, r, e));
  }

  private void onPull(QueueState s, int gen, long offset, PullResponse r, Throwable e) {
    if (s.dropped || closed || gen != s.generation) {
      return;
    }
    if (e != null) {
      retryLater(s, Calls.unwrap(e), () -> pull(s));
      return;
    }
    int code = r.getStatus().getCodeValue();
    switch (code) {
      case Code.OK_VALUE -> {
        List<Long> offsets = new ArrayList<>(r.getMessagesCount());
        List<MessageView> views = new ArrayList<>(r.getMessagesCount());
        for (Message m : r.getMessagesList()) {
          offsets.add(m.getSystemProperties().getQueueOffset());
          views.add(MessageView.of(m));
        }
        s.tracker.received(offsets, r.getNextOffset());
        s.pullOffset = r.getNextOffset();
        if (!views.isEmpty()) {
          sink.deliver(s, views);
        }
        pull(s);
      }
      case Code.OFFSET_GONE_VALUE, Code.OFFSET_OVERFLOW_VALUE -> {
        LOG.info(
            "{} at offset {}: {}; going on at {}",
            s.queue,
            offset,
            Code.forNumber(code),
            r.getNextOffset());
        if (s.tracker.inFlightCount() == 0) {
          s.tracker.reset(r.getNextOffset());
        }
        s.pullOffset = r.getNextOffset();
        pull(s);
      }
      case Code.OFFSET_RESET_VALUE -> offsetReset(s);
      case Code.QUEUE_NOT_ASSIGNED_VALUE -> {
        if (settings.subscriptions().isEmpty()) {
          retryLater(s, Calls.failure(r.getStatus(), "pull " + s.queue), () -> pull(s));
        } else {
          synchronized (this) {
            if (queues.get(s.queue) == s) {
              revoke(s);
            }
          }
          rebalancer.heartbeatSoon();
        }
      }
      default -> retryLater(s, Calls.failure(r.getStatus(), "pull " + s.queue), () -> pull(s));
    }
  }

  private void offsetReset(QueueState s) {
    LOG.info("the offset of {} was reset by an admin; querying it again", s.queue);
    synchronized (s) {
      s.generation++;
      s.started = false;
    }
    sink.discard(s);
    initOffset(s);
  }

  private void retryLater(QueueState s, ClientException e, Runnable action) {
    if (s.dropped || closed) {
      return;
    }
    LOG.debug("{}: {}; retrying in {}", s.queue, e.getMessage(), settings.retryBackoff());
    if (RetryPolicy.refreshesRoute(e)) {
      routes
          .refresh(s.queue.topic())
          .thenAccept(
              route ->
                  route
                      .broker(s.queue.brokerName())
                      .map(BrokerView::endpoint)
                      .ifPresent(ep -> s.endpoint = ep))
          .exceptionally(x -> null);
    }
    try {
      rpc.scheduler().schedule(action, settings.retryBackoff().toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // the client is closing
    }
  }

  /**
   * Marks one message of a queue processed, and resumes a paused pull when enough are.
   *
   * @param s the queue
   * @param offset the message's offset
   */
  public void done(QueueState s, long offset) {
    int left = s.tracker.done(offset);
    if (left <= settings.maxInFlightPerQueue() / 2 && s.paused.compareAndSet(true, false)) {
      pull(s);
    }
  }

  /**
   * Commits a queue's committable offset if it moved.
   *
   * @param s the queue
   * @return completes when committed (or nothing to do)
   */
  CompletableFuture<Void> commit(QueueState s) {
    if (!s.started) {
      return CompletableFuture.completedFuture(null);
    }
    long offset = s.tracker.committable();
    if (offset == s.lastCommitted) {
      return CompletableFuture.completedFuture(null);
    }
    return commitOffset(s.queue, s.endpoint, offset, s.epoch)
        .thenRun(() -> s.lastCommitted = offset)
        .whenComplete(
            (v, e) -> {
              if (e != null
                  && Calls.unwrap(e).code() == Code.OFFSET_RESET
                  && !s.dropped
                  && !closed) {
                offsetReset(s);
              }
            });
  }

  /**
   * Commits an offset of a queue.
   *
   * @param queue the queue
   * @param endpoint its broker
   * @param offset the next offset to consume
   * @param epoch the offset epoch
   * @return completes when the broker accepted it
   */
  public CompletableFuture<Void> commitOffset(
      MessageQueue queue, Endpoint endpoint, long offset, long epoch) {
    CommitOffsetRequest req =
        CommitOffsetRequest.newBuilder()
            .setConsumerGroup(settings.group())
            .setClientId(rpc.clientId())
            .setTopic(queue.topic())
            .setQueueId(queue.queueId())
            .setOffset(offset)
            .setOffsetEpoch(epoch)
            .build();
    CompletableFuture<CommitOffsetResponse> f;
    try {
      f = Calls.unary(o -> rpc.broker(endpoint).commitOffset(req, o));
    } catch (IllegalStateException closedRpc) {
      return CompletableFuture.failedFuture(
          new ClientException(Code.SERVICE_UNAVAILABLE_VALUE, "client closed"));
    }
    return f.thenAccept(r -> Calls.check(r.getStatus(), "commit " + queue + " at " + offset));
  }

  /**
   * Gives a message the listener failed on back to its broker (SendBack).
   *
   * @param s the message's queue
   * @param m the message
   * @param reason why it failed
   * @param inPlace a FIFO retry in place: only ask for the back-off (or dead-letter it)
   * @param reconsumeTimes the failed delivery's reconsume count
   * @return the broker's answer
   */
  public CompletableFuture<SendBackResponse> sendBack(
      QueueState s, MessageView m, String reason, boolean inPlace, int reconsumeTimes) {
    SendBackRequest req =
        SendBackRequest.newBuilder()
            .setConsumerGroup(settings.group())
            .setClientId(rpc.clientId())
            .setTopic(m.queue().topic())
            .setCommitLogOffset(m.commitLogOffset())
            .setMessageId(m.messageId())
            .setReason(reason.length() > 256 ? reason.substring(0, 256) : reason)
            .setInPlace(inPlace)
            .setReconsumeTimes(reconsumeTimes)
            .build();
    try {
      return Calls.unary(o -> rpc.broker(s.endpoint).sendBack(req, o));
    } catch (IllegalStateException closedRpc) {
      return CompletableFuture.failedFuture(closedRpc);
    }
  }

  /**
   * Commits every held queue whose committable offset moved.
   *
   * @return completes when all commits answered; exceptionally with the first failure
   */
  public CompletableFuture<Void> commitAll() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (QueueState s : queues.values()) {
      all.add(commit(s));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /**
   * Stops pulling: no new pulls, pulls in flight cancelled, heartbeats stopped; queued messages are
   * skipped ({@link QueueState#dropped()}). Offsets can still be committed.
   */
  public void stopPulling() {
    closed = true;
    rebalancer.stop();
    for (QueueState s : queues.values()) {
      s.dropped = true;
      s.cancelPull();
    }
  }

  /**
   * Leaves the group on every broker it heartbeats to.
   *
   * @return completes when all answered
   */
  public CompletableFuture<Void> unregister() {
    return rebalancer.unregister();
  }
}
