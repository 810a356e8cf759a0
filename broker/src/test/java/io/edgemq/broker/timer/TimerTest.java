package io.edgemq.broker.timer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.edgemq.broker.TestBroker;
import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.protocol.v1.SendBatchRequest;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.edgemq.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimerTest {
  @TempDir Path dir;

  private static UnaryOperator<io.edgemq.broker.api.BrokerConfig.Builder> shortLevels() {
    return c ->
        c.delivery(
            DeliveryConfig.builder()
                .delayLevels(List.of(Duration.ofMillis(300), Duration.ofMillis(600)))
                .timerMaxDelay(Duration.ofHours(1))
                .build());
  }

  @Test
  void shouldDeliverDelayLevelAndTimestampMessagesWhenDueAndNotBefore() throws Exception {
    try (TestBroker b = TestBroker.start(dir, Clock.systemUTC(), shortLevels())) {
      b.createTopic("d", 1);
      long t0 = System.currentTimeMillis();
      SendResponse r = send(b, message("level").setDelayLevel(1));
      assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(r.getReceipt().getQueue().getTopic()).isEqualTo("%TIMER%");
      assertThat(b.pull("d", 0, 0).getMessagesCount()).isZero();
      Message m = longPoll(b, "d", 0);
      long took = System.currentTimeMillis() - t0;
      assertThat(took).isBetween(290L, 3_000L);
      assertThat(m.getMessageId()).isEqualTo(r.getReceipt().getMessageId());
      assertThat(m.getBody().toStringUtf8()).isEqualTo("level");
      assertThat(m.getUserPropertiesMap()).containsEntry("k", "v");
      assertThat(m.getSystemProperties().getScheduledTimestampMs()).isBetween(t0 + 300, t0 + 400);

      long at = System.currentTimeMillis() + 700;
      send(b, message("timestamp").setDeliveryTimestampMs(at));
      Message t = longPoll(b, "d", 1);
      assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(at - 5);
      assertThat(t.getSystemProperties().getScheduledTimestampMs()).isEqualTo(at);

      send(b, message("past").setDeliveryTimestampMs(at - 10_000));
      assertThat(longPoll(b, "d", 2).getBody().toStringUtf8()).isEqualTo("past");
    }
  }

  @Test
  void shouldRefuseBadDelaysWithIllegalMessage() throws Exception {
    try (TestBroker b = TestBroker.start(dir, Clock.systemUTC(), shortLevels())) {
      b.createTopic("d", 1);
      long now = System.currentTimeMillis();
      for (Message.Builder bad :
          List.of(
              message("x").setDelayLevel(3),
              message("x").setDelayLevel(-1),
              message("x").setDeliveryTimestampMs(now + Duration.ofHours(2).toMillis()),
              message("x").setDelayLevel(1).setDeliveryTimestampMs(now + 1000),
              message("x").setDelayLevel(1).setMessageGroup("fifo"))) {
        assertThat(send(b, bad).getStatus().getCode())
            .as("%s", bad)
            .isEqualTo(Code.ILLEGAL_MESSAGE);
      }
      var batch =
          b.client.sendBatch(
              SendBatchRequest.newBuilder().addMessages(message("x").setDelayLevel(1)).build());
      assertThat(batch.getStatus().getCode()).isEqualTo(Code.ILLEGAL_MESSAGE);
    }
  }

  @Test
  void shouldDeliverEveryScheduledMessageExactlyOnceAcrossARestart() throws Exception {
    int n = 200;
    try (TestBroker b = TestBroker.start(dir, Clock.systemUTC(), shortLevels())) {
      b.createTopic("d", 1);
      long now = System.currentTimeMillis();
      for (int i = 0; i < n; i++) {
        send(b, message("early-" + i).setDeliveryTimestampMs(now + 200));
        send(b, message("late-" + i).setDeliveryTimestampMs(now + 2_500));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> b.pull("d", 0, 0).getMaxOffset() >= n);
    }
    assertThat(Files.exists(dir.resolve("timer/checkpoint"))).isTrue();
    try (TestBroker b = TestBroker.start(dir, Clock.systemUTC(), shortLevels())) {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> b.pull("d", 0, 0).getMaxOffset() >= 2L * n);
      // a second delivery, if there were one, would show within this second
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> b.pull("d", 0, 0).getMaxOffset() == 2L * n);
      Set<String> bodies = new HashSet<>();
      long offset = 0;
      while (true) {
        PullResponse r =
            b.client.pull(TestBroker.pullRequest("d", 0, offset).setMaxMessages(1024).build());
        if (r.getMessagesCount() == 0) {
          break;
        }
        r.getMessagesList().forEach(m -> bodies.add(m.getBody().toStringUtf8()));
        offset = r.getNextOffset();
      }
      assertThat(offset).isEqualTo(2L * n);
      assertThat(bodies).hasSize(2 * n);
    }
  }

  @Test
  void shouldDeliverABucketLargerThanOneLoadChunkThatIsAlreadyDueAtStart() throws Exception {
    int n = 4_500; // more than one chunk of 4096 entries
    long at;
    try (TestBroker b = TestBroker.start(dir, Clock.systemUTC(), shortLevels())) {
      b.createTopic("d", 1);
      at = System.currentTimeMillis() + 60_000;
      for (int i = 0; i < n; i++) {
        send(b, message("m" + i).setDeliveryTimestampMs(at + (i % 3)));
      }
    }
    // the broker comes back after they are due (a clock 61 s ahead): their bucket is loaded in
    // chunks while already due, and they must still fire in order, each once
    MutableClock clock = new MutableClock(at + 1_000);
    try (TestBroker b = TestBroker.start(dir, clock, shortLevels())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> b.pull("d", 0, 0).getMaxOffset() >= n);
      Set<String> bodies = new HashSet<>();
      long last = 0;
      long offset = 0;
      while (offset < n) {
        PullResponse r =
            b.client.pull(TestBroker.pullRequest("d", 0, offset).setMaxMessages(1024).build());
        for (Message m : r.getMessagesList()) {
          bodies.add(m.getBody().toStringUtf8());
          assertThat(m.getSystemProperties().getScheduledTimestampMs())
              .isGreaterThanOrEqualTo(last);
          last = m.getSystemProperties().getScheduledTimestampMs();
        }
        offset = r.getNextOffset();
      }
      assertThat(bodies).hasSize(n);
      assertThat(b.pull("d", 0, n).getMaxOffset()).isEqualTo(n);
    }
  }

  @Test
  void shouldRollAMessageDueBeyondTheRollWindowAndStillDeliverItOnTime() throws Exception {
    MutableClock clock = new MutableClock(System.currentTimeMillis());
    try (TestBroker b =
        TestBroker.start(
            dir,
            clock,
            c ->
                c.delivery(
                    DeliveryConfig.builder().timerRollWindow(Duration.ofMinutes(1)).build()))) {
      b.createTopic("d", 1);
      long at = clock.millis() + Duration.ofMinutes(3).toMillis();
      send(b, message("far").setDeliveryTimestampMs(at));
      for (int i = 0; i < 2; i++) {
        // each roll writes the waiting record again; the message must not show yet
        long before = i + 1;
        await().atMost(Duration.ofSeconds(5)).until(() -> enqueued() == before);
        clock.advance(Duration.ofSeconds(61));
        await().atMost(Duration.ofSeconds(5)).until(() -> enqueued() == before + 1);
        assertThat(b.pull("d", 0, 0).getMessagesCount()).isZero();
      }
      clock.advance(Duration.ofSeconds(59));
      Message m = longPoll(b, "d", 0);
      assertThat(m.getBody().toStringUtf8()).isEqualTo("far");
      assertThat(m.getSystemProperties().getScheduledTimestampMs()).isEqualTo(at);
    }
  }

  /** The timer's indexed count, from its checkpoint: each roll appends the waiting record again. */
  private long enqueued() throws java.io.IOException {
    Path cp = dir.resolve("timer/checkpoint");
    if (!Files.exists(cp)) {
      return 0;
    }
    for (String line : Files.readAllLines(cp)) {
      if (line.startsWith("enqueued ")) {
        return Long.parseLong(line.substring("enqueued ".length()));
      }
    }
    return 0;
  }

  private static SendResponse send(TestBroker b, Message.Builder m) {
    return b.client.send(
        SendRequest.newBuilder().setProducerGroup("p").setMessage(m).setQueueId(0).build());
  }

  private static Message longPoll(TestBroker b, String topic, long offset) {
    PullResponse r =
        b.client.pull(TestBroker.pullRequest(topic, 0, offset).setLongPollTimeoutMs(5_000).build());
    assertThat(r.getMessagesList()).as("%s at %d", topic, offset).isNotEmpty();
    return r.getMessages(0);
  }

  private static Message.Builder message(String body) {
    return Message.newBuilder()
        .setTopic("d")
        .putUserProperties("k", "v")
        .setBody(ByteString.copyFromUtf8(body));
  }
}
