package io.edgemq.client.it;

import static io.edgemq.client.it.Fixtures.createTopic;
import static io.edgemq.client.it.Fixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.PullConsumer;
import io.edgemq.client.api.SendResult;
import io.edgemq.client.api.TopicInfo;
import io.edgemq.protocol.v1.Code;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull consumer's assign/seek/poll/commit and the admin calls, on one real broker. */
class PullAndAdminIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;
  private Cluster cluster;
  private Producer producer;
  private Admin admin;

  @BeforeEach
  void start() throws Exception {
    cluster = new Cluster(dir, 1);
    createTopic(cluster, "readings", 2);
    producer = Producer.builder().clientConfig(cluster.clientConfig()).build();
    admin = cluster.admin();
  }

  @AfterEach
  void stop() throws Exception {
    producer.close();
    admin.close();
    cluster.close();
  }

  private List<MessageView> pollUntil(PullConsumer c, int n) {
    List<MessageView> got = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              got.addAll(c.poll(Duration.ofMillis(200)));
              return got.size() >= n;
            });
    return got;
  }

  @Test
  void assignSeekPollAndCommit() {
    MessageQueue q0 = new MessageQueue("readings", "broker-a", 0);
    MessageQueue used = null;
    for (int i = 0; i < 11; i++) {
      SendResult r =
          producer.send(
              Message.builder()
                  .topic("readings")
                  .body(("r" + i).getBytes())
                  .messageGroup("same") // one group: one queue
                  .build());
      assertThat(used == null || used.equals(r.queue())).isTrue();
      used = r.queue();
    }
    try (PullConsumer c =
        PullConsumer.builder()
            .clientConfig(cluster.clientConfig())
            .consumerGroup("reader")
            .consumeFrom(ConsumeFrom.EARLIEST)
            .longPollTimeout(Duration.ofSeconds(1))
            .build()) {
      assertThat(c.queues("readings")).hasSize(2).contains(q0);
      c.assign(List.of(used));
      List<MessageView> first = pollUntil(c, 11);
      assertThat(first).extracting(MessageView::queueOffset).startsWith(0L, 1L, 2L);
      assertThat(c.committed(used)).isEmpty();
      c.commit();
      assertThat(c.committed(used)).hasValue(c.position(used).orElseThrow());

      c.seek(used, 3);
      List<MessageView> again = pollUntil(c, 1);
      assertThat(again.get(0).queueOffset()).isEqualTo(3);
      c.commit(used, 5);
      assertThat(c.committed(used)).isEqualTo(OptionalLong.of(5));
    }
  }

  @Test
  void adminTopicsLagAndQueries() {
    List<TopicInfo> topic = admin.getTopic("readings");
    assertThat(topic).singleElement().satisfies(t -> assertThat(t.writeQueues()).isEqualTo(2));
    assertThat(admin.listTopics()).extracting(TopicInfo::topic).contains("readings");
    assertThatThrownBy(() -> admin.createTopic("readings", 2))
        .isInstanceOf(ClientException.class)
        .satisfies(e -> assertThat(((ClientException) e).code()).isEqualTo(Code.ALREADY_EXISTS));

    SendResult sent =
        producer.send(
            Message.builder().topic("readings").keys("device-7").body("42".getBytes()).build());
    await().atMost(WAIT).until(() -> admin.queryMessageById(sent.messageId()).isPresent());
    assertThat(admin.queryMessageById(sent.messageId()).orElseThrow().keys())
        .containsExactly("device-7");
    assertThat(admin.queryMessageByKey("readings", "device-7", 0, 0, 0))
        .extracting(MessageView::messageId)
        .containsExactly(sent.messageId());
    assertThat(admin.queryMessageById("00000000000000000000000000000000")).isEmpty();

    admin.updateTopic("readings", 4, 4, io.edgemq.client.api.Permission.READ_WRITE);
    await().atMost(WAIT).until(() -> admin.getTopic("readings").get(0).writeQueues() == 4);
    admin.deleteTopic("readings");
    assertThatThrownBy(() -> admin.getTopic("readings")).isInstanceOf(ClientException.class);
  }

  @Test
  void producerDoesNotRetryNonRetryableCodes() {
    Message tooLarge =
        Message.builder().topic("readings").body(new byte[100 * 1024]).build(); // broker max 64 KiB
    assertThatThrownBy(() -> producer.send(tooLarge))
        .isInstanceOf(ClientException.class)
        .satisfies(e -> assertThat(((ClientException) e).code()).isEqualTo(Code.MESSAGE_TOO_LARGE));
    assertThatThrownBy(() -> producer.send(message("no-such-topic", "x")))
        .isInstanceOf(ClientException.class)
        .satisfies(e -> assertThat(((ClientException) e).code()).isEqualTo(Code.TOPIC_NOT_FOUND));
    assertThatThrownBy(
            () -> producer.sendBatch(List.of(message("readings", "a"), message("other", "b"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void groupAdminIsReportedAsUnsupportedUntilTheBrokerHasIt() {
    try {
      admin.createGroup("new-group");
      assertThat(admin.listGroups()).contains("new-group");
    } catch (ClientException e) {
      assertThat(e.code()).isEqualTo(Code.UNSUPPORTED);
    }
  }
}
