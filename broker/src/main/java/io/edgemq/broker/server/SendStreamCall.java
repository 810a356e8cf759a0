package io.edgemq.broker.server;

import io.edgemq.broker.send.SendService;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.SendResponse;
import io.edgemq.protocol.v1.SendStreamAnswer;
import io.edgemq.protocol.v1.SendStreamItem;
import io.edgemq.protocol.v1.SendStreamRequest;
import io.edgemq.protocol.v1.SendStreamResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code SendStream}: each send is handled like a unary Send and answered with its id as soon
 * as its append completes. Answers come from several threads (inline for ASYNC, the broker's worker
 * after a group commit for SYNC), and gRPC's stream is not thread-safe, so writes are serialized on
 * this object. Answers ready together go out in one stream message: those of a request message's
 * sends that complete while it is being handled are written after it, the others as they come. The
 * stream ends once the client half-closed and every send was answered.
 */
final class SendStreamCall implements StreamObserver<SendStreamRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(SendStreamCall.class);

  /**
   * Requests asked of gRPC ahead. gRPC's default asks for one message at a time, which costs two
   * thread hand-offs per message and caps one stream at a few thousand sends per second; asking for
   * many lets one executor task take every message that arrived together.
   */
  static final int WINDOW = 512;

  /** Most sends one stream message may carry. */
  static final int MAX_SENDS_PER_MESSAGE = 1024;

  private final ServerCallStreamObserver<SendStreamResponse> out;
  private final SendService send;
  private final InetSocketAddress peer;
  private final java.util.function.Consumer<SendStreamCall> onClose;
  private boolean stopping;
  private int pending;
  private int taken;
  private boolean inputDone;
  private boolean closed;
  // answers not written yet, and whether a request message is being handled (both guarded by this)
  private final List<SendStreamAnswer> ready = new ArrayList<>();
  private boolean handling;

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
    // onNext calls are serialized by gRPC; taken needs no lock
    if (++taken == WINDOW / 2) {
      taken = 0;
      out.request(WINDOW / 2);
    }
    int n = req.getSendsCount();
    if (n == 0 || n > MAX_SENDS_PER_MESSAGE) {
      refuseMessage(n);
      return;
    }
    boolean refuse;
    synchronized (this) {
      pending += n;
      refuse = stopping;
      handling = true;
    }
    try {
      for (SendStreamItem item : req.getSendsList()) {
        handle(item, refuse);
      }
    } finally {
      synchronized (this) {
        handling = false;
        writeReady();
      }
    }
  }

  private void handle(SendStreamItem item, boolean refuse) {
    long id = item.getRequestId();
    if (refuse) {
      answer(
          id,
          SendResponse.newBuilder()
              .setStatus(Codes.status(Code.SERVICE_UNAVAILABLE, "broker stopping"))
              .build());
      return;
    }
    CompletableFuture<SendResponse> f;
    try {
      f = send.send(item.getSend(), peer);
    } catch (RuntimeException e) {
      LOG.error("SendStream request failed", e);
      f = CompletableFuture.completedFuture(internal(e));
    }
    f.whenComplete((r, e) -> answer(id, e == null ? r : internal(e)));
  }

  /** A stream message without sends, or with too many, breaks the protocol: the stream ends. */
  private synchronized void refuseMessage(int sends) {
    if (closed) {
      return;
    }
    closed = true;
    onClose.accept(this);
    try {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription(
                  "a SendStream message carries 1-"
                      + MAX_SENDS_PER_MESSAGE
                      + " sends, not "
                      + sends)
              .asRuntimeException());
    } catch (RuntimeException e) {
      LOG.debug("SendStream not ended: {}", e.toString());
    }
  }

  private static SendResponse internal(Throwable e) {
    return SendResponse.newBuilder()
        .setStatus(Codes.status(Code.INTERNAL, "Send failed: " + e))
        .build();
  }

  private synchronized void answer(long id, SendResponse r) {
    pending--;
    ready.add(SendStreamAnswer.newBuilder().setRequestId(id).setResponse(r).build());
    if (!handling) {
      writeReady();
    }
  }

  private void writeReady() {
    if (!ready.isEmpty() && !closed) {
      try {
        out.onNext(SendStreamResponse.newBuilder().addAllAnswers(ready).build());
      } catch (RuntimeException e) {
        // the client went away; the appends stand, as for a cancelled unary Send
        closed = true;
        LOG.debug("SendStream answers not written: {}", e.toString());
      }
    }
    ready.clear();
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
    if (inputDone && pending == 0 && ready.isEmpty() && !handling && !closed) {
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
