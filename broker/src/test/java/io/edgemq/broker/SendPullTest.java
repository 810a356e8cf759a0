package io.edgemq.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.FilterExpression;
import io.edgemq.protocol.v1.GetTopicStatsRequest;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.protocol.v1.QueryMessageByIdRequest;
import io.edgemq.protocol.v1.QueryMessageByKeyRequest;
import io.edgemq.protocol.v1.SendBatchRequest;
import io.edgemq.protocol.v1.SendBatchResponse;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SendPullTest {
  @TempDir Path dir;
  TestBroker b;

  @BeforeEach
  void start() throws Exception {
    b = TestBroker.start(dir);
    b.createTopic("telemetry", 4);
  }

  @AfterEach
  void stop() throws Exception {
    b.close();
  }

  static Message.Builder msg(String topic, String tag, String body) {
    return Message.newBuilder()
        .setTopic(topic)
        .setTag(tag)
        .setBody(ByteString.copyFrom(body, StandardCharsets.UTF_8));
  }

  @Test
  void shouldRoundTripEveryFieldOfAMessage() {
    Message sent =
        msg("telemetry", "temp", "21.5C")
            .addKeys("dev-42")
            .addKeys("site-7")
            .putUserProperties("mqtt.topic", "factory/7/42/telemetry")
            .putUserProperties("qos", "1")
            .setMessageGroup("dev-42")
            .setBornTimestampMs(1_700_000_000_123L)
            .setBornHost(Address.newBuilder().setHost("10.1.2.3").setPort(4711))
            .setMessageId("0123456789abcdef0123456789abcdef")
            .build();
    SendResponse r = b.send(sent, 2);
    assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(r.getReceipt().getMessageId()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(r.getReceipt().getQueue().getQueueId()).isEqualTo(2);
    assertThat(r.getReceipt().getQueue().getBrokerName()).isEqualTo("broker-a");
    assertThat(r.getReceipt().getQueueOffset()).isZero();

    PullResponse p = b.pull("telemetry", 2, 0);
    assertThat(p.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(p.getMessagesList()).hasSize(1);
    Message got = p.getMessages(0);
    assertThat(got.toBuilder().clearSystemProperties().build()).isEqualTo(sent);
    assertThat(got.getSystemProperties().getQueueId()).isEqualTo(2);
    assertThat(got.getSystemProperties().getQueueOffset()).isZero();
    assertThat(got.getSystemProperties().getBrokerName()).isEqualTo("broker-a");
    assertThat(got.getSystemProperties().getCommitLogOffset())
        .isEqualTo(r.getReceipt().getCommitLogOffset());
    assertThat(got.getSystemProperties().getStoreTimestampMs())
        .isEqualTo(r.getReceipt().getStoreTimestampMs());
    assertThat(got.getSystemProperties().getStoreSize()).isPositive();
    assertThat(p.getNextOffset()).isEqualTo(1);
    assertThat(p.getMaxOffset()).isEqualTo(1);

    var byId =
        b.admin.queryMessageById(
            QueryMessageByIdRequest.newBuilder().setMessageId(sent.getMessageId()).build());
    assertThat(byId.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(byId.getMessage()).isEqualTo(got);
    var byKey =
        b.admin.queryMessageByKey(
            QueryMessageByKeyRequest.newBuilder().setTopic("telemetry").setKey("site-7").build());
    assertThat(byKey.getMessagesList()).containsExactly(got);
  }

  @Test
  void shouldFillBornTimeAndHostAndIdWhenAbsent() {
    SendResponse r = b.send(msg("telemetry", "", "x").build(), 0);
    Message got = b.pull("telemetry", 0, 0).getMessages(0);
    assertThat(got.getMessageId()).isEqualTo(r.getReceipt().getMessageId()).hasSize(32);
    assertThat(got.getBornTimestampMs()).isPositive();
    assertThat(got.getBornHost().getHost()).isEqualTo("127.0.0.1");
  }

  @Test
  void shouldPickQueuesByMessageGroupOrRoundRobin() {
    Set<Integer> groupQueues = new HashSet<>();
    Set<Integer> rrQueues = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      groupQueues.add(
          b.client
              .send(
                  SendRequest.newBuilder()
                      .setMessage(msg("telemetry", "t", "g" + i).setMessageGroup("dev-9"))
                      .build())
              .getReceipt()
              .getQueue()
              .getQueueId());
      rrQueues.add(
          b.client
              .send(SendRequest.newBuilder().setMessage(msg("telemetry", "t", "r" + i)).build())
              .getReceipt()
              .getQueue()
              .getQueueId());
    }
    assertThat(groupQueues).containsExactly(Math.floorMod("dev-9".hashCode(), 4));
    assertThat(rrQueues).containsExactlyInAnyOrder(0, 1, 2, 3);
  }

  @Test
  void shouldStoreABatchAtConsecutiveOffsetsOfOneQueue() {
    SendBatchRequest.Builder req = SendBatchRequest.newBuilder().setQueueId(1);
    for (int i = 0; i < 5; i++) {
      req.addMessages(msg("telemetry", "t", "m" + i));
    }
    SendBatchResponse r = b.client.sendBatch(req.build());
    assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(r.getReceiptsList())
        .extracting(x -> x.getQueueOffset())
        .containsExactly(0L, 1L, 2L, 3L, 4L);
    b.awaitVisible("telemetry", 1, 5);
    PullResponse p = b.pull("telemetry", 1, 0);
    assertThat(p.getMessagesList())
        .extracting(m -> m.getBody().toStringUtf8())
        .containsExactly("m0", "m1", "m2", "m3", "m4");

    SendBatchResponse mixed =
        b.client.sendBatch(
            SendBatchRequest.newBuilder()
                .addMessages(msg("telemetry", "t", "a"))
                .addMessages(msg("other", "t", "b"))
                .build());
    assertThat(mixed.getStatus().getCode()).isEqualTo(Code.ILLEGAL_MESSAGE);
    assertThat(b.client.sendBatch(SendBatchRequest.getDefaultInstance()).getStatus().getCode())
        .isEqualTo(Code.BAD_REQUEST);
  }

  @Test
  void shouldReturnOnlyMessagesMatchingTheTagExpression() {
    String[] tags = {"a", "b", "c", "", "a", "ab", "b"};
    for (int i = 0; i < tags.length; i++) {
      b.send(msg("telemetry", tags[i], "m" + i).build(), 0);
    }
    PullResponse p =
        b.client.pull(
            TestBroker.pullRequest("telemetry", 0, 0)
                .setFilter(FilterExpression.newBuilder().setExpression(" a ||b"))
                .build());
    assertThat(p.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(p.getMessagesList())
        .extracting(m -> m.getBody().toStringUtf8())
        .containsExactly("m0", "m1", "m4", "m6");
    assertThat(p.getNextOffset()).isEqualTo(7);

    PullResponse none =
        b.client.pull(
            TestBroker.pullRequest("telemetry", 0, 0)
                .setFilter(FilterExpression.newBuilder().setExpression("zzz"))
                .build());
    assertThat(none.getMessagesList()).isEmpty();
    assertThat(none.getNextOffset()).isEqualTo(7);
  }

  @Test
  void shouldAnswerBadInputsWithTheirCodes() {
    assertThat(b.send(msg("nope", "t", "x").build(), 0).getStatus().getCode())
        .isEqualTo(Code.TOPIC_NOT_FOUND);
    assertThat(b.send(msg("bad topic!", "t", "x").build(), 0).getStatus().getCode())
        .isEqualTo(Code.ILLEGAL_TOPIC);
    assertThat(b.send(msg("telemetry", "t", "x").build(), 4).getStatus().getCode())
        .isEqualTo(Code.QUEUE_NOT_FOUND);
    assertThat(b.send(msg("telemetry", "*", "x").build(), 0).getStatus().getCode())
        .isEqualTo(Code.ILLEGAL_MESSAGE);
    assertThat(
            b.send(msg("telemetry", "t", "x").setMessageId("xyz").build(), 0).getStatus().getCode())
        .isEqualTo(Code.ILLEGAL_MESSAGE);
    SendResponse big =
        b.send(
            msg("telemetry", "t", "").setBody(ByteString.copyFrom(new byte[65 * 1024])).build(), 0);
    assertThat(big.getStatus().getCode()).isEqualTo(Code.MESSAGE_TOO_LARGE);
    assertThat(big.hasReceipt()).isFalse();

    b.createTopic("readonly", 2, Permission.PERMISSION_READ);
    assertThat(b.send(msg("readonly", "t", "x").build(), 0).getStatus().getCode())
        .isEqualTo(Code.NO_WRITE_PERMISSION);
    b.createTopic("writeonly", 2, Permission.PERMISSION_WRITE);
    assertThat(b.pull("writeonly", 0, 0).getStatus().getCode()).isEqualTo(Code.NO_READ_PERMISSION);

    for (String bad : new String[] {"a || || b", "a ||", "|| a", "a || *"}) {
      PullResponse p =
          b.client.pull(
              TestBroker.pullRequest("telemetry", 0, 0)
                  .setFilter(FilterExpression.newBuilder().setExpression(bad))
                  .build());
      assertThat(p.getStatus().getCode()).as(bad).isEqualTo(Code.ILLEGAL_TAG_EXPRESSION);
      assertThat(p.getStatus().getMessage()).contains(bad);
    }
    assertThat(b.pull("nope", 0, 0).getStatus().getCode()).isEqualTo(Code.TOPIC_NOT_FOUND);
    assertThat(b.pull("telemetry", 9, 0).getStatus().getCode()).isEqualTo(Code.QUEUE_NOT_FOUND);
    assertThat(b.pull("telemetry", 0, -1).getStatus().getCode()).isEqualTo(Code.BAD_REQUEST);
    assertThat(
            b.client
                .pull(TestBroker.pullRequest("telemetry", 0, 0).setConsumerGroup("").build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.ILLEGAL_GROUP);
  }

  @Test
  void shouldReportOffsetOverflowWithTheQueueEnd() {
    b.send(msg("telemetry", "t", "x").build(), 0);
    PullResponse p = b.pull("telemetry", 0, 5);
    assertThat(p.getStatus().getCode()).isEqualTo(Code.OFFSET_OVERFLOW);
    assertThat(p.getNextOffset()).isEqualTo(1);
    assertThat(p.getMaxOffset()).isEqualTo(1);
    assertThat(b.pull("telemetry", 3, 2).getStatus().getCode()).isEqualTo(Code.OFFSET_OVERFLOW);
    PullResponse empty = b.pull("telemetry", 3, 0);
    assertThat(empty.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(empty.getMessagesList()).isEmpty();
  }

  @Test
  void shouldReportTopicStats() {
    b.send(msg("telemetry", "t", "x").build(), 1);
    b.send(msg("telemetry", "t", "y").build(), 1);
    var s = b.admin.getTopicStats(GetTopicStatsRequest.newBuilder().setTopic("telemetry").build());
    assertThat(s.getQueuesList()).hasSize(4);
    assertThat(s.getQueues(1).getMaxOffset()).isEqualTo(2);
    assertThat(s.getQueues(1).getLastStoreTimestampMs()).isPositive();
    assertThat(s.getQueues(0).getMaxOffset()).isZero();
  }

  @Test
  void shouldAutoCreateUnknownTopicsOnlyWhenEnabled(@TempDir Path other) throws Exception {
    assertThat(b.send(msg("fresh", "t", "x").build(), 0).getStatus().getCode())
        .isEqualTo(Code.TOPIC_NOT_FOUND);
    try (TestBroker auto =
        TestBroker.start(other, Clock.systemUTC(), c -> c.autoCreateTopics(true))) {
      SendResponse r =
          auto.client.send(SendRequest.newBuilder().setMessage(msg("fresh", "t", "x")).build());
      assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
      var t =
          auto.admin.getTopic(
              io.edgemq.protocol.v1.GetTopicRequest.newBuilder().setTopic("fresh").build());
      assertThat(t.getTopic().getWriteQueueCount()).isEqualTo(8);
      assertThat(t.getTopic().getReadQueueCount()).isEqualTo(8);
      assertThat(
              auto.client
                  .send(SendRequest.newBuilder().setMessage(msg("%SYS", "t", "x")).build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.TOPIC_NOT_FOUND);
    }
  }
}
