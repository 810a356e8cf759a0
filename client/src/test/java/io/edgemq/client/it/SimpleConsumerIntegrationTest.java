package io.edgemq.client.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.SimpleConsumer;
import io.edgemq.protocol.v1.Code;
import io.edgemq.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SimpleConsumer (pop consumption) against real brokers whose clock the test moves. */
class SimpleConsumerIntegrationTest {
  private static final Duration INVISIBLE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(System.currentTimeMillis());
  private Cluster cluster;
  private Producer producer;

  @BeforeEach
  void start() throws Exception {
    cluster = new Cluster(dir, 2, DeliveryConfig.builder().maxRetries(1).build(), clock);
    Fixtures.createTopic(cluster, "orders", 2);
    producer = Producer.builder().clientConfig(cluster.clientConfig()).build();
  }

  @AfterEach
  void stop() throws Exception {
    producer.close();
    cluster.close();
  }

  private SimpleConsumer consumer(String group) {
    return SimpleConsumer.builder()
        .clientConfig(cluster.clientConfig())
        .consumerGroup(group)
        .subscribe("orders", "*")
        .awaitDuration(Duration.ofMillis(200))
        .build();
  }

  private Set<String> send(int n) {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < n; i++) {
      ids.add(producer.send(Fixtures.message("orders", "m" + i)).messageId());
    }
    return ids;
  }

  /** Receives until {@code n} messages came or a few empty rounds over all brokers passed. */
  private static List<MessageView> receiveAll(SimpleConsumer c, int n) {
    List<MessageView> got = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              got.addAll(c.receive(32, INVISIBLE));
              return got.size() >= n;
            });
    return got;
  }

  @Test
  void shouldReceiveFromEveryBrokerAndNeverAgainAfterAck() {
    Set<String> sent = send(40);
    try (SimpleConsumer c = consumer("g1")) {
      List<MessageView> got = receiveAll(c, 40);
      assertThat(got).extracting(MessageView::messageId).doesNotHaveDuplicates();
      assertThat(got).extracting(MessageView::messageId).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(got).extracting(m -> m.queue().brokerName()).contains("broker-a", "broker-b");
      assertThat(got).allSatisfy(m -> assertThat(m.deliveryAttempt()).isEqualTo(1));
      // all at once: acks queued behind one in flight share the next AckBatch call
      CompletableFuture.allOf(got.stream().map(c::ackAsync).toArray(CompletableFuture[]::new))
          .join();

      clock.advance(INVISIBLE.plusSeconds(1));
      for (int i = 0; i < 4; i++) {
        assertThat(c.receive(32, INVISIBLE)).as("acked messages never return").isEmpty();
      }
    }
  }

  @Test
  void shouldRedeliverWhatExpiredAndHonourAChangedInvisibleTime() {
    send(2);
    try (SimpleConsumer c = consumer("g1")) {
      List<MessageView> got = receiveAll(c, 2);
      MessageView keep = c.changeInvisibleDuration(got.get(0), Duration.ofMinutes(5));
      assertThat(keep.receiptHandle()).isNotEqualTo(got.get(0).receiptHandle());
      assertThat(keep.invisibleUntilMs()).isEqualTo(clock.millis() + 300_000);

      clock.advance(INVISIBLE);
      List<MessageView> back = receiveAll(c, 1);
      assertThat(back).extracting(MessageView::messageId).containsExactly(got.get(1).messageId());
      assertThat(back.get(0).deliveryAttempt()).isEqualTo(2);
      assertThat(back.get(0).reconsumeTimes()).isEqualTo(1);
      assertThat(new String(back.get(0).bodyBytes(), UTF_8))
          .isEqualTo(new String(got.get(1).bodyBytes(), UTF_8));

      assertThatThrownBy(() -> c.ack(got.get(1)))
          .as("the expired delivery's handle")
          .isInstanceOfSatisfying(
              ClientException.class,
              e -> assertThat(e.code()).isEqualTo(Code.RECEIPT_HANDLE_NOT_FOUND));
      assertThatThrownBy(() -> c.ack(got.get(0)))
          .as("the handle replaced by the change")
          .isInstanceOfSatisfying(
              ClientException.class,
              e -> assertThat(e.code()).isEqualTo(Code.RECEIPT_HANDLE_NOT_FOUND));
      c.ack(keep);
      c.ack(back.get(0));
    }
  }

  @Test
  void shouldRefuseAnAckAfterTheInvisibleTimeAndBadInput() {
    send(1);
    try (SimpleConsumer c = consumer("g1")) {
      MessageView m = receiveAll(c, 1).get(0);
      clock.advance(INVISIBLE);
      assertThatThrownBy(() -> c.ack(m))
          .isInstanceOfSatisfying(
              ClientException.class,
              e -> assertThat(e.code()).isEqualTo(Code.RECEIPT_HANDLE_EXPIRED));
      assertThatThrownBy(() -> c.receive(0, INVISIBLE))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> c.receive(1, Duration.ofMillis(10)))
          .isInstanceOf(IllegalArgumentException.class);
      try (Admin admin = cluster.admin()) {
        assertThatThrownBy(() -> c.ack(admin.queryMessageById(m.messageId()).orElseThrow()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no receipt handle");
      }
    }
  }

  @Test
  void shouldHandEachMessageToExactlyOneOfManyConcurrentConsumersAndLoseNone() throws Exception {
    Set<String> sent = send(400);
    Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    List<SimpleConsumer> consumers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        SimpleConsumer c = consumer("shared");
        consumers.add(c);
        running.add(
            pool.submit(
                () -> {
                  long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                  while (deliveries.size() < sent.size() && System.nanoTime() < end) {
                    for (MessageView m : c.receive(16, INVISIBLE)) {
                      deliveries
                          .computeIfAbsent(m.messageId(), k -> new AtomicInteger())
                          .incrementAndGet();
                      c.ack(m);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      consumers.forEach(SimpleConsumer::close);
    }
    assertThat(deliveries.keySet()).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(deliveries.values())
        .as("each message went to exactly one consumer while invisible")
        .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    clock.advance(INVISIBLE.plusSeconds(1));
    try (SimpleConsumer c = consumer("shared")) {
      for (int i = 0; i < 4; i++) {
        assertThat(c.receive(32, INVISIBLE)).as("all were acked").isEmpty();
      }
    }
  }

  @Test
  void shouldMoveAMessageToTheDeadLetterTopicAfterTheGroupsRetries() {
    String id = producer.send(Fixtures.message("orders", "doomed")).messageId();
    try (SimpleConsumer c = consumer("g1");
        Admin admin = cluster.admin()) {
      assertThat(receiveAll(c, 1).get(0).deliveryAttempt()).isEqualTo(1);
      clock.advance(INVISIBLE);
      assertThat(receiveAll(c, 1).get(0).deliveryAttempt()).isEqualTo(2);
      clock.advance(INVISIBLE);
      await().atMost(Duration.ofSeconds(10)).until(() -> admin.deadLetter("g1", id).isPresent());
      MessageView dead = admin.deadLetter("g1", id).orElseThrow();
      assertThat(dead.topic()).isEqualTo("orders");
      assertThat(dead.reconsumeTimes()).isEqualTo(1);
      for (int i = 0; i < 4; i++) {
        assertThat(c.receive(32, INVISIBLE)).isEmpty();
      }
    }
  }

  @Test
  void shouldKeepInvisibleAndAckedMessagesAcrossABrokerRestart() throws Exception {
    cluster.brokers.get(1).close();
    cluster.brokers.remove(1);
    Set<String> sent = send(6);
    try (SimpleConsumer c = consumer("g1")) {
      List<MessageView> got = receiveAll(c, 6);
      assertThat(got).extracting(MessageView::messageId).containsExactlyInAnyOrderElementsOf(sent);
      for (int i = 0; i < 3; i++) {
        c.ack(got.get(i));
      }
      cluster.brokers.get(0).close();
      cluster.brokers.set(0, cluster.startBroker("broker-a"));

      // the route learns the new port; until then receives fail with a transport error
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> c.receive(32, INVISIBLE).isEmpty());
      clock.advance(INVISIBLE);
      List<MessageView> back = receiveAll(c, 3);
      assertThat(back)
          .extracting(MessageView::messageId)
          .containsExactlyInAnyOrder(
              got.get(3).messageId(), got.get(4).messageId(), got.get(5).messageId());
      assertThat(back).allSatisfy(m -> assertThat(m.deliveryAttempt()).isEqualTo(2));
      back.forEach(c::ack);
    }
  }
}
