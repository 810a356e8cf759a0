package io.edgemq.client.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.PullConsumer;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.client.api.SendResult;
import io.edgemq.client.api.TraceEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Message trace against two real brokers: the events match what happened to each message. */
class TraceIntegrationTest {
  @TempDir Path dir;
  private Cluster cluster;
  private Admin admin;

  @BeforeEach
  void start() throws Exception {
    cluster =
        new Cluster(
            dir,
            2,
            DeliveryConfig.builder()
                .maxRetries(1)
                .retryBackoff(List.of(Duration.ofMillis(200)))
                .fifoRetryBackoff(Duration.ofMillis(200))
                .build());
    Fixtures.createTopic(cluster, "orders", 2);
    admin = cluster.admin();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    cluster.close();
  }

  private static Message keyed(String body, String key) {
    return Message.builder().topic("orders").tag("t1").keys(key).body(body.getBytes(UTF_8)).build();
  }

  private List<String> kinds(String idOrKey) {
    return admin.trace(idOrKey).stream().map(TraceEntry::kind).toList();
  }

  @Test
  void shouldTraceSendStoreDeliverAndConsumeOfAMessageConsumedOnce() {
    SendResult sent;
    try (Producer producer =
            Producer.builder()
                .clientConfig(cluster.clientConfig())
                .producerGroup("shop")
                .trace(true)
                .build();
        PushConsumer consumer =
            Fixtures.push(cluster, "billing", "orders", "*")
                .trace(true)
                .listener(m -> ConsumeResult.SUCCESS)
                .build()) {
      sent = producer.send(keyed("one", "order-17"));
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> kinds(sent.messageId()).size() == 4);
    }
    List<TraceEntry> trace = admin.trace(sent.messageId());
    assertThat(trace)
        .extracting(TraceEntry::kind)
        .containsExactly("SEND", "STORE", "DELIVER", "CONSUME_OK");
    String broker = sent.queue().brokerName();
    for (TraceEntry e : trace) {
      assertThat(e.messageId()).isEqualTo(sent.messageId());
      assertThat(e.topic()).isEqualTo("orders");
      assertThat(e.tag()).isEqualTo("t1");
      assertThat(e.keys()).containsExactly("order-17");
      assertThat(e.brokerName()).isEqualTo(broker);
      assertThat(e.queueId()).isEqualTo(sent.queue().queueId());
      assertThat(e.queueOffset()).isEqualTo(sent.queueOffset());
      assertThat(e.host()).isNotEmpty();
    }
    assertThat(trace.get(0).group()).isEqualTo("shop");
    assertThat(trace.get(0).status()).isEqualTo("OK");
    assertThat(trace.get(0).clientId()).isNotEmpty();
    assertThat(trace.get(1).group()).isEqualTo("shop");
    assertThat(trace.get(1).clientId()).isEqualTo(trace.get(0).clientId());
    assertThat(trace.get(1).timestampMs()).isEqualTo(sent.storeTimestampMs());
    assertThat(trace.get(2).group()).isEqualTo("billing");
    assertThat(trace.get(3).group()).isEqualTo("billing");
    assertThat(trace.get(3).status()).isEqualTo("OK");
    assertThat(trace.get(3).clientId()).isEqualTo(trace.get(2).clientId());
    // the same events are found by the message's business key
    assertThat(admin.trace("order-17")).isEqualTo(trace);
  }

  @Test
  void shouldTraceRetryAndDeadLetterOfAMessageThatKeepsFailing() {
    SendResult sent;
    try (Producer producer =
            Producer.builder().clientConfig(cluster.clientConfig()).trace(true).build();
        PushConsumer consumer =
            Fixtures.push(cluster, "fragile", "orders", "*")
                .trace(true)
                .listener(m -> ConsumeResult.FAILURE)
                .build()) {
      sent = producer.send(keyed("doomed", "order-18"));
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> kinds(sent.messageId()).contains("DEAD_LETTER"));
      await().atMost(Duration.ofSeconds(10)).until(() -> kinds(sent.messageId()).size() == 8);
    }
    List<TraceEntry> trace = admin.trace(sent.messageId());
    assertThat(trace)
        .extracting(TraceEntry::kind)
        .containsExactly(
            "SEND",
            "STORE",
            "DELIVER",
            "CONSUME_FAIL",
            "RETRY",
            "DELIVER",
            "CONSUME_FAIL",
            "DEAD_LETTER");
    assertThat(trace).extracting(TraceEntry::topic).containsOnly("orders");
    assertThat(trace)
        .extracting(TraceEntry::reconsumeTimes)
        .containsExactly(0, 0, 0, 0, 1, 1, 1, 1);
    TraceEntry retry = trace.get(4);
    assertThat(retry.targetTopic()).isEqualTo("%RETRY%fragile");
    assertThat(retry.group()).isEqualTo("fragile");
    assertThat(retry.status()).isEqualTo("FAILURE");
    assertThat(retry.costMs()).isEqualTo(200);
    assertThat(retry.clientId()).isEqualTo(trace.get(3).clientId());
    TraceEntry redelivered = trace.get(5);
    assertThat(redelivered.queueId()).isZero();
    assertThat(redelivered.brokerName()).isEqualTo(sent.queue().brokerName());
    TraceEntry dead = trace.get(7);
    assertThat(dead.targetTopic()).isEqualTo("%DLQ%fragile");
    assertThat(dead.queueOffset()).isZero();
    assertThat(dead.status()).isEqualTo("FAILURE");
  }

  @Test
  void shouldTraceWhatAPullConsumersPollHandsOut() {
    SendResult sent;
    List<io.edgemq.client.api.MessageView> polled = new java.util.ArrayList<>();
    try (Producer producer =
            Producer.builder().clientConfig(cluster.clientConfig()).trace(true).build();
        PullConsumer consumer =
            PullConsumer.builder()
                .clientConfig(cluster.clientConfig())
                .consumerGroup("puller")
                .subscribe("orders", "*")
                .consumeFrom(ConsumeFrom.EARLIEST)
                .longPollTimeout(Duration.ofSeconds(1))
                .trace(true)
                .build()) {
      sent = producer.send(keyed("pulled", "order-21"));
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> {
                polled.addAll(consumer.poll(Duration.ofMillis(200)));
                return !polled.isEmpty();
              });
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> kinds(sent.messageId()).size() == 3);
    List<TraceEntry> trace = admin.trace(sent.messageId());
    assertThat(trace).extracting(TraceEntry::kind).containsExactly("SEND", "STORE", "DELIVER");
    assertThat(trace.get(2).group()).isEqualTo("puller");
    assertThat(trace.get(2).queueOffset()).isEqualTo(sent.queueOffset());
  }

  @Test
  void shouldWriteNoEventsForAnUntracedProducerAndConsumer() {
    Fixtures.Recorder seen = new Fixtures.Recorder();
    try (Producer plain = Producer.builder().clientConfig(cluster.clientConfig()).build();
        Producer traced =
            Producer.builder().clientConfig(cluster.clientConfig()).trace(true).build();
        PushConsumer consumer =
            Fixtures.push(cluster, "quiet", "orders", "*").listener(seen::record).build()) {
      String untraced = plain.send(keyed("plain", "order-19")).messageId();
      await().atMost(Duration.ofSeconds(15)).until(() -> seen.hasAll(List.of(untraced)));
      // a traced message sent afterwards: once its events are in, an untraced one's would be too
      String marker = traced.send(keyed("marker", "order-20")).messageId();
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> kinds(marker).containsAll(List.of("SEND", "STORE")));
      assertThat(admin.trace(untraced)).isEmpty();
      assertThat(admin.trace("order-19")).isEmpty();
      // the untraced consumer wrote nothing for the traced message either
      await().atMost(Duration.ofSeconds(15)).until(() -> seen.hasAll(List.of(marker)));
      assertThat(kinds(marker)).containsExactly("SEND", "STORE");
    }
  }
}
