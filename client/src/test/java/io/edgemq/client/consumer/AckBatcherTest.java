package io.edgemq.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.client.api.ClientException;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.AckBatchResponse;
import io.edgemq.protocol.v1.Code;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Ack batching: one call in flight, the acks queued meanwhile share the next call. */
class AckBatcherTest {

  /** The calls the batcher made, answered by the test. */
  private final List<List<String>> sent = new ArrayList<>();

  private final List<CompletableFuture<AckBatchResponse>> calls = new ArrayList<>();

  private final AckBatcher batcher =
      new AckBatcher(
          handles -> {
            sent.add(handles);
            CompletableFuture<AckBatchResponse> f = new CompletableFuture<>();
            calls.add(f);
            return f;
          });

  @Test
  void shouldSendALoneAckAtOnceAndBatchTheOnesThatComeWhileItIsInFlight() {
    CompletableFuture<Void> a = batcher.ack("a");
    assertThat(sent).containsExactly(List.of("a"));
    CompletableFuture<Void> b = batcher.ack("b");
    CompletableFuture<Void> c = batcher.ack("c");
    assertThat(sent).as("b and c wait for the call in flight").hasSize(1);

    calls.get(0).complete(answer(Code.OK));
    assertThat(a).isCompleted();
    assertThat(sent).containsExactly(List.of("a"), List.of("b", "c"));

    calls.get(1).complete(answer(Code.OK, Code.RECEIPT_HANDLE_EXPIRED));
    assertThat(b).isCompleted();
    assertThat(c).isCompletedExceptionally();
    assertThat(code(c)).isEqualTo(Code.RECEIPT_HANDLE_EXPIRED);

    batcher.ack("d");
    assertThat(sent).as("idle again: the next ack goes at once").hasSize(3);
  }

  @Test
  void shouldFailEveryAckOfACallThatGotNoAnswerAndGoOnWithTheNext() {
    CompletableFuture<Void> a = batcher.ack("a");
    CompletableFuture<Void> b = batcher.ack("b");
    calls.get(0).completeExceptionally(new ClientException(Code.SERVICE_UNAVAILABLE_VALUE, "down"));
    assertThat(code(a)).isEqualTo(Code.SERVICE_UNAVAILABLE);
    calls
        .get(1)
        .complete(
            AckBatchResponse.newBuilder()
                .setStatus(Codes.status(Code.NOT_LEADER, "replica"))
                .build());
    assertThat(code(b)).isEqualTo(Code.NOT_LEADER);
  }

  private static AckBatchResponse answer(Code... results) {
    AckBatchResponse.Builder b = AckBatchResponse.newBuilder().setStatus(Codes.ok());
    for (Code c : results) {
      b.addResults(c == Code.OK ? Codes.ok() : Codes.status(c, c.name()));
    }
    return b.build();
  }

  private static Code code(CompletableFuture<Void> f) {
    try {
      f.join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return ((ClientException) e.getCause()).code();
    }
  }
}
