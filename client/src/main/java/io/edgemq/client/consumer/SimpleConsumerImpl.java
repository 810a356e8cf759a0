package io.edgemq.client.consumer;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.SimpleConsumer;
import io.edgemq.client.route.BrokerView;
import io.edgemq.client.route.RouteCache;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.AckBatchRequest;
import io.edgemq.protocol.v1.AckBatchResponse;
import io.edgemq.protocol.v1.ChangeInvisibleDurationRequest;
import io.edgemq.protocol.v1.ChangeInvisibleDurationResponse;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.FilterExpression;
import io.edgemq.protocol.v1.FilterType;
import io.edgemq.protocol.v1.ReceiveRequest;
import io.edgemq.protocol.v1.ReceiveResponse;
import io.edgemq.protocol.v1.ReceivedMessage;
import io.edgemq.protocol.v1.SimpleConsumptionGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link SimpleConsumer}: each receive goes to the next (topic, readable broker) in turn; acks
 * and changes go to the broker that handed the message out, acks batched per broker ({@link
 * AckBatcher}).
 */
public final class SimpleConsumerImpl implements SimpleConsumer {
  private final Rpc rpc;
  private final RouteCache routes;
  private final String group;
  private final List<String> topics;
  private final Map<String, FilterExpression> filters;
  private final Duration await;
  private final AtomicInteger turn = new AtomicInteger();
  private final Set<CompletableFuture<?>> receiving = ConcurrentHashMap.newKeySet();
  private final Map<Endpoint, AckBatcher> ackers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private SimpleConsumerImpl(
      Rpc rpc, String group, Map<String, String> subscriptions, Duration await) {
    this.rpc = rpc;
    this.routes = new RouteCache(rpc);
    this.group = group;
    this.topics = List.copyOf(subscriptions.keySet());
    Map<String, FilterExpression> f = new ConcurrentHashMap<>();
    subscriptions.forEach(
        (t, e) ->
            f.put(
                t,
                FilterExpression.newBuilder()
                    .setType(FilterType.FILTER_TYPE_TAG)
                    .setExpression(e.trim())
                    .build()));
    this.filters = Map.copyOf(f);
    this.await = await;
  }

  /**
   * @param config the client config
   * @param group the consumer group
   * @param subscriptions topic to tag expression
   * @param await how long a receive may wait at the broker
   * @return the consumer
   */
  public static SimpleConsumer start(
      ClientConfig config, String group, Map<String, String> subscriptions, Duration await) {
    return new SimpleConsumerImpl(new Rpc(config, "simple-" + group), group, subscriptions, await);
  }

  @Override
  public List<MessageView> receive(int maxMessages, Duration invisibleDuration) {
    return Calls.join(receiveAsync(maxMessages, invisibleDuration));
  }

  @Override
  public CompletableFuture<List<MessageView>> receiveAsync(
      int maxMessages, Duration invisibleDuration) {
    if (maxMessages < 1 || maxMessages > 1024) {
      throw new IllegalArgumentException("maxMessages=" + maxMessages + ": must be within 1-1024");
    }
    checkDuration(invisibleDuration, MIN_INVISIBLE_DURATION);
    checkOpen();
    int n = turn.getAndIncrement();
    String topic = topics.get(Math.floorMod(n, topics.size()));
    ReceiveRequest req =
        ReceiveRequest.newBuilder()
            .setConsumerGroup(group)
            .setClientId(rpc.clientId())
            .setTopic(topic)
            .setFilter(filters.get(topic))
            .setMaxMessages(maxMessages)
            .setInvisibleDurationMs(invisibleDuration.toMillis())
            .setLongPollTimeoutMs(await.toMillis())
            .build();
    CompletableFuture<List<MessageView>> result =
        routes
            .route(topic)
            .thenCompose(route -> receiveFrom(pick(route.brokers().values(), n, topic), req));
    return result;
  }

  private BrokerView pick(java.util.Collection<BrokerView> brokers, int n, String topic) {
    List<BrokerView> readable = brokers.stream().filter(BrokerView::readable).toList();
    if (readable.isEmpty()) {
      throw new ClientException(
          Code.NO_READ_PERMISSION_VALUE, "no broker of topic " + topic + " allows reads");
    }
    // advance over the brokers once per round over the topics
    return readable.get(Math.floorMod(n / topics.size(), readable.size()));
  }

  private CompletableFuture<List<MessageView>> receiveFrom(BrokerView b, ReceiveRequest req) {
    Duration deadline = await.plus(Rpc.LONG_POLL_MARGIN);
    SimpleConsumptionGrpc.SimpleConsumptionStub stub =
        stub(b.endpoint()).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    CompletableFuture<ReceiveResponse> call =
        Calls.<ReceiveRequest, ReceiveResponse>cancellable(o -> stub.receive(req, o));
    // close() cancels the long polls, or closing the channels would wait for them
    receiving.add(call);
    call.whenComplete((r, e) -> receiving.remove(call));
    if (closed) {
      call.cancel(true);
    }
    return call.thenApply(
        r -> {
          if (!Codes.isOk(r.getStatus())) {
            if (r.getStatus().getCode() == Code.TOPIC_NOT_FOUND) {
              routes.refresh(req.getTopic());
            }
            throw Calls.failure(r.getStatus(), "Receive from " + b.brokerName());
          }
          List<MessageView> out = new ArrayList<>(r.getMessagesCount());
          for (ReceivedMessage m : r.getMessagesList()) {
            out.add(
                MessageView.received(
                    m.getMessage(),
                    m.getReceiptHandle(),
                    m.getInvisibleUntilMs(),
                    m.getDeliveryAttempt()));
          }
          return out;
        });
  }

  @Override
  public void ack(MessageView message) {
    Calls.join(ackAsync(message));
  }

  @Override
  public CompletableFuture<Void> ackAsync(MessageView message) {
    String handle = handle(message);
    checkOpen();
    return endpoint(message).thenCompose(e -> ackers.computeIfAbsent(e, this::acker).ack(handle));
  }

  private AckBatcher acker(Endpoint e) {
    return new AckBatcher(
        handles -> {
          AckBatchRequest req =
              AckBatchRequest.newBuilder()
                  .setConsumerGroup(group)
                  .setClientId(rpc.clientId())
                  .addAllReceiptHandles(handles)
                  .build();
          return Calls.<AckBatchRequest, AckBatchResponse>cancellable(
              o -> deadlined(stub(e)).ackBatch(req, o));
        });
  }

  private SimpleConsumptionGrpc.SimpleConsumptionStub deadlined(
      SimpleConsumptionGrpc.SimpleConsumptionStub stub) {
    return stub.withDeadlineAfter(rpc.config().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public MessageView changeInvisibleDuration(MessageView message, Duration duration) {
    return Calls.join(changeInvisibleDurationAsync(message, duration));
  }

  @Override
  public CompletableFuture<MessageView> changeInvisibleDurationAsync(
      MessageView message, Duration duration) {
    String handle = handle(message);
    checkDuration(duration, Duration.ZERO);
    checkOpen();
    ChangeInvisibleDurationRequest req =
        ChangeInvisibleDurationRequest.newBuilder()
            .setConsumerGroup(group)
            .setClientId(rpc.clientId())
            .setReceiptHandle(handle)
            .setInvisibleDurationMs(duration.toMillis())
            .build();
    return endpoint(message)
        .thenCompose(
            e ->
                Calls.<ChangeInvisibleDurationRequest, ChangeInvisibleDurationResponse>cancellable(
                    o -> deadlined(stub(e)).changeInvisibleDuration(req, o)))
        .thenApply(
            r -> {
              Calls.check(r.getStatus(), "ChangeInvisibleDuration");
              return message.withReceiptHandle(r.getReceiptHandle(), r.getInvisibleUntilMs());
            });
  }

  private static String handle(MessageView m) {
    return m.receiptHandle()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    m + " has no receipt handle: it was not received by a SimpleConsumer"));
  }

  private static void checkDuration(Duration d, Duration min) {
    if (d == null || d.compareTo(min) < 0 || d.compareTo(MAX_INVISIBLE_DURATION) > 0) {
      throw new IllegalArgumentException(
          "invisibleDuration=" + d + ": must be within " + min + " - " + MAX_INVISIBLE_DURATION);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("simple consumer closed");
    }
  }

  /** The broker that handed the message out, by its name in the topic's route. */
  private CompletableFuture<Endpoint> endpoint(MessageView m) {
    String topic = m.queue().topic();
    String broker = m.queue().brokerName();
    return routes
        .route(topic)
        .thenApply(
            r ->
                r.broker(broker)
                    .orElseThrow(
                        () ->
                            new ClientException(
                                Code.BROKER_NOT_FOUND_VALUE,
                                "broker " + broker + " is not in the route of " + topic))
                    .endpoint());
  }

  private SimpleConsumptionGrpc.SimpleConsumptionStub stub(Endpoint e) {
    return SimpleConsumptionGrpc.newStub(rpc.channel(e.host(), e.port()));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    receiving.forEach(f -> f.cancel(true));
    routes.close();
    rpc.close();
  }
}
