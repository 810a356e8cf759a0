package io.edgemq.client.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.broker.api.TransactionConfig;
import io.edgemq.broker.api.TransactionConfig.Outcome;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.client.api.Transaction;
import io.edgemq.client.api.TransactionChecker;
import io.edgemq.client.api.TransactionProducer;
import io.edgemq.client.api.TransactionResolution;
import io.edgemq.protocol.v1.Code;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactional messages against real in-process brokers: commit, rollback, check-back, a producer
 * that crashes mid-transaction, the default outcome after the last check, and a broker restart.
 * Checks run every 300 ms here (default 60 s), so nothing waits long in real time.
 */
class TransactionIntegrationTest {
  private static final String TOPIC = "orders";
  private static final String GROUP = "orders-tx";

  @TempDir Path dir;
  private Cluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void start(int maxChecks, Outcome defaultOutcome) throws Exception {
    cluster =
        new Cluster(
            dir,
            1,
            DeliveryConfig.defaults(),
            new TransactionConfig(Duration.ofMillis(300), maxChecks, defaultOutcome));
    Fixtures.createTopic(cluster, TOPIC, 2);
  }

  private TransactionProducer producer(TransactionChecker checker) {
    return TransactionProducer.builder()
        .clientConfig(cluster.clientConfig())
        .producerGroup(GROUP)
        .checker(checker)
        .topics(TOPIC)
        .build();
  }

  private static Message message(String body) {
    return Message.builder().topic(TOPIC).body(body.getBytes(UTF_8)).build();
  }

  private static TransactionResolution commitBodies(MessageView m, String prefix) {
    return new String(m.bodyBytes(), UTF_8).startsWith(prefix)
        ? TransactionResolution.COMMIT
        : TransactionResolution.ROLLBACK;
  }

  /** Waits until the consumer saw every id in {@code ids}, then a little more for duplicates. */
  private static void awaitExactlyOnce(Fixtures.Recorder seen, List<String> ids) {
    await().atMost(Duration.ofSeconds(15)).until(() -> seen.hasAll(ids));
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> ids.stream().allMatch(id -> seen.counts.get(id).get() == 1));
  }

  private long storedInTopic() {
    try (Admin admin = cluster.admin()) {
      return admin.consumerLag("g", TOPIC).queues().stream().mapToLong(q -> q.maxOffset()).sum();
    }
  }

  @Test
  void shouldMakeACommittedMessageVisibleExactlyOnceAndNeverARolledBackOne() throws Exception {
    start(15, Outcome.ROLLBACK);
    Fixtures.Recorder seen = new Fixtures.Recorder();
    try (TransactionProducer p = producer(m -> TransactionResolution.UNKNOWN);
        PushConsumer c = Fixtures.push(cluster, "g", TOPIC, "*").listener(seen::record).build()) {
      String committed =
          p.send(message("yes"), (m, id) -> TransactionResolution.COMMIT).messageId();
      String rolledBack =
          p.send(message("no"), (m, id) -> TransactionResolution.ROLLBACK).messageId();
      Transaction tx = p.sendHalf(message("twice"));
      tx.commit();
      tx.commit(); // a repeated outcome is harmless

      awaitExactlyOnce(seen, List.of(committed, tx.messageId()));
      assertThat(seen.counts).doesNotContainKey(rolledBack);
      assertThat(seen.counts).hasSize(2);
      assertThat(storedInTopic()).isEqualTo(2);
      assertThat(cluster.brokers.get(0).pendingTransactions()).isZero();
      assertThatThrownBy(tx::rollback)
          .isInstanceOfSatisfying(
              ClientException.class,
              e -> assertThat(e.code()).isEqualTo(Code.TRANSACTION_ALREADY_ENDED));
    }
  }

  @Test
  void shouldAskTheProducerWhenItStaysSilentAndApplyItsAnswers() throws Exception {
    start(15, Outcome.ROLLBACK);
    Fixtures.Recorder seen = new Fixtures.Recorder();
    Map<String, Integer> checks = new ConcurrentHashMap<>();
    TransactionChecker checker =
        m -> {
          checks.merge(m.messageId(), 1, Integer::sum);
          assertThat(m.topic()).isEqualTo(TOPIC);
          return commitBodies(m, "commit");
        };
    try (TransactionProducer p = producer(checker);
        PushConsumer c = Fixtures.push(cluster, "g", TOPIC, "*").listener(seen::record).build()) {
      String commit =
          p.send(message("commit-me"), (m, id) -> TransactionResolution.UNKNOWN).messageId();
      String rollback =
          p.send(message("rollback-me"), (m, id) -> TransactionResolution.UNKNOWN).messageId();

      awaitExactlyOnce(seen, List.of(commit));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> cluster.brokers.get(0).pendingTransactions() == 0);
      assertThat(checks).containsOnlyKeys(commit, rollback);
      assertThat(seen.counts).doesNotContainKey(rollback);
    }
  }

  @Test
  void shouldLetAnotherMemberOfTheGroupAnswerWhenTheProducerCrashedMidTransaction()
      throws Exception {
    start(15, Outcome.ROLLBACK);
    Fixtures.Recorder seen = new Fixtures.Recorder();
    List<String> crashedChecks = new CopyOnWriteArrayList<>();
    TransactionProducer crashing =
        producer(
            m -> {
              crashedChecks.add(m.messageId());
              return TransactionResolution.UNKNOWN;
            });
    Transaction tx = crashing.sendHalf(message("commit-by-peer"));
    crashing.close(); // gone without ending: only its peer can answer now

    List<String> peerChecks = new CopyOnWriteArrayList<>();
    TransactionChecker peerChecker =
        m -> {
          peerChecks.add(m.messageId());
          return TransactionResolution.COMMIT;
        };
    try (TransactionProducer peer = producer(peerChecker);
        PushConsumer c = Fixtures.push(cluster, "g", TOPIC, "*").listener(seen::record).build()) {
      awaitExactlyOnce(seen, List.of(tx.messageId()));
      assertThat(peerChecks).contains(tx.messageId());
      // the crashed producer may have been asked once before it closed (a slow machine), and it
      // answered UNKNOWN; the commit can only have come from its peer
      assertThat(crashedChecks).allMatch(tx.messageId()::equals);
    }
  }

  @Test
  void shouldAnswerChecksOfATopicWhoseRouteAppearedAfterTheProducerStarted() throws Exception {
    start(15, Outcome.ROLLBACK);
    Fixtures.Recorder seen = new Fixtures.Recorder();
    // the route of "later" does not exist yet (as right after its only broker restarted)
    try (TransactionProducer answering =
        TransactionProducer.builder()
            .clientConfig(cluster.clientConfig())
            .producerGroup(GROUP)
            .checker(m -> TransactionResolution.COMMIT)
            .topics("later")
            .build()) {
      Fixtures.createTopic(cluster, "later", 1);
      Transaction tx;
      try (TransactionProducer crashing = producer(m -> TransactionResolution.UNKNOWN)) {
        tx = crashing.sendHalf(Message.builder().topic("later").body("x".getBytes(UTF_8)).build());
      }
      try (PushConsumer c =
          Fixtures.push(cluster, "g", "later", "*").listener(seen::record).build()) {
        awaitExactlyOnce(seen, List.of(tx.messageId()));
      }
    }
  }

  @Test
  void shouldApplyTheDefaultOutcomeAfterTheLastUnansweredCheck() throws Exception {
    start(2, Outcome.COMMIT);
    Fixtures.Recorder seen = new Fixtures.Recorder();
    List<String> checks = new CopyOnWriteArrayList<>();
    try (TransactionProducer p =
            producer(
                m -> {
                  checks.add(m.messageId());
                  return TransactionResolution.UNKNOWN;
                });
        PushConsumer c = Fixtures.push(cluster, "g", TOPIC, "*").listener(seen::record).build()) {
      String id = p.send(message("undecided"), (m, x) -> TransactionResolution.UNKNOWN).messageId();

      awaitExactlyOnce(seen, List.of(id));
      assertThat(checks).containsExactly(id, id);
      assertThat(cluster.brokers.get(0).pendingTransactions()).isZero();
    }
  }

  @Test
  void shouldKeepPendingHalfMessagesAndEndedOnesAcrossABrokerRestart() throws Exception {
    start(15, Outcome.ROLLBACK);
    Map<String, TransactionResolution> decided = new ConcurrentHashMap<>();
    TransactionChecker checker =
        m -> decided.getOrDefault(m.messageId(), TransactionResolution.UNKNOWN);
    String committed;
    String rolledBack;
    Transaction pending;
    try (TransactionProducer p = producer(checker)) {
      committed = p.send(message("before"), (m, id) -> TransactionResolution.COMMIT).messageId();
      rolledBack = p.send(message("never"), (m, id) -> TransactionResolution.ROLLBACK).messageId();
      pending = p.sendHalf(message("after"));
    }
    assertThat(cluster.brokers.get(0).pendingTransactions()).isEqualTo(1);

    cluster.restart(0);
    assertThat(cluster.brokers.get(0).pendingTransactions()).isEqualTo(1);

    Fixtures.Recorder seen = new Fixtures.Recorder();
    decided.put(pending.messageId(), TransactionResolution.COMMIT);
    try (TransactionProducer p = producer(checker);
        PushConsumer c = Fixtures.push(cluster, "g", TOPIC, "*").listener(seen::record).build()) {
      awaitExactlyOnce(seen, List.of(committed, pending.messageId()));
      assertThat(seen.counts).doesNotContainKey(rolledBack);
      assertThat(storedInTopic()).isEqualTo(2);
    }
  }

  @Test
  void shouldRefuseATransactionWithoutAProducerGroupOrWithADelay() throws Exception {
    start(15, Outcome.ROLLBACK);
    assertThatThrownBy(
            () ->
                TransactionProducer.builder()
                    .clientConfig(cluster.clientConfig())
                    .checker(m -> TransactionResolution.UNKNOWN)
                    .build())
        .isInstanceOf(IllegalArgumentException.class);
    try (TransactionProducer p = producer(m -> TransactionResolution.UNKNOWN)) {
      Message delayed = Message.builder().topic(TOPIC).body(new byte[] {1}).delayLevel(1).build();
      assertThatThrownBy(() -> p.sendHalf(delayed))
          .isInstanceOfSatisfying(
              ClientException.class, e -> assertThat(e.code()).isEqualTo(Code.ILLEGAL_MESSAGE));
    }
  }
}
