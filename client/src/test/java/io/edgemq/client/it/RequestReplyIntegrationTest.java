package io.edgemq.client.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.client.api.Replier;
import io.edgemq.protocol.v1.Code;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request-reply through real in-process brokers: replies routed back by correlation id. */
class RequestReplyIntegrationTest {
  private static final String TOPIC = "rpc";

  @TempDir Path dir;
  private Cluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private PushConsumer echo(Replier replier, Set<String> brokersSeen) {
    return Fixtures.push(cluster, "responders", TOPIC, "*")
        .listener(
            m -> {
              brokersSeen.add(m.queue().brokerName());
              replier.reply(m, ("re:" + new String(m.bodyBytes(), UTF_8)).getBytes(UTF_8));
              return ConsumeResult.SUCCESS;
            })
        .build();
  }

  @Test
  void shouldReturnTheReplyToTheRequester() throws Exception {
    cluster = new Cluster(dir, 1);
    Fixtures.createTopic(cluster, TOPIC, 2);
    try (Replier replier = Replier.create(cluster.clientConfig());
        PushConsumer c = echo(replier, ConcurrentHashMap.newKeySet());
        Producer p = Producer.builder().clientConfig(cluster.clientConfig()).build()) {
      MessageView reply = p.request(Fixtures.message(TOPIC, "ping"), Duration.ofSeconds(10));

      assertThat(new String(reply.bodyBytes(), UTF_8)).isEqualTo("re:ping");
      assertThat(reply.correlationId()).isPresent();
    }
  }

  @Test
  void shouldRouteEachReplyThroughTheBrokerThatStoredItsRequest() throws Exception {
    cluster = new Cluster(dir, 2);
    Fixtures.createTopic(cluster, TOPIC, 2);
    Set<String> brokersSeen = ConcurrentHashMap.newKeySet();
    try (Replier replier = Replier.create(cluster.clientConfig());
        PushConsumer c = echo(replier, brokersSeen);
        Producer p = Producer.builder().clientConfig(cluster.clientConfig()).build()) {
      List<CompletableFuture<MessageView>> replies = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        replies.add(p.requestAsync(Fixtures.message(TOPIC, "n" + i), Duration.ofSeconds(10)));
      }
      for (int i = 0; i < replies.size(); i++) {
        MessageView r = replies.get(i).get(15, TimeUnit.SECONDS);
        assertThat(new String(r.bodyBytes(), UTF_8)).isEqualTo("re:n" + i);
      }
      // requests went round-robin over both broker groups; each reply went back through its own
      assertThat(brokersSeen).containsExactlyInAnyOrder("broker-a", "broker-b");
    }
  }

  @Test
  void shouldFailWithRequestTimeoutWhenNobodyReplies() throws Exception {
    cluster = new Cluster(dir, 1);
    Fixtures.createTopic(cluster, TOPIC, 1);
    BlockingQueue<MessageView> unanswered = new LinkedBlockingQueue<>();
    try (Replier replier = Replier.create(cluster.clientConfig());
        PushConsumer silent =
            Fixtures.push(cluster, "silent", TOPIC, "*")
                .listener(
                    m -> {
                      unanswered.add(m);
                      return ConsumeResult.SUCCESS;
                    })
                .build();
        Producer p = Producer.builder().clientConfig(cluster.clientConfig()).build()) {
      long start = System.nanoTime();
      assertThatThrownBy(
              () -> p.request(Fixtures.message(TOPIC, "hello?"), Duration.ofMillis(1500)))
          .isInstanceOfSatisfying(
              ClientException.class, e -> assertThat(e.code()).isEqualTo(Code.REQUEST_TIMEOUT));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      MessageView request = unanswered.poll(10, TimeUnit.SECONDS);
      assertThat(request).isNotNull();
      assertThat(request.replyToClientId()).isPresent();

      // a late reply is still routed while the requester is connected, and dropped by it
      replier.reply(request, "late".getBytes(UTF_8));
      p.close(); // closing twice (again at the end of try) is harmless
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThatThrownBy(() -> replier.reply(request, "gone".getBytes(UTF_8)))
                      .isInstanceOfSatisfying(
                          ClientException.class,
                          e -> assertThat(e.code()).isEqualTo(Code.REQUESTER_NOT_CONNECTED)));
    }
  }

  @Test
  void shouldRefuseToReplyToAMessageThatIsNotARequest() throws Exception {
    cluster = new Cluster(dir, 1);
    Fixtures.createTopic(cluster, TOPIC, 1);
    BlockingQueue<MessageView> got = new LinkedBlockingQueue<>();
    try (Replier replier = Replier.create(cluster.clientConfig());
        Producer p = Producer.builder().clientConfig(cluster.clientConfig()).build();
        PushConsumer c =
            Fixtures.push(cluster, "g", TOPIC, "*")
                .listener(
                    m -> {
                      got.add(m);
                      return ConsumeResult.SUCCESS;
                    })
                .build()) {
      p.send(Fixtures.message(TOPIC, "plain"));
      MessageView plain = got.poll(10, TimeUnit.SECONDS);
      assertThat(plain).isNotNull();
      assertThatThrownBy(() -> replier.reply(plain, new byte[0]))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
