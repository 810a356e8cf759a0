package io.edgemq.client.rpc;

import io.edgemq.client.api.ClientException;
import io.edgemq.protocol.v1.BrokerGrpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.edgemq.protocol.v1.SendStreamAnswer;
import io.edgemq.protocol.v1.SendStreamItem;
import io.edgemq.protocol.v1.SendStreamRequest;
import io.edgemq.protocol.v1.SendStreamResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Sends are coalesced without a thread of their own: the caller that finds nobody writing writes
 * its send, then everything that queued up meanwhile, as stream messages of up to {@link
 * #MAX_PER_MESSAGE} sends; a caller that finds a write in progress only queues its send. Under load
 * one stream message carries many sends, and an idle stream writes each send at once.
 *
 * <p>If the stream fails (broker gone, connection reset), every unanswered send fails with a
 * retryable transport error, exactly as its unary call would have, and the next send opens a new
 * stream. Each send also has its own timeout.
 */
public final class SendStream implements AutoCloseable {
  /** Sends in flight on one stream before new ones are refused with TOO_MANY_REQUESTS. */
  public static final int MAX_IN_FLIGHT = 65_536;

  /** Most sends in one stream message. */
  static final int MAX_PER_MESSAGE = 256;

  /** Stream messages stay below this many bytes, unless one send alone is larger. */
  static final int MAX_MESSAGE_BYTES = 1 << 20;

  private static final int WINDOW = 512;

  private final BrokerGrpc.BrokerStub stub;
  private final Duration timeout;
  private final Map<Long, CompletableFuture<SendResponse>> pending = new ConcurrentHashMap<>();
  private long nextId;
  private Stream stream;
  private boolean closed;
  // sends waiting to be written, and whether a caller is writing them (both guarded by this)
  private final ArrayDeque<Queued> queued = new ArrayDeque<>();
  private boolean writing;
  private Stream halfCloseAfterWrite;

  private record Queued(Stream stream, SendStreamItem item) {}

  // sends not answered yet, oldest first, with their deadlines (guarded by this)
  private final ArrayDeque<Deadline> deadlines = new ArrayDeque<>();
  private boolean sweeping;

  private record Deadline(long id, CompletableFuture<SendResponse> future, long atNanos) {}

  /** How often at most unanswered sends are checked against their timeout. */
  private static final long SWEEP_MS = 100;

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
    boolean write;
    synchronized (this) {
      if (closed) {
        f.completeExceptionally(
            new ClientException(Code.SERVICE_UNAVAILABLE_VALUE, "client closed", true, null));
        return f;
      }
      // open first: the stream's id range starts at the next id
      Stream s = stream == null ? (stream = open()) : stream;
      id = nextId++;
      pending.put(id, f);
      deadlines.add(new Deadline(id, f, System.nanoTime() + timeout.toNanos()));
      if (!sweeping) {
        sweeping = true;
        scheduleSweep(Math.max(SWEEP_MS, timeout.toMillis()));
      }
      queued.add(new Queued(s, SendStreamItem.newBuilder().setRequestId(id).setSend(req).build()));
      write = !writing;
      writing = true;
    }
    if (write) {
      writeQueued();
    }
    return f;
  }

  /**
   * Fails the sends whose timeout passed, then runs again while any wait. One task per stream every
   * {@link #SWEEP_MS} at most, instead of a timer task per send: scheduling and cancelling one per
   * send took a quarter of a busy gateway's CPU in the timer's queue.
   */
  private void sweep() {
    List<Deadline> expired = new ArrayList<>();
    long nextMs;
    synchronized (this) {
      long now = System.nanoTime();
      // deadlines are in send order and all sends have the same timeout: the head is the earliest
      while (!deadlines.isEmpty()) {
        Deadline d = deadlines.peek();
        if (!d.future().isDone() && d.atNanos() - now > 0) {
          break;
        }
        deadlines.poll();
        if (!d.future().isDone()) {
          expired.add(d);
        }
      }
      if (deadlines.isEmpty()) {
        sweeping = false;
        nextMs = -1;
      } else {
        nextMs = Math.max(SWEEP_MS, (deadlines.peek().atNanos() - now) / 1_000_000 + 1);
      }
    }
    for (Deadline d : expired) {
      if (pending.remove(d.id(), d.future())) {
        // retryable, like a unary call's DEADLINE_EXCEEDED
        d.future()
            .completeExceptionally(
                new ClientException(
                    Code.SERVICE_UNAVAILABLE_VALUE,
                    "no answer from the broker within " + timeout.toMillis() + " ms",
                    true,
                    null));
      }
    }
    if (nextMs >= 0) {
      scheduleSweep(nextMs);
    }
  }

  private void scheduleSweep(long delayMs) {
    CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS).execute(this::sweep);
  }

  /**
   * Writes what is queued, in stream messages of consecutive sends of one stream, until nothing is
   * left. Only one caller at a time gets here ({@code writing}), which is what gRPC's request
   * observer needs: it is not thread-safe.
   */
  private void writeQueued() {
    while (true) {
      Stream s;
      SendStreamRequest.Builder b = SendStreamRequest.newBuilder();
      synchronized (this) {
        Queued first = queued.peek();
        if (first == null) {
          writing = false;
          if (halfCloseAfterWrite != null) {
            halfClose(halfCloseAfterWrite);
            halfCloseAfterWrite = null;
          }
          return;
        }
        s = first.stream();
        int bytes = 0;
        while (!queued.isEmpty()
            && queued.peek().stream() == s
            && b.getSendsCount() < MAX_PER_MESSAGE
            && (b.getSendsCount() == 0
                || bytes + queued.peek().item().getSerializedSize() <= MAX_MESSAGE_BYTES)) {
          SendStreamItem item = queued.poll().item();
          bytes += item.getSerializedSize();
          b.addSends(item);
        }
      }
      SendStreamRequest msg = b.build();
      try {
        s.requests.onNext(msg);
      } catch (RuntimeException e) {
        ClientException failure = Calls.fromGrpc(e);
        for (SendStreamItem item : msg.getSendsList()) {
          CompletableFuture<SendResponse> f = pending.remove(item.getRequestId());
          if (f != null) {
            f.completeExceptionally(failure);
          }
        }
      }
    }
  }

  private static void halfClose(Stream s) {
    try {
      s.requests.onCompleted();
    } catch (RuntimeException e) {
      // already broken; its pending sends fail through ended()
    }
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
    synchronized (this) {
      closed = true;
      Stream s = stream;
      stream = null;
      if (s == null) {
        return;
      }
      if (writing) {
        halfCloseAfterWrite = s; // the writer half-closes once its queued sends are written
      } else {
        halfClose(s);
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
      for (SendStreamAnswer a : r.getAnswersList()) {
        CompletableFuture<SendResponse> f = pending.remove(a.getRequestId());
        if (f != null) {
          f.complete(a.getResponse());
        }
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
