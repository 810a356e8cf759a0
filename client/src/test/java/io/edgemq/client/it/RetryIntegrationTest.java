package io.edgemq.client.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.DeliveryFailure;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.PushConsumer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries through %RETRY%{group}, dead letters, FIFO retry in place, against real brokers. */
class RetryIntegrationTest {
  private static final List<Duration> LEVELS =
      List.of(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(600));

  @TempDir Path dir;
  private Cluster cluster;
  private Producer producer;

  @BeforeEach
  void start() throws Exception {
    cluster =
        new Cluster(
            dir,
            1,
            DeliveryConfig.builder()
                .maxRetries(3)
                .retryBackoff(LEVELS)
                .fifoRetryBackoff(Duration.ofMillis(200))
                .build());
    Fixtures.createTopic(cluster, "orders", 2);
    producer = Producer.builder().clientConfig(cluster.clientConfig()).build();
  }

  @AfterEach
  void stop() throws Exception {
    producer.close();
    cluster.close();
  }

  /** One delivery as the listener saw it. */
  private record Seen(String body, int reconsumeTimes, long atNanos) {}

  @Test
  void shouldRetryOnTheBackoffLadderOnlyForTheFailingGroupThenDeadLetterAndResend()
      throws Exception {
    List<Seen> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean healthy = new AtomicBoolean();
    Fixtures.Recorder other = new Fixtures.Recorder();
    try (PushConsumer failing =
            Fixtures.push(cluster, "g1", "orders", "*")
                .consumeTimeout(Duration.ofMillis(300))
                .listener(m -> failOnEveryAttempt(m, seen, healthy))
                .build();
        PushConsumer fine =
            Fixtures.push(cluster, "g2", "orders", "*").listener(other::record).build()) {
      String bad = producer.send(Fixtures.message("orders", "bad")).messageId();
      String ok = producer.send(Fixtures.message("orders", "ok")).messageId();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> seen.stream().filter(s -> s.body().equals("bad")).count() == 4);
      List<Seen> badSeen = seen.stream().filter(s -> s.body().equals("bad")).toList();
      assertThat(badSeen).extracting(Seen::reconsumeTimes).containsExactly(0, 1, 2, 3);
      for (int i = 1; i < 4; i++) {
        long gapMs = (badSeen.get(i).atNanos() - badSeen.get(i - 1).atNanos()) / 1_000_000;
        assertThat(gapMs)
            .as("gap before retry %d", i)
            .isGreaterThanOrEqualTo(LEVELS.get(i - 1).toMillis() - 20);
      }
      assertThat(seen.stream().filter(s -> s.body().equals("ok")).count()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> other.counts.keySet().size() == 2);

      try (Admin admin = cluster.admin()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.deadLetter("g1", bad).isPresent());
        MessageView dead = admin.deadLetter("g1", bad).orElseThrow();
        assertThat(dead.topic()).isEqualTo("orders");
        assertThat(dead.queue().topic()).isEqualTo("%DLQ%g1");
        assertThat(dead.reconsumeTimes()).isEqualTo(3);
        assertThat(new String(dead.bodyBytes(), UTF_8)).isEqualTo("bad");
        assertThat(dead.failureHistory())
            .extracting(DeliveryFailure::reconsumeTimes)
            .containsExactly(0, 1, 2, 3);
        assertThat(dead.failureHistory())
            .extracting(DeliveryFailure::reason)
            .containsExactly(
                "java.lang.IllegalStateException: attempt 0", "FAILURE", "TIMEOUT", "FAILURE");
        assertThat(admin.deadLetters("g1", 10))
            .extracting(MessageView::messageId)
            .containsExactly(bad);
        assertThat(admin.deadLetters("g2", 10)).isEmpty();

        healthy.set(true);
        assertThat(admin.resendDeadLetter("g1", bad).topic()).isEqualTo("orders");
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> seen.stream().filter(s -> s.body().equals("bad")).count() == 5);
      assertThat(seen.get(seen.size() - 1).reconsumeTimes()).isZero();
      // the failing group's trouble never reached the other group: one delivery each, plus the
      // resent copy, which is a new message in the topic
      await().atMost(Duration.ofSeconds(10)).until(() -> other.counts.get(bad).get() == 2);
      assertThat(other.counts.get(ok).get()).isEqualTo(1);
    }
  }

  private static ConsumeResult failOnEveryAttempt(
      MessageView m, List<Seen> seen, AtomicBoolean healthy) {
    String body = new String(m.bodyBytes(), UTF_8);
    seen.add(new Seen(body, m.reconsumeTimes(), System.nanoTime()));
    if (body.equals("ok") || healthy.get()) {
      return ConsumeResult.SUCCESS;
    }
    switch (m.reconsumeTimes()) {
      case 0 -> throw new IllegalStateException("attempt 0");
      case 2 -> {
        try {
          Thread.sleep(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return ConsumeResult.SUCCESS; // too late: the delivery already counted as failed
      }
      default -> {
        return ConsumeResult.FAILURE;
      }
    }
  }

  @Test
  void shouldRetryAFifoMessageInPlaceSoTheOrderHoldsAndDeadLetterItWhenItNeverSucceeds()
      throws Exception {
    Map<String, Integer> failuresLeft = new ConcurrentHashMap<>(Map.of("m1", 2, "m3", 99));
    List<String> order = new CopyOnWriteArrayList<>();
    try (PushConsumer fifo =
        Fixtures.push(cluster, "fifo", "orders", "*")
            .orderly(true)
            .listener(
                m -> {
                  String body = new String(m.bodyBytes(), UTF_8);
                  order.add(body + "#" + m.reconsumeTimes());
                  int left = failuresLeft.getOrDefault(body, 0);
                  if (left > 0) {
                    failuresLeft.put(body, left - 1);
                    return ConsumeResult.FAILURE;
                  }
                  return ConsumeResult.SUCCESS;
                })
            .build()) {
      for (int i = 0; i < 5; i++) {
        producer.send(
            Message.builder()
                .topic("orders")
                .messageGroup("device-7")
                .body(("m" + i).getBytes(UTF_8))
                .build());
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> order.contains("m4#0"));
      assertThat(order)
          .containsExactly(
              "m0#0", "m1#0", "m1#1", "m1#2", "m2#0", "m3#0", "m3#1", "m3#2", "m3#3", "m4#0");
      try (Admin admin = cluster.admin()) {
        assertThat(admin.deadLetters("fifo", 10))
            .extracting(v -> new String(v.bodyBytes(), UTF_8))
            .containsExactly("m3");
      }
    }
  }

  @Test
  void shouldDeliverDelayAndTimerMessagesFromTheClientWhenDue() throws Exception {
    Fixtures.Recorder rec = new Fixtures.Recorder();
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    try (PushConsumer c =
        Fixtures.push(cluster, "late", "orders", "*")
            .listener(
                m -> {
                  arrived.put(new String(m.bodyBytes(), UTF_8), System.currentTimeMillis());
                  return rec.record(m);
                })
            .build()) {
      producer.send(Fixtures.message("orders", "plain")); // route known: the sends below are quick
      long sent = System.currentTimeMillis();
      producer.send(
          Message.builder().topic("orders").delayLevel(1).body("lvl".getBytes(UTF_8)).build());
      long at = System.currentTimeMillis() + 3_000;
      producer.send(
          Message.builder()
              .topic("orders")
              .deliverAt(java.time.Instant.ofEpochMilli(at))
              .body("at".getBytes(UTF_8))
              .build());
      await().atMost(Duration.ofSeconds(15)).until(() -> arrived.size() == 3);
      assertThat(arrived.get("lvl") - sent).isGreaterThanOrEqualTo(1_000);
      assertThat(arrived.get("at")).isGreaterThanOrEqualTo(at);
      assertThat(
              rec.views.values().stream()
                  .filter(v -> new String(v.bodyBytes(), UTF_8).equals("at"))
                  .findFirst()
                  .orElseThrow()
                  .scheduledTimestampMs())
          .isEqualTo(at);
    }
  }
}
