package io.edgemq.broker.server;

import io.edgemq.broker.group.GroupManager;
import io.edgemq.broker.offset.OffsetService;
import io.edgemq.broker.pull.PullCall;
import io.edgemq.broker.pull.PullService;
import io.edgemq.broker.retry.RetryService;
import io.edgemq.broker.send.SendService;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.BrokerGrpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CommitOffsetRequest;
import io.edgemq.protocol.v1.CommitOffsetResponse;
import io.edgemq.protocol.v1.HeartbeatRequest;
import io.edgemq.protocol.v1.HeartbeatResponse;
import io.edgemq.protocol.v1.PullRequest;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.protocol.v1.QueryOffsetRequest;
import io.edgemq.protocol.v1.QueryOffsetResponse;
import io.edgemq.protocol.v1.SendBackRequest;
import io.edgemq.protocol.v1.SendBackResponse;
import io.edgemq.protocol.v1.SendBatchRequest;
import io.edgemq.protocol.v1.SendBatchResponse;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.edgemq.protocol.v1.SendStreamRequest;
import io.edgemq.protocol.v1.SendStreamResponse;
import io.edgemq.protocol.v1.UnregisterClientRequest;
import io.edgemq.protocol.v1.UnregisterClientResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code edgemq.v1.Broker}: adapts each RPC to its feature service. */
public final class BrokerRpc extends BrokerGrpc.BrokerImplBase {
  private final boolean master;
  private final SendService send;
  private final PullService pull;
  private final GroupManager groups;
  private final OffsetService offsets;
  private final RetryService retry;
  private final java.util.Set<SendStreamCall> sendStreams =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param master whether this broker takes writes
   * @param send the send service
   * @param pull the pull service
   * @param groups the group manager
   * @param offsets the offset service
   * @param retry the retry service (SendBack)
   */
  public BrokerRpc(
      boolean master,
      SendService send,
      PullService pull,
      GroupManager groups,
      OffsetService offsets,
      RetryService retry) {
    this.retry = retry;
    this.master = master;
    this.send = send;
    this.pull = pull;
    this.groups = groups;
    this.offsets = offsets;
  }

  @Override
  public void send(SendRequest req, StreamObserver<SendResponse> obs) {
    Calls.answerAsync(
        obs,
        () -> send.send(req, Peer.current()),
        s -> SendResponse.newBuilder().setStatus(s).build(),
        "Send");
  }

  @Override
  public StreamObserver<SendStreamRequest> sendStream(StreamObserver<SendStreamResponse> obs) {
    SendStreamCall call =
        new SendStreamCall(
            (ServerCallStreamObserver<SendStreamResponse>) obs,
            send,
            Peer.current(),
            sendStreams::remove);
    sendStreams.add(call);
    return call;
  }

  /**
   * Ends every open SendStream for a shutdown: new requests are refused with SERVICE_UNAVAILABLE
   * (the producer retries elsewhere), and each stream completes once its answers are written.
   */
  public void endSendStreams() {
    for (SendStreamCall c : sendStreams) {
      c.endForShutdown();
    }
  }

  @Override
  public void sendBatch(SendBatchRequest req, StreamObserver<SendBatchResponse> obs) {
    Calls.answerAsync(
        obs,
        () -> send.sendBatch(req, Peer.current()),
        s -> SendBatchResponse.newBuilder().setStatus(s).build(),
        "SendBatch");
  }

  @Override
  public void pull(PullRequest req, StreamObserver<PullResponse> obs) {
    ServerCallStreamObserver<PullResponse> call = (ServerCallStreamObserver<PullResponse>) obs;
    Deadline d = Context.current().getDeadline();
    long remaining = d == null ? Long.MAX_VALUE : d.timeRemaining(TimeUnit.MILLISECONDS);
    AtomicBoolean answered = new AtomicBoolean();
    PullCall pc =
        new PullCall() {
          @Override
          public void respond(PullResponse response) {
            if (answered.compareAndSet(false, true)) {
              Calls.complete(call, response);
            }
          }

          @Override
          public void onCancel(Runnable onCancel) {
            call.setOnCancelHandler(onCancel);
          }
        };
    try {
      pull.pull(req, remaining, pc);
    } catch (RuntimeException e) {
      pc.respond(
          PullResponse.newBuilder()
              .setStatus(Codes.status(Code.INTERNAL, "pull failed: " + e))
              .setNextOffset(req.getOffset())
              .build());
    }
  }

  @Override
  public void heartbeat(HeartbeatRequest req, StreamObserver<HeartbeatResponse> obs) {
    InetSocketAddress peer = Peer.current();
    Calls.answer(
        obs,
        () -> {
          if (!master) {
            return HeartbeatResponse.newBuilder()
                .setStatus(Codes.status(Code.NOT_LEADER, "this broker is a replica"))
                .build();
          }
          Address a =
              peer == null
                  ? null
                  : Address.newBuilder()
                      .setHost(peer.getHostString())
                      .setPort(peer.getPort())
                      .build();
          return groups.heartbeat(req, a);
        },
        s -> HeartbeatResponse.newBuilder().setStatus(s).build(),
        "Heartbeat");
  }

  @Override
  public void unregisterClient(
      UnregisterClientRequest req, StreamObserver<UnregisterClientResponse> obs) {
    Calls.answer(
        obs,
        () -> {
          groups.unregister(req);
          return UnregisterClientResponse.newBuilder().setStatus(Codes.ok()).build();
        },
        s -> UnregisterClientResponse.newBuilder().setStatus(s).build(),
        "UnregisterClient");
  }

  @Override
  public void queryOffset(QueryOffsetRequest req, StreamObserver<QueryOffsetResponse> obs) {
    Calls.answer(
        obs,
        () -> offsets.query(req),
        s -> QueryOffsetResponse.newBuilder().setStatus(s).build(),
        "QueryOffset");
  }

  @Override
  public void commitOffset(CommitOffsetRequest req, StreamObserver<CommitOffsetResponse> obs) {
    Calls.answer(
        obs,
        () -> offsets.commit(req),
        s -> CommitOffsetResponse.newBuilder().setStatus(s).build(),
        "CommitOffset");
  }

  @Override
  public void sendBack(SendBackRequest req, StreamObserver<SendBackResponse> obs) {
    Calls.answerAsync(
        obs,
        () -> retry.sendBack(req),
        s -> SendBackResponse.newBuilder().setStatus(s).build(),
        "SendBack");
  }
}
