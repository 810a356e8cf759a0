package io.edgemq.client.command;

import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.protocol.v1.ClientInfo;
import io.edgemq.protocol.v1.CommandStreamRequest;
import io.edgemq.protocol.v1.CommandStreamResponse;
import io.edgemq.protocol.v1.TransactionGrpc;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code CommandStream} to one broker, opened again {@link #REOPEN_DELAY_MS} after it fails,
 * until closed.
 */
final class CommandChannel {
  private static final Logger LOG = LoggerFactory.getLogger(CommandChannel.class);
  static final long REOPEN_DELAY_MS = 1000;

  private final Rpc rpc;
  private final Endpoint broker;
  private final List<String> producerGroups;
  private final CommandHandler handler;
  private volatile CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile ClientCallStreamObserver<CommandStreamRequest> call;
  private volatile boolean closed;

  CommandChannel(Rpc rpc, Endpoint broker, List<String> producerGroups, CommandHandler handler) {
    this.rpc = rpc;
    this.broker = broker;
    this.producerGroups = List.copyOf(producerGroups);
    this.handler = handler;
  }

  /**
   * @return completes when the broker has registered the channel (now or after a reopen)
   */
  CompletableFuture<Void> ready() {
    return ready;
  }

  void open() {
    if (closed || rpc.isClosed()) {
      return;
    }
    TransactionGrpc.TransactionStub stub =
        TransactionGrpc.newStub(rpc.channel(broker.host(), broker.port()));
    StreamObserver<CommandStreamRequest> requests = stub.commandStream(new Observer());
    try {
      requests.onNext(
          CommandStreamRequest.newBuilder()
              .setClient(ClientInfo.newBuilder().setClientId(rpc.clientId()))
              .addAllProducerGroups(producerGroups)
              .build());
    } catch (RuntimeException e) {
      // the call already failed; its onError reopens it
      LOG.debug("command channel to {} failed at open: {}", broker, e.toString());
    }
  }

  void close() {
    closed = true;
    ClientCallStreamObserver<CommandStreamRequest> c = call;
    if (c != null) {
      c.cancel("client closed", null);
    }
  }

  private void failed(String why) {
    if (ready.isDone()) {
      ready = new CompletableFuture<>();
    }
    if (closed || rpc.isClosed()) {
      return;
    }
    LOG.debug("command channel to {} ended ({}); reopening", broker, why);
    try {
      rpc.scheduler().schedule(this::open, REOPEN_DELAY_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // scheduler stopped: the client is closing
    }
  }

  private final class Observer
      implements ClientResponseObserver<CommandStreamRequest, CommandStreamResponse> {
    @Override
    public void beforeStart(ClientCallStreamObserver<CommandStreamRequest> requestStream) {
      call = requestStream;
    }

    @Override
    public void onNext(CommandStreamResponse r) {
      switch (r.getKindCase()) {
        case READY -> ready.complete(null);
        case CHECK_TRANSACTION -> handler.check(broker, r.getCheckTransaction());
        case REPLY -> handler.reply(r.getReply());
        default -> LOG.debug("unknown command from {} ignored", broker);
      }
    }

    @Override
    public void onError(Throwable t) {
      failed(t.toString());
    }

    @Override
    public void onCompleted() {
      failed("ended by the broker");
    }
  }
}
