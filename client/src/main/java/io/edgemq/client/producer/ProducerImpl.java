package io.edgemq.client.producer;

import com.google.protobuf.ByteString;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.SendResult;
import io.edgemq.client.route.BrokerView;
import io.edgemq.client.route.RouteCache;
import io.edgemq.client.route.TopicRouteView;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.client.rpc.SendStream;
import io.edgemq.client.trace.Tracer;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.BrokerGrpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.SendBatchRequest;
import io.edgemq.protocol.v1.SendBatchResponse;
import io.edgemq.protocol.v1.SendReceipt;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.edgemq.protocol.v1.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Producer}: picks a queue from the route, sends to that broker group's master, and on a
 * retryable failure tries again on another broker group (the same queue for a message group, so its
 * order holds).
 */
public final class ProducerImpl implements Producer {
  private static final Logger LOG = LoggerFactory.getLogger(ProducerImpl.class);
  private static final long SAME_QUEUE_BACKOFF_MS = 100;

  private final Rpc rpc;
  private final RouteCache routes;
  private final String producerGroup;
  private final RetryPolicy retry;
  private final QueueSelector selector = new QueueSelector();
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<Endpoint, SendStream> streams = new ConcurrentHashMap<>();
  private final Tracer tracer;
  private final Requests requests;
  private volatile boolean closed;

  private ProducerImpl(Rpc rpc, String producerGroup, int maxRetries, boolean trace) {
    this.rpc = rpc;
    this.routes = new RouteCache(rpc);
    this.producerGroup = producerGroup;
    this.retry = new RetryPolicy(maxRetries);
    this.tracer = trace ? Tracer.start(rpc.config(), rpc.clientId(), producerGroup) : Tracer.off();
    this.requests = new Requests(rpc);
  }

  /**
   * Starts a producer.
   *
   * @param config the client config
   * @param producerGroup the producer group
   * @param maxRetries retries after the first attempt
   * @param topics routes to fetch now
   * @return the producer
   */
  public static Producer start(
      ClientConfig config, String producerGroup, int maxRetries, List<String> topics) {
    return start(config, producerGroup, maxRetries, topics, false);
  }

  /**
   * Starts a producer, tracing its messages when asked.
   *
   * @param config the client config
   * @param producerGroup the producer group
   * @param maxRetries retries after the first attempt
   * @param topics routes to fetch now
   * @param trace whether to mark messages as traced and write their SEND events
   * @return the producer
   */
  public static Producer start(
      ClientConfig config,
      String producerGroup,
      int maxRetries,
      List<String> topics,
      boolean trace) {
    ProducerImpl p =
        new ProducerImpl(new Rpc(config, "producer"), producerGroup, maxRetries, trace);
    for (String t : topics) {
      p.routes.route(t).exceptionally(e -> null);
    }
    return p;
  }

  @Override
  public SendResult send(Message message) {
    return Calls.join(sendAsync(message));
  }

  @Override
  public CompletableFuture<SendResult> sendAsync(Message message) {
    Objects.requireNonNull(message, "message");
    return (attempt(new Attempt(List.of(message), retry.maxRetries(), false))
        .thenApply(list -> list.get(0)));
  }

  @Override
  public void sendOneway(Message message) {
    Objects.requireNonNull(message, "message");
    (attempt(new Attempt(List.of(message), 0, false)))
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                LOG.debug("oneway send to {} failed: {}", message.topic(), e.getMessage());
              }
            });
  }

  @Override
  public MessageView request(Message message, Duration timeout) {
    return Calls.join(requestAsync(message, timeout));
  }

  @Override
  public CompletableFuture<MessageView> requestAsync(Message message, Duration timeout) {
    Objects.requireNonNull(message, "message");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout=" + timeout + ": must be positive");
    }
    String correlationId = MessageIds.next();
    io.edgemq.protocol.v1.Message proto =
        toProto(message).toBuilder()
            .setCorrelationId(correlationId)
            .setReplyToClientId(rpc.clientId())
            .build();
    CompletableFuture<MessageView> reply = requests.register(correlationId, timeout);
    // the reply comes back through the broker that stores the request: every broker the request
    // may go to must have this client's command channel before the request is sent
    routes
        .route(message.topic())
        .thenCompose(
            route ->
                CompletableFuture.allOf(
                    route.brokers().values().stream()
                        .filter(BrokerView::writable)
                        .map(b -> requests.ensureChannel(b.endpoint()))
                        .toArray(CompletableFuture[]::new)))
        .thenCompose(v -> attempt(new Attempt(proto, message, retry.maxRetries())))
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                reply.completeExceptionally(Calls.unwrap(e));
              }
            });
    return reply;
  }

  @Override
  public List<SendResult> sendBatch(List<Message> messages) {
    return Calls.join(sendBatchAsync(messages));
  }

  @Override
  public CompletableFuture<List<SendResult>> sendBatchAsync(List<Message> messages) {
    checkBatch(messages);
    return (attempt(new Attempt(messages, retry.maxRetries(), true)));
  }

  /**
   * Checks the broker's batch rules before sending: 1-1024 messages, one topic, one message group.
   *
   * @param messages the batch
   * @throws IllegalArgumentException naming the rule broken
   */
  static void checkBatch(List<Message> messages) {
    if (messages.isEmpty() || messages.size() > 1024) {
      throw new IllegalArgumentException(
          "a batch has 1-1024 messages, this one " + messages.size());
    }
    Message first = messages.get(0);
    for (Message m : messages) {
      if (!m.topic().equals(first.topic())) {
        throw new IllegalArgumentException(
            "a batch has one topic: " + first.topic() + " and " + m.topic());
      }
      if (!m.messageGroup().equals(first.messageGroup())) {
        throw new IllegalArgumentException(
            "a batch has at most one message group: "
                + first.messageGroup().orElse("(none)")
                + " and "
                + m.messageGroup().orElse("(none)"));
      }
    }
  }

  /**
   * One send (of one message or a batch) across its attempts. The protocol messages are built once,
   * with their ids, so every attempt sends the same ids.
   */
  private final class Attempt {
    final List<io.edgemq.protocol.v1.Message> messages;
    final String topic;
    final String group;
    final int maxRetries;
    final boolean batch;
    final Set<String> failedBrokers = new HashSet<>();
    final CompletableFuture<List<SendResult>> result = new CompletableFuture<>();
    int number;
    MessageQueue fixedQueue;

    Attempt(io.edgemq.protocol.v1.Message proto, Message message, int maxRetries) {
      this.messages = List.of(proto);
      this.batch = false;
      this.topic = message.topic();
      this.group = message.messageGroup().orElse(null);
      this.maxRetries = maxRetries;
    }

    Attempt(List<Message> messages, int maxRetries, boolean batch) {
      List<io.edgemq.protocol.v1.Message> protos = new ArrayList<>(messages.size());
      for (Message m : messages) {
        protos.add(tracer.mark(toProto(m)));
      }
      this.messages = protos;
      this.batch = batch;
      this.topic = messages.get(0).topic();
      this.group = messages.get(0).messageGroup().orElse(null);
      this.maxRetries = maxRetries;
    }
  }

  private CompletableFuture<List<SendResult>> attempt(Attempt a) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new ClientException(Code.SERVICE_UNAVAILABLE_VALUE, "producer closed"));
    }
    inFlight.add(a.result);
    a.result.whenComplete((r, e) -> inFlight.remove(a.result));
    tracer.watchSend(a.messages, a.result);
    next(a);
    return a.result;
  }

  private void next(Attempt a) {
    a.number++;
    routes
        .route(a.topic)
        .whenComplete(
            (route, error) -> {
              if (error != null) {
                failed(a, null, Calls.unwrap(error));
                return;
              }
              MessageQueue queue;
              BrokerView broker;
              try {
                queue = choose(a, route);
                broker = route.broker(queue.brokerName()).orElseThrow();
              } catch (RuntimeException e) {
                failed(
                    a,
                    null,
                    new ClientException(
                        Code.NO_WRITE_PERMISSION_VALUE, "no writable queue in " + route));
                return;
              }
              sendTo(a, broker, queue);
            });
  }

  private MessageQueue choose(Attempt a, TopicRouteView route) {
    List<MessageQueue> queues = route.writableQueues();
    if (a.group == null) {
      return selector.next(a.topic, queues, a.failedBrokers);
    }
    // a message group stays on its queue across retries, so its order holds
    if (a.fixedQueue == null || !queues.contains(a.fixedQueue)) {
      a.fixedQueue = QueueSelector.forGroup(queues, a.group);
    }
    return a.fixedQueue;
  }

  private void sendTo(Attempt a, BrokerView broker, MessageQueue queue) {
    CompletableFuture<List<SendResult>> call;
    if (!a.batch) {
      SendRequest req =
          SendRequest.newBuilder()
              .setProducerGroup(producerGroup)
              .setClientId(rpc.clientId())
              .setMessage(a.messages.get(0))
              .setQueueId(queue.queueId())
              .build();
      CompletableFuture<SendResponse> f = stream(broker.endpoint()).send(req);
      call = f.thenApply(r -> results(r.getStatus(), List.of(r.getReceipt()), broker));
    } else {
      SendBatchRequest.Builder req =
          SendBatchRequest.newBuilder()
              .setProducerGroup(producerGroup)
              .setClientId(rpc.clientId())
              .setQueueId(queue.queueId());
      req.addAllMessages(a.messages);
      SendBatchRequest built = req.build();
      BrokerGrpc.BrokerStub stub = rpc.broker(broker.endpoint());
      CompletableFuture<SendBatchResponse> f = Calls.unary(o -> stub.sendBatch(built, o));
      call = f.thenApply(r -> results(r.getStatus(), r.getReceiptsList(), broker));
    }
    call.whenComplete(
        (results, error) -> {
          if (error == null) {
            a.result.complete(results);
          } else {
            failed(a, broker.brokerName(), Calls.unwrap(error));
          }
        });
  }

  private SendStream stream(Endpoint broker) {
    return streams.computeIfAbsent(
        broker, e -> new SendStream(rpc.brokerForStreams(e), rpc.config().requestTimeout()));
  }

  private static List<SendResult> results(
      Status status, List<SendReceipt> receipts, BrokerView broker) {
    if (!Codes.isWritten(status.getCodeValue())) {
      throw Calls.failure(status, "send to " + broker.brokerName());
    }
    Code code = Code.forNumber(status.getCodeValue());
    List<SendResult> out = new ArrayList<>(receipts.size());
    for (SendReceipt r : receipts) {
      out.add(
          new SendResult(
              r.getMessageId(),
              new MessageQueue(
                  r.getQueue().getTopic(), r.getQueue().getBrokerName(), r.getQueue().getQueueId()),
              r.getQueueOffset(),
              r.getStoreTimestampMs(),
              code));
    }
    return out;
  }

  private void failed(Attempt a, String brokerName, ClientException e) {
    if (brokerName != null) {
      a.failedBrokers.add(brokerName);
    }
    if (RetryPolicy.refreshesRoute(e)) {
      routes.refresh(a.topic).exceptionally(x -> null);
    }
    if (closed || a.number > a.maxRetries || !RetryPolicy.isRetryable(e)) {
      a.result.completeExceptionally(e);
      return;
    }
    LOG.debug("send to {} failed (attempt {}), retrying: {}", brokerName, a.number, e.getMessage());
    if (a.group != null) {
      long delay = SAME_QUEUE_BACKOFF_MS * a.number;
      rpc.scheduler().schedule(() -> next(a), delay, TimeUnit.MILLISECONDS);
    } else {
      next(a);
    }
  }

  /**
   * Converts a message to its protocol form, with a new id when it has none.
   *
   * @param m the message
   * @return the protocol message
   */
  public static io.edgemq.protocol.v1.Message toProto(Message m) {
    io.edgemq.protocol.v1.Message.Builder b =
        io.edgemq.protocol.v1.Message.newBuilder()
            .setTopic(m.topic())
            .setBody(ByteString.copyFrom(m.body()))
            .setBornTimestampMs(System.currentTimeMillis())
            .setMessageId(m.messageId().orElseGet(MessageIds::next));
    if (!m.keys().isEmpty()) {
      b.addAllKeys(m.keys());
    }
    if (!m.properties().isEmpty()) {
      b.putAllUserProperties(m.properties());
    }
    m.tag().ifPresent(b::setTag);
    m.messageGroup().ifPresent(b::setMessageGroup);
    m.deliverAt().ifPresent(at -> b.setDeliveryTimestampMs(at.toEpochMilli()));
    b.setDelayLevel(m.delayLevel());
    return b.build();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
          .get(rpc.config().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      LOG.warn("closing the producer with {} sends still in flight", inFlight.size());
    } catch (ExecutionException e) {
      // each send reports its own failure
    }
    tracer.close(); // the last SEND events, before the connections go
    requests.close();
    streams.values().forEach(SendStream::close);
    routes.close();
    rpc.close();
  }
}
