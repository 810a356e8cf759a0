package io.edgemq.client.producer;

import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.command.CommandChannels;
import io.edgemq.client.command.CommandHandler;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.protocol.v1.CheckTransaction;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.ReplyDelivery;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer's requests waiting for their replies, by correlation id, and the command channels the
 * replies arrive on (opened on the first request to each broker).
 */
final class Requests implements CommandHandler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Requests.class);

  private final Rpc rpc;
  private final CommandChannels channels;
  private final Map<String, CompletableFuture<MessageView>> pending = new ConcurrentHashMap<>();

  Requests(Rpc rpc) {
    this.rpc = rpc;
    // a plain producer answers no transaction checks: no producer groups on its channels
    this.channels = new CommandChannels(rpc, List.of(), this);
  }

  CompletableFuture<Void> ensureChannel(Endpoint broker) {
    return channels.ensure(broker);
  }

  /**
   * @param correlationId the request's id
   * @param timeout how long to wait for the reply
   * @return completes with the reply, or with a REQUEST_TIMEOUT {@link ClientException}
   */
  CompletableFuture<MessageView> register(String correlationId, Duration timeout) {
    CompletableFuture<MessageView> f = new CompletableFuture<>();
    pending.put(correlationId, f);
    ScheduledFuture<?> timer =
        rpc.scheduler()
            .schedule(
                () ->
                    f.completeExceptionally(
                        new ClientException(
                            Code.REQUEST_TIMEOUT_VALUE,
                            "no reply to request " + correlationId + " within " + timeout)),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    f.whenComplete(
        (r, e) -> {
          pending.remove(correlationId, f);
          timer.cancel(false);
        });
    return f;
  }

  @Override
  public void check(Endpoint broker, CheckTransaction check) {
    LOG.debug("transaction check from {} ignored: not a transaction producer", broker);
  }

  @Override
  public void reply(ReplyDelivery reply) {
    CompletableFuture<MessageView> f = pending.get(reply.getMessage().getCorrelationId());
    if (f == null) {
      LOG.debug(
          "reply to request {} came too late or twice; dropped",
          reply.getMessage().getCorrelationId());
      return;
    }
    f.complete(MessageView.of(reply.getMessage()));
  }

  @Override
  public void close() {
    channels.close();
    ClientException closed = new ClientException(Code.SERVICE_UNAVAILABLE_VALUE, "producer closed");
    pending.values().forEach(f -> f.completeExceptionally(closed));
  }
}
