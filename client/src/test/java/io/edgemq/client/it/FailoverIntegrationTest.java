package io.edgemq.client.it;

import static io.edgemq.client.it.Fixtures.createTopic;
import static io.edgemq.client.it.Fixtures.message;
import static io.edgemq.client.it.Fixtures.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.client.api.SendResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rebalance on join and leave, producer failover, offsets across a broker restart. */
class FailoverIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private Cluster cluster;
  private final List<AutoCloseable> clients = new ArrayList<>();

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

  @Test
  void joiningAndLeavingConsumersTriggerReassignment() throws Exception {
    cluster = new Cluster(dir, 2);
    createTopic(cluster, "jobs", 4);
    Fixtures.Recorder rec = new Fixtures.Recorder();
    PushConsumer c1 = track(push(cluster, "workers", "jobs", "*").listener(rec::record).build());
    await().atMost(WAIT).until(() -> c1.assignedQueues().size() == 8);

    PushConsumer c2 = push(cluster, "workers", "jobs", "*").listener(rec::record).build();
    await()
        .atMost(WAIT)
        .until(() -> c1.assignedQueues().size() == 4 && c2.assignedQueues().size() == 4);
    Producer p = track(Producer.builder().clientConfig(cluster.clientConfig()).build());
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ids.add(p.send(message("jobs", "j" + i)).messageId());
    }
    await().atMost(WAIT).until(() -> rec.hasAll(ids));

    c2.close(); // unregisters: c1 gets its queues at the next heartbeat
    await().atMost(WAIT).until(() -> c1.assignedQueues().size() == 8);
    for (int i = 0; i < 40; i++) {
      ids.add(p.send(message("jobs", "k" + i)).messageId());
    }
    await().atMost(WAIT).until(() -> rec.hasAll(ids));
    // at least once: every message arrived; committed before the hand-off, so none twice here
    assertThat(rec.counts).hasSize(80);
  }

  @Test
  void producerFailsOverWhenABrokerStops() throws Exception {
    cluster = new Cluster(dir, 2);
    createTopic(cluster, "metrics", 4);
    Producer p =
        track(Producer.builder().clientConfig(cluster.clientConfig()).maxRetries(2).build());
    List<SendResult> results = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread sender =
        new Thread(
            () -> {
              int i = 0;
              while (running.get()) {
                try {
                  results.add(p.send(message("metrics", "m" + i++)));
                } catch (ClientException e) {
                  failures.add(e);
                }
              }
            },
            "test-sender");
    sender.start();
    await().atMost(WAIT).until(() -> results.size() >= 50);
    cluster.brokers.get(0).close(); // broker-a goes away while the sender keeps sending
    int atStop = results.size();
    await().atMost(WAIT).until(() -> results.size() >= atStop + 100);
    running.set(false);
    sender.join(10_000);

    assertThat(failures).isEmpty();
    List<SendResult> after = results.subList(atStop + 20, results.size());
    assertThat(after).isNotEmpty().allMatch(r -> r.queue().brokerName().equals("broker-b"));
    assertThat(results.subList(0, 50).stream().map(r -> r.queue().brokerName()).distinct())
        .containsExactlyInAnyOrder("broker-a", "broker-b");
  }

  @Test
  void committedOffsetsSurviveABrokerRestart() throws Exception {
    cluster = new Cluster(dir, 1);
    createTopic(cluster, "events", 4);
    Producer p = track(Producer.builder().clientConfig(cluster.clientConfig()).build());
    List<String> before = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      before.add(p.send(message("events", "b" + i)).messageId());
    }
    Fixtures.Recorder first = new Fixtures.Recorder();
    PushConsumer c = push(cluster, "audit", "events", "*").listener(first::record).build();
    await().atMost(WAIT).until(() -> first.hasAll(before));
    c.close(); // commits

    cluster.brokers.get(0).close();
    cluster.brokers.set(0, cluster.startBroker("broker-a"));
    cluster.awaitRegistered(1);

    List<String> later = new ArrayList<>();
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> later.add(p.send(message("events", "first-after-restart")).messageId()));
    for (int i = 0; i < 10; i++) {
      later.add(p.send(message("events", "a" + i)).messageId());
    }
    Fixtures.Recorder second = new Fixtures.Recorder();
    track(push(cluster, "audit", "events", "*").listener(second::record).build());
    await().atMost(WAIT).until(() -> second.hasAll(later));
    assertThat(second.counts.keySet()).containsExactlyInAnyOrderElementsOf(later);
  }
}
