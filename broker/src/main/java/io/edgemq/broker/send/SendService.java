package io.edgemq.broker.send;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.timer.DelayRules;
import io.edgemq.broker.timer.TimerService;
import io.edgemq.broker.topic.Topic;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.broker.trace.BrokerTracer;
import io.edgemq.broker.trace.Traces;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.MessageQueue;
import io.edgemq.protocol.v1.SendBatchRequest;
import io.edgemq.protocol.v1.SendBatchResponse;
import io.edgemq.protocol.v1.SendReceipt;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.BatchAppendResult;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageStore;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Send and SendBatch. A response is built only once the store's future completed, and on {@code
 * executor}, never on the store's flush thread.
 */
public final class SendService {
  private static final Logger LOG = LoggerFactory.getLogger(SendService.class);
  private static final int MAX_BATCH = 1024;

  private final String brokerName;
  private final boolean master;
  private final boolean autoCreate;
  private final MessageStore store;
  private final TopicTable topics;
  private final Clock clock;
  private final Executor executor;
  private final QueueSelector selector = new QueueSelector();
  private final SendObserver observer;
  private final DelayRules delays;
  private final BrokerTracer tracer;

  /**
   * @param brokerName this broker group's name
   * @param master whether this broker takes writes
   * @param autoCreate whether unknown topics are created on first send
   * @param store the store
   * @param topics the topic table
   * @param clock the broker's clock
   * @param executor where responses are completed
   * @param delays the delay levels and maximum delay of scheduled messages
   */
  public SendService(
      String brokerName,
      boolean master,
      boolean autoCreate,
      MessageStore store,
      TopicTable topics,
      Clock clock,
      Executor executor,
      DelayRules delays) {
    this(
        brokerName,
        master,
        autoCreate,
        store,
        topics,
        clock,
        executor,
        delays,
        SendObserver.NONE,
        BrokerTracer.off());
  }

  /**
   * @param brokerName this broker group's name
   * @param master whether this broker takes writes
   * @param autoCreate whether unknown topics are created on first send
   * @param store the store
   * @param topics the topic table
   * @param clock the broker's clock
   * @param executor where responses are completed
   * @param delays the delay levels and maximum delay of scheduled messages
   * @param observer told about every answered append (metrics)
   * @param tracer writes the STORE events of traced messages
   */
  public SendService(
      String brokerName,
      boolean master,
      boolean autoCreate,
      MessageStore store,
      TopicTable topics,
      Clock clock,
      Executor executor,
      DelayRules delays,
      SendObserver observer,
      BrokerTracer tracer) {
    this.observer = observer;
    this.tracer = tracer;
    this.delays = delays;
    this.brokerName = brokerName;
    this.master = master;
    this.autoCreate = autoCreate;
    this.store = store;
    this.topics = topics;
    this.clock = clock;
    this.executor = executor;
  }

  /**
   * @param req the request
   * @param peer the connection's peer address, or null
   * @return the answer, completed on the broker's executor
   */
  public CompletableFuture<SendResponse> send(SendRequest req, InetSocketAddress peer) {
    long start = System.nanoTime();
    Message m;
    try {
      Message real = toStore(req, peer);
      long now = clock.millis();
      long at = delays.deliverAt(req.getMessage(), now);
      // a scheduled message waits in %TIMER%; the receipt names where it waits
      m = at > now ? TimerService.waiting(real, at) : real;
    } catch (Rejection r) {
      return CompletableFuture.completedFuture(
          SendResponse.newBuilder().setStatus(r.status()).build());
    }
    long appendStart = System.nanoTime();
    CompletableFuture<AppendResult> appended = store.append(m);
    observe(appended, AppendResult::status, m.topic(), 1, m.bodyLength(), start, appendStart);
    traceStored(appended, List.of(m), r -> List.of(r), req.getProducerGroup(), req.getClientId());
    // Already done (ASYNC, or refused): answer here and save a thread hop. Still pending (SYNC):
    // answer on the broker's executor, never on the store's flush thread.
    return appended.isDone()
        ? appended.handle((r, e) -> sendResponse(m, r, e))
        : appended.handleAsync((r, e) -> sendResponse(m, r, e), executor);
  }

  /**
   * Checks a send and maps its message onto the store message for its real topic, with the queue
   * chosen (as {@link #send} does, without scheduling or storing it).
   *
   * @param req the request
   * @param peer the connection's peer address, or null
   * @return the store message
   * @throws Rejection when the send would be refused
   */
  public Message toStore(SendRequest req, InetSocketAddress peer) {
    if (!req.hasMessage()) {
      throw new Rejection(Code.BAD_REQUEST, "message is required");
    }
    Topic topic = writableTopic(req.getProducerGroup(), req.getMessage().getTopic());
    int q =
        selector.select(
            topic, req.hasQueueId() ? req.getQueueId() : null, req.getMessage().getMessageGroup());
    return MessageMapper.toStore(req.getMessage(), q, clock.millis(), peer);
  }

  private <R> void observe(
      CompletableFuture<R> appended,
      java.util.function.Function<R, io.edgemq.store.api.AppendStatus> status,
      String topic,
      int messages,
      long bytes,
      long start,
      long appendStart) {
    if (observer == SendObserver.NONE) {
      return;
    }
    appended.whenComplete(
        (r, e) -> {
          long end = System.nanoTime();
          boolean written = e == null && StatusMapping.written(status.apply(r));
          observer.appended(topic, messages, bytes, end - start, end - appendStart, written);
        });
  }

  /** STORE events of the traced messages among {@code sent}, once their append is answered. */
  private <R> void traceStored(
      CompletableFuture<R> appended,
      List<Message> sent,
      java.util.function.Function<R, List<AppendResult>> results,
      String producerGroup,
      String clientId) {
    if (tracer == BrokerTracer.off()
        || sent.stream().noneMatch(m -> Traces.isTraced(m.properties()))) {
      return;
    }
    long appendStart = System.nanoTime();
    appended.thenAccept(
        r -> {
          List<AppendResult> each = results.apply(r);
          long cost = (System.nanoTime() - appendStart) / 1_000_000;
          for (int i = 0; i < each.size() && i < sent.size(); i++) {
            if (StatusMapping.written(each.get(i).status())) {
              tracer.stored(sent.get(i), each.get(i), producerGroup, clientId, cost);
            }
          }
        });
  }

  private SendResponse sendResponse(Message m, AppendResult r, Throwable e) {
    if (e != null) {
      LOG.error("append to {} failed", m.topic(), e);
      return SendResponse.newBuilder()
          .setStatus(Codes.status(Code.INTERNAL, "store append failed: " + e))
          .build();
    }
    SendResponse.Builder b =
        SendResponse.newBuilder().setStatus(status(r.status(), r.reason(), m.topic()));
    if (StatusMapping.written(r.status())) {
      b.setReceipt(receipt(m, r));
    }
    return b.build();
  }

  /**
   * @param req the request
   * @param peer the connection's peer address, or null
   * @return the answer, completed on the broker's executor
   */
  public CompletableFuture<SendBatchResponse> sendBatch(
      SendBatchRequest req, InetSocketAddress peer) {
    long start = System.nanoTime();
    List<Message> batch = new ArrayList<>();
    try {
      int n = req.getMessagesCount();
      if (n < 1 || n > MAX_BATCH) {
        throw new Rejection(Code.BAD_REQUEST, "a batch has 1-1024 messages, not " + n);
      }
      io.edgemq.protocol.v1.Message first = req.getMessages(0);
      for (io.edgemq.protocol.v1.Message m : req.getMessagesList()) {
        if (DelayRules.isScheduled(m)) {
          throw new Rejection(
              Code.ILLEGAL_MESSAGE, "delay and timer messages cannot be sent in a batch");
        }
        if (!m.getTopic().equals(first.getTopic())
            || !m.getMessageGroup().equals(first.getMessageGroup())) {
          throw new Rejection(
              Code.ILLEGAL_MESSAGE, "all messages of a batch need one topic and one message group");
        }
      }
      Topic topic = writableTopic(req.getProducerGroup(), first.getTopic());
      int q =
          selector.select(
              topic, req.hasQueueId() ? req.getQueueId() : null, first.getMessageGroup());
      long now = clock.millis();
      for (io.edgemq.protocol.v1.Message m : req.getMessagesList()) {
        batch.add(MessageMapper.toStore(m, q, now, peer));
      }
    } catch (Rejection r) {
      return CompletableFuture.completedFuture(
          SendBatchResponse.newBuilder().setStatus(r.status()).build());
    }
    long appendStart = System.nanoTime();
    CompletableFuture<BatchAppendResult> appended = store.appendBatch(batch);
    long bytes = 0;
    for (Message m : batch) {
      bytes += m.bodyLength();
    }
    String topic = batch.get(0).topic();
    observe(appended, BatchAppendResult::status, topic, batch.size(), bytes, start, appendStart);
    traceStored(
        appended, batch, BatchAppendResult::results, req.getProducerGroup(), req.getClientId());
    return appended.isDone()
        ? appended.handle((r, e) -> batchResponse(batch, r, e))
        : appended.handleAsync((r, e) -> batchResponse(batch, r, e), executor);
  }

  private SendBatchResponse batchResponse(List<Message> batch, BatchAppendResult r, Throwable e) {
    Message first = batch.get(0);
    if (e != null) {
      LOG.error("batch append to {} failed", first.topic(), e);
      return SendBatchResponse.newBuilder()
          .setStatus(Codes.status(Code.INTERNAL, "store append failed: " + e))
          .build();
    }
    SendBatchResponse.Builder b =
        SendBatchResponse.newBuilder().setStatus(status(r.status(), r.reason(), first.topic()));
    if (StatusMapping.written(r.status())) {
      for (AppendResult one : r.results()) {
        b.addReceipts(receipt(first, one));
      }
    }
    return b.build();
  }

  private Topic writableTopic(String producerGroup, String name) {
    if (!producerGroup.isEmpty()) {
      Names.checkProducerGroup(producerGroup);
    }
    Names.checkTopic(name);
    if (!master) {
      throw new Rejection(Code.NOT_LEADER, "this broker is a replica: send to the master");
    }
    Topic topic = topics.find(name).orElse(null);
    if (topic == null) {
      if (!autoCreate || Names.isSystem(name)) {
        throw new Rejection(
            Code.TOPIC_NOT_FOUND,
            "topic '" + name + "' does not exist here and auto-creation is off");
      }
      topic = topics.createIfAbsent(name);
    }
    if (!topic.writable()) {
      throw new Rejection(
          Code.NO_WRITE_PERMISSION,
          "topic '" + name + "' has permission " + topic.permission() + ": no sends");
    }
    return topic;
  }

  private static io.edgemq.protocol.v1.Status status(
      io.edgemq.store.api.AppendStatus s, String reason, String topic) {
    Code c = StatusMapping.code(s);
    if (c == Code.OK) {
      return Codes.ok();
    }
    return Codes.status(c, "store refused the append to " + topic + ": " + s + " " + reason);
  }

  private SendReceipt receipt(Message m, AppendResult r) {
    return SendReceipt.newBuilder()
        .setMessageId(r.messageId().toString())
        .setQueue(
            MessageQueue.newBuilder()
                .setTopic(m.topic())
                .setBrokerName(brokerName)
                .setQueueId(m.queueId()))
        .setQueueOffset(r.queueOffset())
        .setStoreTimestampMs(r.storeTimestamp())
        .setCommitLogOffset(r.physicalOffset())
        .build();
  }
}
