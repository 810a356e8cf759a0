package io.edgemq.client.it;

import static io.edgemq.client.it.Fixtures.createTopic;
import static io.edgemq.client.it.Fixtures.message;
import static io.edgemq.client.it.Fixtures.push;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ConsumeMode;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.client.api.SendResult;
import io.edgemq.client.producer.MessageIds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Producers and push consumers against a real nameserver and two real brokers. */
class ProduceConsumeIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private Cluster cluster;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cluster = new Cluster(dir, 2);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    cluster.close();
  }

  private <T extends AutoCloseable> T track(T c) {
    clients.add(c);
    return c;
  }

  private Producer producer() {
    return track(Producer.builder().clientConfig(cluster.clientConfig()).build());
  }

  @Test
  void clusteringGroupConsumesEveryMessageExactlyOnce() {
    createTopic(cluster, "orders", 4);
    Fixtures.Recorder rec = new Fixtures.Recorder();
    Map<String, Set<String>> byConsumer = new ConcurrentHashMap<>();
    PushConsumer c1 =
        track(
            push(cluster, "billing", "orders", "*")
                .listener(
                    m -> {
                      byConsumer
                          .computeIfAbsent("c1", k -> ConcurrentHashMap.newKeySet())
                          .add(m.messageId());
                      return rec.record(m);
                    })
                .build());
    PushConsumer c2 =
        track(
            push(cluster, "billing", "orders", "*")
                .listener(
                    m -> {
                      byConsumer
                          .computeIfAbsent("c2", k -> ConcurrentHashMap.newKeySet())
                          .add(m.messageId());
                      return rec.record(m);
                    })
                .build());
    await()
        .atMost(WAIT)
        .until(
            () ->
                c1.assignedQueues().size() == 4
                    && c2.assignedQueues().size() == 4
                    && disjoint(c1.assignedQueues(), c2.assignedQueues()));

    Producer p1 = producer();
    Producer p2 = producer();
    List<String> ids = new ArrayList<>();
    List<CompletableFuture<SendResult>> async = new ArrayList<>();
    Set<String> brokers = new HashSet<>();
    for (int i = 0; i < 80; i++) {
      SendResult r = p1.send(message("orders", "sync-" + i));
      ids.add(r.messageId());
      brokers.add(r.queue().brokerName());
      async.add(p2.sendAsync(message("orders", "async-" + i)));
    }
    for (int b = 0; b < 8; b++) {
      List<Message> batch = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        batch.add(message("orders", "batch-" + b + "-" + i));
      }
      List<SendResult> rs = p1.sendBatch(batch);
      assertThat(rs).hasSize(10);
      assertThat(rs.stream().map(SendResult::queue).distinct()).hasSize(1);
      assertThat(rs.get(9).queueOffset() - rs.get(0).queueOffset()).isEqualTo(9);
      rs.forEach(r -> ids.add(r.messageId()));
    }
    for (int i = 0; i < 20; i++) {
      String id = MessageIds.next();
      p2.sendOneway(message("orders", "oneway-" + i).toBuilder().messageId(id).build());
      ids.add(id);
    }
    async.forEach(f -> ids.add(f.join().messageId()));

    assertThat(brokers).containsExactlyInAnyOrder("broker-a", "broker-b");
    assertThat(ids).hasSize(260).doesNotHaveDuplicates();
    await().atMost(WAIT).until(() -> rec.hasAll(ids));
    assertThat(rec.counts).hasSize(260);
    assertThat(rec.counts.values()).allMatch(n -> n.get() == 1);
    assertThat(byConsumer.get("c1")).isNotEmpty().doesNotContainAnyElementsOf(byConsumer.get("c2"));
    assertThat(byConsumer.get("c2")).isNotEmpty();
    // the offsets get committed: no lag left
    try (Admin admin = cluster.admin()) {
      await().atMost(WAIT).until(() -> admin.consumerLag("billing", "orders").totalLag() == 0);
    }
  }

  private static boolean disjoint(Set<MessageQueue> a, Set<MessageQueue> b) {
    Set<MessageQueue> both = new HashSet<>(a);
    both.retainAll(b);
    return both.isEmpty();
  }

  @Test
  void broadcastingGroupGivesEveryMemberEveryMessage() {
    createTopic(cluster, "alerts", 2);
    Fixtures.Recorder r1 = new Fixtures.Recorder();
    Fixtures.Recorder r2 = new Fixtures.Recorder();
    PushConsumer c1 =
        track(
            push(cluster, "screens", "alerts", "*")
                .consumeMode(ConsumeMode.BROADCASTING)
                .listener(r1::record)
                .build());
    PushConsumer c2 =
        track(
            push(cluster, "screens", "alerts", "*")
                .consumeMode(ConsumeMode.BROADCASTING)
                .listener(r2::record)
                .build());
    await()
        .atMost(WAIT)
        .until(() -> c1.assignedQueues().size() == 4 && c2.assignedQueues().size() == 4);
    Producer p = producer();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(p.send(message("alerts", "a" + i)).messageId());
    }
    await().atMost(WAIT).until(() -> r1.hasAll(ids) && r2.hasAll(ids));
    assertThat(r1.counts.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(r2.counts.keySet()).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void tagFilterDeliversOnlyMatchingTags() {
    createTopic(cluster, "telemetry", 4);
    Fixtures.Recorder rec = new Fixtures.Recorder();
    track(push(cluster, "temps", "telemetry", "temp || humidity").listener(rec::record).build());
    Producer p = producer();
    List<String> wanted = new ArrayList<>();
    String[] tags = {"temp", "humidity", "pressure"};
    for (int i = 0; i < 48; i++) {
      String tag = tags[i % 3];
      SendResult r = p.send(message("telemetry", "v" + i).toBuilder().tag(tag).build());
      if (!tag.equals("pressure")) {
        wanted.add(r.messageId());
      }
    }
    await().atMost(WAIT).until(() -> rec.hasAll(wanted));
    assertThat(rec.counts.keySet()).containsExactlyInAnyOrderElementsOf(wanted);
    assertThat(rec.views.values()).allMatch(v -> !v.tag().orElseThrow().equals("pressure"));
    // skipped messages are committed past too
    try (Admin admin = cluster.admin()) {
      await().atMost(WAIT).until(() -> admin.consumerLag("temps", "telemetry").totalLag() == 0);
    }
  }

  @Test
  void orderlyConsumerKeepsFifoOrderPerMessageGroupEvenAfterFailures() {
    createTopic(cluster, "commands", 4);
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    Set<String> failedOnce = ConcurrentHashMap.newKeySet();
    AtomicInteger failures = new AtomicInteger();
    track(
        push(cluster, "actuators", "commands", "*")
            .orderly(true)
            .consumeThreads(4)
            .listener(
                m -> {
                  String body = new String(m.bodyBytes(), UTF_8);
                  int seq = Integer.parseInt(body.substring(body.indexOf(':') + 1));
                  // every 7th message fails on its first delivery: it must be retried in place
                  if (seq % 7 == 3 && failedOnce.add(body)) {
                    failures.incrementAndGet();
                    return ConsumeResult.FAILURE;
                  }
                  seen.computeIfAbsent(
                          m.messageGroup().orElseThrow(), g -> new CopyOnWriteArrayList<>())
                      .add(seq);
                  return ConsumeResult.SUCCESS;
                })
            .build());
    Producer p = producer();
    int groups = 4;
    int perGroup = 15;
    for (int i = 0; i < perGroup; i++) {
      for (int g = 0; g < groups; g++) {
        p.send(
            message("commands", "dev-" + g + ":" + i).toBuilder().messageGroup("dev-" + g).build());
      }
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                seen.size() == groups
                    && seen.values().stream().allMatch(l -> l.size() >= perGroup));
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < perGroup; i++) {
      expected.add(i);
    }
    assertThat(failures.get()).isGreaterThan(0);
    seen.forEach((g, l) -> assertThat(l).as(g).containsExactlyElementsOf(expected));
  }
}
