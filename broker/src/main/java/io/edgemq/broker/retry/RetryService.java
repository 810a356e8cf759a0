package io.edgemq.broker.retry;

import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.common.SystemTopics;
import io.edgemq.broker.group.GroupTable;
import io.edgemq.broker.send.StatusMapping;
import io.edgemq.broker.timer.TimerService;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.broker.trace.BrokerTracer;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.DeliveryFailure;
import io.edgemq.protocol.v1.SendBackRequest;
import io.edgemq.protocol.v1.SendBackResponse;
import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.ReadResult;
import io.edgemq.store.api.StoredMessage;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SendBack: a failed message goes to its group's retry topic after the group's back-off (through
 * the {@link TimerService}), or to the group's dead-letter topic once its retries are used up. FIFO
 * groups retry in place: nothing is stored, the answer says how long the consumer waits, until the
 * retries are used up and the message is dead-lettered.
 */
public final class RetryService {
  private static final Logger LOG = LoggerFactory.getLogger(RetryService.class);

  private final boolean master;
  private final MessageStore store;
  private final TopicTable topics;
  private final GroupTable groups;
  private final DeliveryConfig defaults;
  private final Clock clock;
  private final Executor executor;
  private final RetryObserver observer;
  private final BrokerTracer tracer;

  /**
   * @param master whether this broker takes writes
   * @param store the store
   * @param topics the topic table (retry and dead-letter topics are created in it)
   * @param groups the group table (per-group retry policies)
   * @param defaults the broker's retry defaults
   * @param clock the broker's clock
   * @param executor where answers are completed
   * @param observer told about retries and dead letters once stored (metrics)
   * @param tracer writes the RETRY and DEAD_LETTER events of traced messages
   */
  public RetryService(
      boolean master,
      MessageStore store,
      TopicTable topics,
      GroupTable groups,
      DeliveryConfig defaults,
      Clock clock,
      Executor executor,
      RetryObserver observer,
      BrokerTracer tracer) {
    this.observer = observer;
    this.tracer = tracer;
    this.master = master;
    this.store = store;
    this.topics = topics;
    this.groups = groups;
    this.defaults = defaults;
    this.clock = clock;
    this.executor = executor;
  }

  /**
   * @param group a consumer group
   * @return its retry policy
   */
  public RetryPolicy policy(String group) {
    return RetryPolicy.of(groups.find(group).orElse(null), defaults);
  }

  /**
   * Handles SendBack.
   *
   * @param req the request
   * @return the answer, completed once the copy (if any) is stored
   */
  public CompletableFuture<SendBackResponse> sendBack(SendBackRequest req) {
    String group = Names.checkConsumerGroup(req.getConsumerGroup());
    if (req.getClientId().isEmpty()) {
      throw new Rejection(Code.BAD_REQUEST, "client_id is required");
    }
    if (req.getCommitLogOffset() < 0 || req.getReconsumeTimes() < 0) {
      throw new Rejection(Code.BAD_REQUEST, "commit_log_offset and reconsume_times must be >= 0");
    }
    if (!master) {
      throw new Rejection(Code.NOT_LEADER, "this broker is a replica: send back to the master");
    }
    StoredMessage s = find(req);
    int failed =
        req.getInPlace()
            ? req.getReconsumeTimes()
            : (int) SystemTopics.longProperty(s.properties(), SystemTopics.RECONSUME_TIMES, 0);
    List<DeliveryFailure> history =
        new java.util.ArrayList<>(
            DeliveryFailures.decode(s.properties().get(SystemTopics.FAILURES)));
    long now = clock.millis();
    history.add(
        DeliveryFailure.newBuilder()
            .setTimestampMs(now)
            .setReconsumeTimes(failed)
            .setClientId(req.getClientId())
            .setReason(DeliveryFailures.cut(req.getReason()))
            .build());
    RetryPolicy policy = policy(group);
    int next = failed + 1;
    if (next > policy.maxRetries()) {
      return deadLetter(group, s, failed, history, req.getClientId());
    }
    long delay = policy.backoffBefore(next, req.getInPlace());
    String reason = history.get(history.size() - 1).getReason();
    SendBackResponse answer =
        SendBackResponse.newBuilder()
            .setStatus(Codes.ok())
            .setRedeliverDelayMs(delay)
            .setReconsumeTimes(next)
            .build();
    if (req.getInPlace()) {
      observer.retried(group);
      tracer.retried(s, group, req.getClientId(), reason, next, delay, "");
      return CompletableFuture.completedFuture(answer);
    }
    String retryTopic = SystemTopics.retry(group);
    topics.createSystemIfAbsent(retryTopic, 1);
    Message copy = copy(s, retryTopic, next, history);
    return answer(
        store.append(TimerService.waiting(copy, now + delay)),
        answer,
        retryTopic,
        r -> {
          observer.retried(group);
          tracer.retried(s, group, req.getClientId(), reason, next, delay, retryTopic);
        });
  }

  /**
   * Moves a message to the group's dead-letter topic because its last allowed delivery to a pop
   * consumer expired without an ack (pop consumption has no SendBack: an expiry is the failure).
   *
   * @param group the consumer group
   * @param s the message as stored in its topic
   * @param attempt the reconsume count of the expired delivery
   * @return the answer (dead_lettered set), completed once the copy is stored
   */
  public CompletableFuture<SendBackResponse> deadLetterExpired(
      String group, StoredMessage s, int attempt) {
    List<DeliveryFailure> history =
        new java.util.ArrayList<>(
            DeliveryFailures.decode(s.properties().get(SystemTopics.FAILURES)));
    history.add(
        DeliveryFailure.newBuilder()
            .setTimestampMs(clock.millis())
            .setReconsumeTimes(attempt)
            .setReason("invisible time expired without an ack (pop)")
            .build());
    return deadLetter(group, s, attempt, history, "");
  }

  private StoredMessage find(SendBackRequest req) {
    ReadResult r = store.readAt(req.getCommitLogOffset());
    if (!r.isFound()
        || !r.message().topic().equals(req.getTopic())
        || !r.message().messageId().toString().equalsIgnoreCase(req.getMessageId())) {
      throw new Rejection(
          Code.MESSAGE_NOT_FOUND,
          "no message "
              + req.getMessageId()
              + " of topic "
              + req.getTopic()
              + " at CommitLog offset "
              + req.getCommitLogOffset());
    }
    return r.message();
  }

  private CompletableFuture<SendBackResponse> deadLetter(
      String group, StoredMessage s, int failed, List<DeliveryFailure> history, String clientId) {
    String dlq = SystemTopics.deadLetter(group);
    topics.createSystemIfAbsent(dlq, 1);
    Message copy = copy(s, dlq, failed, history);
    LOG.warn(
        "message {} of topic {} dead-lettered to {} after {} deliveries; last failure: {}",
        s.messageId(),
        copy.properties().get(SystemTopics.ORIGINAL_TOPIC),
        dlq,
        failed + 1,
        history.get(history.size() - 1).getReason());
    SendBackResponse answer =
        SendBackResponse.newBuilder()
            .setStatus(Codes.ok())
            .setDeadLettered(true)
            .setReconsumeTimes(failed)
            .build();
    String reason = history.get(history.size() - 1).getReason();
    return answer(
        store.append(copy),
        answer,
        dlq,
        r -> {
          observer.deadLettered(group);
          tracer.deadLettered(s, group, clientId, reason, failed, dlq, r);
        });
  }

  private CompletableFuture<SendBackResponse> answer(
      CompletableFuture<AppendResult> appended,
      SendBackResponse ok,
      String topic,
      Consumer<AppendResult> onStored) {
    return appended.handleAsync(
        (r, e) -> {
          if (e != null) {
            LOG.error("append to {} failed", topic, e);
            return SendBackResponse.newBuilder()
                .setStatus(Codes.status(Code.INTERNAL, "store append failed: " + e))
                .build();
          }
          Code c = StatusMapping.code(r.status());
          if (c == Code.OK || StatusMapping.written(r.status())) {
            onStored.accept(r);
            return ok;
          }
          return SendBackResponse.newBuilder()
              .setStatus(Codes.status(c, "store refused the append to " + topic + ": " + r))
              .build();
        },
        executor);
  }

  /**
   * @param s the failed message (original, retry or dead-letter copy)
   * @param topic where the copy goes
   * @param reconsumeTimes the copy's reconsume count
   * @param history its failures
   * @return the copy: same id, tag, keys, body, born fields and user properties, queue 0
   */
  static Message copy(
      StoredMessage s, String topic, int reconsumeTimes, List<DeliveryFailure> history) {
    Map<String, String> props = new LinkedHashMap<>(s.properties());
    props.putIfAbsent(SystemTopics.ORIGINAL_TOPIC, s.topic());
    props.put(SystemTopics.RECONSUME_TIMES, Integer.toString(reconsumeTimes));
    props.put(SystemTopics.FAILURES, DeliveryFailures.encode(history));
    props.remove(SystemTopics.SCHEDULED_AT);
    Message.Builder b =
        Message.builder()
            .topic(topic)
            .queueId(0)
            .tags(s.tags())
            .keys(s.keys())
            .properties(props)
            .body(s.bodyBytes())
            .bornTimestamp(s.bornTimestamp())
            .messageId(s.messageId())
            .flags(s.flags());
    if (s.bornHost() != null) {
      b.bornHost(s.bornHost());
    }
    return b.build();
  }
}
