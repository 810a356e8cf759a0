package io.edgemq.client.rpc;

import io.edgemq.client.api.ClientException;
import io.edgemq.protocol.v1.BrokerGrpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.edgemq.protocol.v1.SendStreamRequest;
import io.edgemq.protocol.v1.SendStreamResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends to one broker over one long-lived {@code SendStream} instead of one gRPC call per message:
 * a unary call pays for a new HTTP/2 stream, headers and several thread hand-offs on both sides,
 * which on a small machine costs more CPU than storing the message. Requests carry ids; answers
 * complete the matching future in whatever order they come.
 *
 * <p>If the stream fails (broker gone, connection reset), every unanswered send fails with a
 * retryable transport error, exactly as its unary call would have, and the next send opens a new
 * stream. Each send also has its own timeout.
 */
public final class SendStream implements AutoCloseable {
  /** Sends in flight on one stream before new ones are refused with TOO_MANY_REQUESTS. */
  public static final int MAX_IN_FLIGHT = 65_536;

  private static final int WINDOW = 512;

  private final BrokerGrpc.BrokerStub stub;
  private final Duration timeout;
  private final Map<Long, CompletableFuture<SendResponse>> pending = new ConcurrentHashMap<>();
  private long nextId;
  private Stream stream;
  private boolean closed;

  /**
   * @param stub the broker's stub, without a deadline (the stream lives long)
   * @param timeout how long one send may wait for its answer
   */
  public SendStream(BrokerGrpc.BrokerStub stub, Duration timeout) {
    this.stub = stub;
    this.timeout = timeout;
  }

  /**
   * @param req the send
   * @return completes with the broker's answer, or exceptionally with a {@link ClientException}
   */
  public CompletableFuture<SendResponse> send(SendRequest req) {
    CompletableFuture<SendResponse> f = new CompletableFuture<>();
    if (pending.size() >= MAX_IN_FLIGHT) {
      f.completeExceptionally(
          new ClientException(
              Code.TOO_MANY_REQUESTS_VALUE,
              MAX_IN_FLIGHT + " sends in flight to this broker; slow down",
              true,
              null));
      return f;
    }
    long id;
    Stream s;
    synchronized (this) {
      if (closed) {
        f.completeExceptionally(
            new ClientException(Code.SERVICE_UNAVAILABLE_VALUE, "client closed", true, null));
        return f;
      }
      // open first: the stream's id range starts at the next id
      s = stream == null ? (stream = open()) : stream;
      id = nextId++;
      pending.put(id, f);
      try {
        s.requests.onNext(SendStreamRequest.newBuilder().setRequestId(id).setSend(req).build());
      } catch (RuntimeException e) {
        pending.remove(id);
        f.completeExceptionally(Calls.fromGrpc(e));
        return f;
      }
    }
    long millis = timeout.toMillis();
    f.completeOnTimeout(null, millis, TimeUnit.MILLISECONDS);
    // completeOnTimeout cannot fail; a null answer is the timeout, retryable like DEADLINE_EXCEEDED
    return f.thenCompose(
        r -> {
          pending.remove(id, f);
          return r != null
              ? CompletableFuture.completedFuture(r)
              : CompletableFuture.failedFuture(
                  new ClientException(
                      Code.SERVICE_UNAVAILABLE_VALUE,
                      "no answer from the broker within " + millis + " ms",
                      true,
                      null));
        });
  }

  private Stream open() {
    Stream s = new Stream();
    stub.sendStream(s);
    return s;
  }

  /** Fails what is unanswered on a stream that ended, and forgets the stream. */
  private void ended(Stream s, Throwable error) {
    synchronized (this) {
      if (stream == s) {
        stream = null;
      }
      // ids from here on belong to a later stream
      s.endId = Math.min(s.endId, nextId);
    }
    ClientException e =
        error != null
            ? Calls.fromGrpc(error)
            : new ClientException(
                Code.SERVICE_UNAVAILABLE_VALUE, "send stream ended early", true, null);
    // Only this stream's requests are still unanswered: ids of a new stream come after.
    for (Map.Entry<Long, CompletableFuture<SendResponse>> p : pending.entrySet()) {
      if (p.getKey() < s.firstId || p.getKey() >= s.endId) {
        continue;
      }
      if (pending.remove(p.getKey(), p.getValue())) {
        p.getValue().completeExceptionally(e);
      }
    }
  }

  /** Half-closes the stream; answers still on their way are delivered. */
  @Override
  public void close() {
    Stream s;
    synchronized (this) {
      closed = true;
      s = stream;
      stream = null;
    }
    if (s != null) {
      try {
        s.requests.onCompleted();
      } catch (RuntimeException e) {
        // already broken; its pending sends fail through ended()
      }
    }
  }

  private final class Stream
      implements ClientResponseObserver<SendStreamRequest, SendStreamResponse> {
    final long firstId;
    int taken;
    long endId = Long.MAX_VALUE;
    ClientCallStreamObserver<SendStreamRequest> requests;

    Stream() {
      synchronized (SendStream.this) {
        firstId = nextId;
      }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SendStreamRequest> requestStream) {
      this.requests = requestStream;
      // one answer at a time would cost two thread hand-offs per answer
      requestStream.disableAutoRequestWithInitial(WINDOW);
    }

    @Override
    public void onNext(SendStreamResponse r) {
      // onNext calls are serialized by gRPC
      if (++taken == WINDOW / 2) {
        taken = 0;
        requests.request(WINDOW / 2);
      }
      CompletableFuture<SendResponse> f = pending.remove(r.getRequestId());
      if (f != null) {
        f.complete(r.getResponse());
      }
    }

    @Override
    public void onError(Throwable t) {
      ended(this, t);
    }

    @Override
    public void onCompleted() {
      ended(this, null);
    }
  }
}
