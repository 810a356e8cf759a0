package io.edgemq.client.consumer;

import io.edgemq.client.api.ClientException;
import io.edgemq.client.rpc.Calls;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.AckBatchResponse;
import io.edgemq.protocol.v1.Code;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Acks to one broker: one AckBatch call at a time; acks that arrive while it is in flight wait and
 * go together in the next one. A lone ack goes out at once, so batching adds no delay; under load
 * many acks share one call.
 */
final class AckBatcher {
  private static final int MAX_BATCH = 1024;

  private record Pending(String handle, CompletableFuture<Void> done) {}

  private final Function<List<String>, CompletableFuture<AckBatchResponse>> send;
  private final Queue<Pending> waiting = new ArrayDeque<>();
  private boolean sending;

  /**
   * @param send sends one AckBatch with these handles
   */
  AckBatcher(Function<List<String>, CompletableFuture<AckBatchResponse>> send) {
    this.send = send;
  }

  /**
   * @param handle a receipt handle
   * @return completes when acked, or with a {@link ClientException} carrying the handle's code
   */
  CompletableFuture<Void> ack(String handle) {
    Pending p = new Pending(handle, new CompletableFuture<>());
    boolean start;
    synchronized (this) {
      waiting.add(p);
      start = !sending;
      sending = true;
    }
    if (start) {
      sendNext();
    }
    return p.done;
  }

  private void sendNext() {
    List<Pending> batch = new ArrayList<>();
    synchronized (this) {
      while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
        batch.add(waiting.poll());
      }
      if (batch.isEmpty()) {
        sending = false;
        return;
      }
    }
    CompletableFuture<AckBatchResponse> call;
    try {
      call = send.apply(batch.stream().map(Pending::handle).toList());
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (r, e) -> {
          complete(batch, r, e);
          sendNext();
        });
  }

  private static void complete(List<Pending> batch, AckBatchResponse r, Throwable e) {
    if (e == null && Codes.isOk(r.getStatus()) && r.getResultsCount() != batch.size()) {
      e =
          new ClientException(
              Code.INTERNAL_VALUE,
              "AckBatch answered " + r.getResultsCount() + " results for " + batch.size());
    }
    for (int i = 0; i < batch.size(); i++) {
      CompletableFuture<Void> done = batch.get(i).done();
      if (e != null) {
        done.completeExceptionally(Calls.unwrap(e));
      } else if (!Codes.isOk(r.getStatus())) {
        done.completeExceptionally(Calls.failure(r.getStatus(), "Ack"));
      } else if (!Codes.isOk(r.getResults(i))) {
        done.completeExceptionally(Calls.failure(r.getResults(i), "Ack"));
      } else {
        done.complete(null);
      }
    }
  }
}
