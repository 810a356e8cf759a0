package io.edgemq.client.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.Message;
import io.edgemq.protocol.v1.TraceEvent;
import io.edgemq.protocol.v1.TraceKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TraceDispatcherTest {

  private static TraceEvent event(int i) {
    return TraceEvent.newBuilder()
        .setKind(TraceKind.TRACE_KIND_SEND)
        .setMessageId(String.format("%032x", i))
        .addKeys("device-" + i)
        .build();
  }

  @Test
  void shouldDropAndCountEventsInsteadOfBlockingWhenTheQueueIsFull() throws Exception {
    CompletableFuture<Void> stuck = new CompletableFuture<>(); // a broker that never answers
    List<List<Message>> batches = new CopyOnWriteArrayList<>();
    AtomicBoolean closedSender = new AtomicBoolean();
    TraceDispatcher d =
        new TraceDispatcher(
            4,
            2,
            b -> {
              batches.add(b);
              return stuck;
            },
            Duration.ofMillis(300),
            () -> closedSender.set(true));
    try {
      assertThat(d.offer(event(0))).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 1);
      long start = System.nanoTime();
      int accepted = 0;
      for (int i = 1; i <= 100; i++) {
        accepted += d.offer(event(i)) ? 1 : 0;
      }
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(tookMs).as("offers never wait for the sender").isLessThan(1_000);
      // the thread is stuck on the first batch: exactly the queue's capacity was taken
      assertThat(accepted).isEqualTo(4);
      assertThat(d.dropped()).isEqualTo(96);
    } finally {
      d.close();
    }
    // the stuck batch timed out and was counted as failed; close() did not hang and released the
    // sender
    assertThat(d.sent()).isZero();
    assertThat(d.failed()).isGreaterThanOrEqualTo(1);
    assertThat(closedSender).isTrue();
  }

  @Test
  void shouldSendQueuedEventsInBatchesAsTraceTopicMessages() throws Exception {
    List<List<Message>> batches = new CopyOnWriteArrayList<>();
    TraceDispatcher d =
        new TraceDispatcher(
            100,
            10,
            b -> {
              batches.add(b);
              return CompletableFuture.completedFuture(null);
            },
            Duration.ofSeconds(1),
            () -> {});
    for (int i = 0; i < 25; i++) {
      assertThat(d.offer(event(i))).isTrue();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> d.sent() == 25);
    d.close();
    assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeBetween(1, 10));
    Message first = batches.get(0).get(0);
    assertThat(first.topic()).isEqualTo(TraceMessages.TOPIC);
    assertThat(first.tag()).contains("SEND");
    assertThat(first.keys()).containsExactly(String.format("%032x", 0), "device-0");
    assertThat(TraceEvent.parseFrom(first.bodyBytes())).isEqualTo(event(0));
    assertThat(d.dropped()).isZero();
    assertThat(d.offer(event(99))).as("closed: dropped").isFalse();
  }
}
