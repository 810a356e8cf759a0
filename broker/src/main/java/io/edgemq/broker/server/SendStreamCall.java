package io.edgemq.broker.server;

import io.edgemq.broker.send.SendService;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.SendResponse;
import io.edgemq.protocol.v1.SendStreamRequest;
import io.edgemq.protocol.v1.SendStreamResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code SendStream}: each request is handled like a unary Send and answered with its id as
 * soon as its append completes. Answers come from several threads (inline for ASYNC, the broker's
 * worker after a group commit for SYNC), and gRPC's stream is not thread-safe, so writes are
 * serialized on this object. The stream ends once the client half-closed and every request was
 * answered.
 */
final class SendStreamCall implements StreamObserver<SendStreamRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(SendStreamCall.class);

  /**
   * Requests asked of gRPC ahead. gRPC's default asks for one message at a time, which costs two
   * thread hand-offs per message and caps one stream at a few thousand sends per second; asking for
   * many lets one executor task take every message that arrived together.
   */
  static final int WINDOW = 512;

  private final ServerCallStreamObserver<SendStreamResponse> out;
  private final SendService send;
  private final InetSocketAddress peer;
  private final java.util.function.Consumer<SendStreamCall> onClose;
  private boolean stopping;
  private int pending;
  private int taken;
  private boolean inputDone;
  private boolean closed;

  SendStreamCall(
      ServerCallStreamObserver<SendStreamResponse> out,
      SendService send,
      InetSocketAddress peer,
      java.util.function.Consumer<SendStreamCall> onClose) {
    this.out = out;
    this.send = send;
    this.peer = peer;
    this.onClose = onClose;
    out.setOnCancelHandler(this::cancelled);
    out.disableAutoRequest();
    out.request(WINDOW);
  }

  @Override
  public void onNext(SendStreamRequest req) {
    boolean refuse;
    synchronized (this) {
      pending++;
      refuse = stopping;
    }
    // onNext calls are serialized by gRPC; taken needs no lock
    if (++taken == WINDOW / 2) {
      taken = 0;
      out.request(WINDOW / 2);
    }
    long id = req.getRequestId();
    CompletableFuture<SendResponse> f;
    if (refuse) {
      answer(
          id,
          SendResponse.newBuilder()
              .setStatus(Codes.status(Code.SERVICE_UNAVAILABLE, "broker stopping"))
              .build());
      return;
    }
    try {
      f = send.send(req.getSend(), peer);
    } catch (RuntimeException e) {
      LOG.error("SendStream request failed", e);
      f = CompletableFuture.completedFuture(internal(e));
    }
    f.whenComplete((r, e) -> answer(id, e == null ? r : internal(e)));
  }

  private static SendResponse internal(Throwable e) {
    return SendResponse.newBuilder()
        .setStatus(Codes.status(Code.INTERNAL, "Send failed: " + e))
        .build();
  }

  private synchronized void answer(long id, SendResponse r) {
    pending--;
    if (!closed) {
      try {
        out.onNext(SendStreamResponse.newBuilder().setRequestId(id).setResponse(r).build());
      } catch (RuntimeException e) {
        // the client went away; the append stands, as for a cancelled unary Send
        closed = true;
        LOG.debug("SendStream answer not written: {}", e.toString());
      }
    }
    finishIfDone();
  }

  @Override
  public void onError(Throwable t) {
    cancelled();
  }

  @Override
  public synchronized void onCompleted() {
    inputDone = true;
    finishIfDone();
  }

  private synchronized void cancelled() {
    closed = true;
    onClose.accept(this);
  }

  /** Stops taking requests; the stream completes once every answer is written. */
  synchronized void endForShutdown() {
    stopping = true;
    inputDone = true;
    finishIfDone();
  }

  private void finishIfDone() {
    if (inputDone && pending == 0 && !closed) {
      closed = true;
      onClose.accept(this);
      try {
        out.onCompleted();
      } catch (RuntimeException e) {
        LOG.debug("SendStream not completed: {}", e.toString());
      }
    }
  }
}
