package io.edgemq.client.transaction;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.LocalTransactionExecutor;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.SendResult;
import io.edgemq.client.api.Transaction;
import io.edgemq.client.api.TransactionChecker;
import io.edgemq.client.api.TransactionProducer;
import io.edgemq.client.api.TransactionResolution;
import io.edgemq.client.command.CommandChannels;
import io.edgemq.client.command.CommandHandler;
import io.edgemq.client.producer.ProducerImpl;
import io.edgemq.client.producer.QueueSelector;
import io.edgemq.client.route.BrokerView;
import io.edgemq.client.route.RouteCache;
import io.edgemq.client.route.TopicRouteView;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.CheckTransaction;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.ReplyDelivery;
import io.edgemq.protocol.v1.SendHalfRequest;
import io.edgemq.protocol.v1.SendHalfResponse;
import io.edgemq.protocol.v1.SendReceipt;
import io.edgemq.protocol.v1.TransactionSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TransactionProducer}: SendHalf to the master of the chosen queue's broker group,
 * EndTransaction to the same broker, and checks served from the command channels it keeps to every
 * broker of its topics' routes.
 */
public final class TransactionProducerImpl implements TransactionProducer, CommandHandler {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionProducerImpl.class);

  private final Rpc rpc;
  private final RouteCache routes;
  private final String group;
  private final TransactionChecker checker;
  private final CommandChannels channels;
  private final Outcomes outcomes;
  private final QueueSelector selector = new QueueSelector();
  private final Set<String> topics = ConcurrentHashMap.newKeySet();

  private TransactionProducerImpl(Rpc rpc, String group, TransactionChecker checker) {
    this.rpc = rpc;
    this.routes = new RouteCache(rpc);
    this.group = group;
    this.checker = checker;
    this.channels = new CommandChannels(rpc, List.of(group), this);
    this.outcomes = new Outcomes(rpc, group);
  }

  /**
   * Starts a producer and waits (up to the request timeout) until the brokers of {@code topics}
   * have registered its command channel.
   *
   * @param config the client config
   * @param group the producer group
   * @param checker answers checks
   * @param topics topics whose brokers it serves checks for from the start
   * @return the producer
   */
  public static TransactionProducer start(
      ClientConfig config, String group, TransactionChecker checker, List<String> topics) {
    TransactionProducerImpl p =
        new TransactionProducerImpl(new Rpc(config, "tx-producer"), group, checker);
    p.topics.addAll(topics);
    CompletableFuture<?>[] ready =
        topics.stream().map(p::openChannels).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(ready).get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("command channels of {} not all open yet: {}", topics, e.toString());
    }
    long every = config.routeRefreshInterval().toMillis();
    p.rpc
        .scheduler()
        .scheduleWithFixedDelay(p::refreshChannels, every, every, TimeUnit.MILLISECONDS);
    return p;
  }

  /**
   * Follows the routes of its topics: channels to new brokers, none to brokers that left them. A
   * topic whose route could not be fetched yet (e.g. its only broker is restarting) is asked for
   * again here, so the producer never stays deaf to checks.
   */
  private void refreshChannels() {
    for (String topic : topics) {
      openChannels(topic);
    }
    Set<Endpoint> live = new HashSet<>();
    for (String topic : routes.topics()) {
      routes
          .cached(topic)
          .ifPresent(r -> r.brokers().values().forEach(b -> live.add(b.endpoint())));
    }
    if (!live.isEmpty()) {
      channels.retainOnly(live);
    }
  }

  /** Opens the command channel to every broker of a topic's route (new brokers too). */
  private CompletableFuture<Void> openChannels(String topic) {
    if (rpc.isClosed()) {
      return CompletableFuture.completedFuture(null);
    }
    return routes
        .route(topic)
        .thenCompose(
            route ->
                CompletableFuture.allOf(
                    route.brokers().values().stream()
                        .map(b -> channels.ensure(b.endpoint()))
                        .toArray(CompletableFuture[]::new)));
  }

  @Override
  public SendResult send(Message message, LocalTransactionExecutor executor) {
    Transaction tx = sendHalf(message);
    TransactionResolution r;
    try {
      r = executor.execute(message, tx.messageId());
    } catch (RuntimeException e) {
      LOG.warn("local transaction of {} failed; the check-back decides", tx.messageId(), e);
      r = TransactionResolution.UNKNOWN;
    }
    if (r == TransactionResolution.COMMIT) {
      tx.commit();
    } else if (r == TransactionResolution.ROLLBACK) {
      tx.rollback();
    }
    return new SendResult(tx.messageId(), tx.queue(), -1, 0, Code.OK);
  }

  @Override
  public Transaction sendHalf(Message message) {
    topics.add(message.topic());
    TopicRouteView route = Calls.join(routes.route(message.topic()));
    MessageQueue queue =
        message.messageGroup().isPresent()
            ? QueueSelector.forGroup(route.writableQueues(), message.messageGroup().get())
            : selector.next(message.topic(), route.writableQueues(), Set.of());
    BrokerView broker =
        route
            .broker(queue.brokerName())
            .orElseThrow(
                () -> new ClientException(Code.NO_WRITE_PERMISSION_VALUE, "no broker in " + route));
    Endpoint endpoint = broker.endpoint();
    channels.ensure(endpoint);
    SendHalfRequest req =
        SendHalfRequest.newBuilder()
            .setProducerGroup(group)
            .setClientId(rpc.clientId())
            .setMessage(ProducerImpl.toProto(message))
            .setQueueId(queue.queueId())
            .build();
    var stub =
        io.edgemq.protocol.v1.TransactionGrpc.newStub(rpc.channel(endpoint.host(), endpoint.port()))
            .withDeadlineAfter(rpc.config().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    CompletableFuture<SendHalfResponse> f = Calls.unary(o -> stub.sendHalf(req, o));
    SendHalfResponse r = Calls.join(f);
    if (!Codes.isWritten(r.getStatus().getCodeValue())) {
      throw Calls.failure(r.getStatus(), "half message to " + broker.brokerName());
    }
    SendReceipt rc = r.getReceipt();
    MessageQueue real =
        new MessageQueue(
            message.topic(), rc.getQueue().getBrokerName(), rc.getQueue().getQueueId());
    return new HalfTransaction(
        outcomes, endpoint, rc.getMessageId(), rc.getCommitLogOffset(), real);
  }

  @Override
  public void check(Endpoint broker, CheckTransaction check) {
    rpc.callbacks().execute(() -> answer(broker, check));
  }

  private void answer(Endpoint broker, CheckTransaction check) {
    TransactionResolution r;
    try {
      r = checker.check(MessageView.of(check.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("transaction checker failed on {}; answering UNKNOWN", check.getMessageId(), e);
      r = TransactionResolution.UNKNOWN;
    }
    outcomes
        .end(
            broker,
            check.getMessageId(),
            check.getHalfOffset(),
            r,
            TransactionSource.TRANSACTION_SOURCE_CHECK)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.warn(
                    "answer to the check of {} failed: {}", check.getMessageId(), e.toString());
              }
            });
  }

  @Override
  public void reply(ReplyDelivery reply) {
    LOG.debug("reply to a request ignored: a transaction producer sends no requests");
  }

  @Override
  public void close() {
    channels.close();
    routes.close();
    rpc.close();
  }
}
