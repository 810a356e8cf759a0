package io.edgemq.client.producer;

import com.google.protobuf.ByteString;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.Replier;
import io.edgemq.client.route.BrokerView;
import io.edgemq.client.route.RouteCache;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.ReplyRequest;
import io.edgemq.protocol.v1.ReplyResponse;
import io.edgemq.protocol.v1.TransactionGrpc;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The {@link Replier}: finds the request's broker in its topic's route and calls Reply there. */
public final class ReplierImpl implements Replier {
  private final Rpc rpc;
  private final RouteCache routes;

  private ReplierImpl(Rpc rpc) {
    this.rpc = rpc;
    this.routes = new RouteCache(rpc);
  }

  /**
   * @param config the client config
   * @return a running replier
   */
  public static Replier start(ClientConfig config) {
    return new ReplierImpl(new Rpc(config, "replier"));
  }

  @Override
  public void reply(MessageView request, byte[] body) {
    Calls.join(replyAsync(request, body));
  }

  @Override
  public CompletableFuture<Void> replyAsync(MessageView request, byte[] body) {
    Objects.requireNonNull(body, "body");
    String correlationId =
        request
            .correlationId()
            .orElseThrow(() -> new IllegalArgumentException("not a request: no correlation id"));
    String requester =
        request
            .replyToClientId()
            .orElseThrow(() -> new IllegalArgumentException("not a request: no requester"));
    String brokerName = request.queue().brokerName();
    ReplyRequest req =
        ReplyRequest.newBuilder()
            .setClientId(rpc.clientId())
            .setMessage(
                Message.newBuilder()
                    .setTopic(request.topic())
                    .setCorrelationId(correlationId)
                    .setReplyToClientId(requester)
                    .setBody(ByteString.copyFrom(body))
                    .setBornTimestampMs(System.currentTimeMillis()))
            .build();
    return routes
        .route(request.topic())
        .thenCompose(
            route -> {
              BrokerView b =
                  route
                      .broker(brokerName)
                      .orElseThrow(
                          () ->
                              new ClientException(
                                  Code.BROKER_NOT_FOUND_VALUE,
                                  "broker " + brokerName + " of the request is not in " + route));
              TransactionGrpc.TransactionStub stub =
                  TransactionGrpc.newStub(rpc.channel(b.endpoint().host(), b.endpoint().port()))
                      .withDeadlineAfter(
                          rpc.config().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
              CompletableFuture<ReplyResponse> f = Calls.unary(o -> stub.reply(req, o));
              return f;
            })
        .thenAccept(r -> Calls.check(r.getStatus(), "reply to " + requester));
  }

  @Override
  public void close() {
    routes.close();
    rpc.close();
  }
}
