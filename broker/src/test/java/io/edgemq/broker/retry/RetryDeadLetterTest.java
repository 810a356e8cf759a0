package io.edgemq.broker.retry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.edgemq.broker.TestBroker;
import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.protocol.v1.ClientInfo;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.ConsumeMode;
import io.edgemq.protocol.v1.ConsumerRegistration;
import io.edgemq.protocol.v1.CreateGroupRequest;
import io.edgemq.protocol.v1.GroupConfig;
import io.edgemq.protocol.v1.HeartbeatRequest;
import io.edgemq.protocol.v1.HeartbeatResponse;
import io.edgemq.protocol.v1.ListDeadLettersRequest;
import io.edgemq.protocol.v1.ListDeadLettersResponse;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.MessageQueue;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.protocol.v1.ResendDeadLetterRequest;
import io.edgemq.protocol.v1.ResendDeadLetterResponse;
import io.edgemq.protocol.v1.SendBackRequest;
import io.edgemq.protocol.v1.SendBackResponse;
import io.edgemq.protocol.v1.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryDeadLetterTest {
  private static final String RETRY = "%RETRY%g";

  @TempDir Path dir;
  private TestBroker b;

  @BeforeEach
  void start() throws Exception {
    b =
        TestBroker.start(
            dir,
            java.time.Clock.systemUTC(),
            c ->
                c.delivery(
                    DeliveryConfig.builder()
                        .maxRetries(2)
                        .retryBackoff(List.of(Duration.ofMillis(200), Duration.ofMillis(400)))
                        .fifoRetryBackoff(Duration.ofMillis(150))
                        .build()));
    b.createTopic("t", 1);
  }

  @AfterEach
  void stop() throws Exception {
    b.close();
  }

  @Test
  void shouldWalkTheRetryLadderIntoTheDeadLetterQueueAndResendFromThere() {
    HeartbeatResponse hb = b.client.heartbeat(heartbeat("g"));
    assertThat(hb.getAssignments(0).getQueuesList())
        .extracting(MessageQueue::getTopic)
        .containsExactly(RETRY, "t");

    b.send(message("hello"), 0);
    Message first = b.pull("t", 0, 0).getMessages(0);
    assertThat(first.getSystemProperties().getReconsumeTimes()).isZero();

    long t0 = System.nanoTime();
    SendBackResponse r1 = b.client.sendBack(sendBack(first, "t", "boom-1"));
    assertThat(r1.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(r1.getRedeliverDelayMs()).isEqualTo(200);
    assertThat(r1.getReconsumeTimes()).isEqualTo(1);
    Message retry1 = longPoll(RETRY, 0);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(ms(190));
    assertThat(retry1.getMessageId()).isEqualTo(first.getMessageId());
    assertThat(retry1.getBody().toStringUtf8()).isEqualTo("hello");
    assertThat(retry1.getTag()).isEqualTo("tg");
    assertThat(retry1.getUserPropertiesMap()).containsEntry("k", "v");
    assertThat(retry1.getSystemProperties().getReconsumeTimes()).isEqualTo(1);
    assertThat(retry1.getSystemProperties().getOriginalTopic()).isEqualTo("t");
    assertThat(retry1.getSystemProperties().getFailureHistoryList())
        .singleElement()
        .satisfies(f -> assertThat(f.getReason()).isEqualTo("boom-1"));

    SendBackResponse r2 = b.client.sendBack(sendBack(retry1, RETRY, "boom-2"));
    assertThat(r2.getRedeliverDelayMs()).isEqualTo(400);
    Message retry2 = longPoll(RETRY, 1);
    assertThat(retry2.getSystemProperties().getReconsumeTimes()).isEqualTo(2);

    SendBackResponse r3 = b.client.sendBack(sendBack(retry2, RETRY, "boom-3"));
    assertThat(r3.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(r3.getDeadLettered()).isTrue();

    ListDeadLettersResponse dl =
        b.admin.listDeadLetters(ListDeadLettersRequest.newBuilder().setGroup("g").build());
    assertThat(dl.getStatus().getCode()).isEqualTo(Code.OK);
    Message dead = dl.getMessages(0);
    assertThat(dl.getMessagesCount()).isEqualTo(1);
    assertThat(dead.getMessageId()).isEqualTo(first.getMessageId());
    assertThat(dead.getSystemProperties().getOriginalTopic()).isEqualTo("t");
    assertThat(dead.getSystemProperties().getReconsumeTimes()).isEqualTo(2);
    assertThat(dead.getSystemProperties().getFailureHistoryList())
        .extracting(f -> f.getReason() + "@" + f.getReconsumeTimes() + "@" + f.getClientId())
        .containsExactly("boom-1@0@c1", "boom-2@1@c1", "boom-3@2@c1");

    ResendDeadLetterResponse re =
        b.admin.resendDeadLetter(
            ResendDeadLetterRequest.newBuilder()
                .setGroup("g")
                .setMessageId(first.getMessageId())
                .build());
    assertThat(re.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(re.getQueue().getTopic()).isEqualTo("t");
    b.awaitVisible("t", 0, 2);
    Message again = b.pull("t", 0, 1).getMessages(0);
    assertThat(again.getMessageId()).isEqualTo(first.getMessageId());
    assertThat(again.getSystemProperties().getReconsumeTimes()).isZero();
    assertThat(again.getSystemProperties().getOriginalTopic()).isEmpty();
    assertThat(again.getBody().toStringUtf8()).isEqualTo("hello");
  }

  @Test
  void shouldRetryInPlaceWithoutStoringACopyUntilTheRetriesAreUsedUp() {
    b.send(message("fifo"), 0);
    Message m = b.pull("t", 0, 0).getMessages(0);
    SendBackResponse r =
        b.client.sendBack(sendBack(m, "t", "x").toBuilder().setInPlace(true).build());
    assertThat(r.getDeadLettered()).isFalse();
    // the queue waits during a retry in place: the short FIFO back-off, not the ladder
    assertThat(r.getRedeliverDelayMs()).isEqualTo(150);
    assertThat(r.getReconsumeTimes()).isEqualTo(1);
    r =
        b.client.sendBack(
            sendBack(m, "t", "x").toBuilder().setInPlace(true).setReconsumeTimes(1).build());
    assertThat(r.getRedeliverDelayMs()).isEqualTo(150);
    r =
        b.client.sendBack(
            sendBack(m, "t", "y").toBuilder().setInPlace(true).setReconsumeTimes(2).build());
    assertThat(r.getDeadLettered()).isTrue();
    ListDeadLettersResponse dl =
        b.admin.listDeadLetters(ListDeadLettersRequest.newBuilder().setGroup("g").build());
    assertThat(dl.getMessagesList()).singleElement();
    assertThat(dl.getMessages(0).getSystemProperties().getReconsumeTimes()).isEqualTo(2);
    assertThat(b.pull(RETRY, 0, 0).getMessagesCount()).isZero();
  }

  @Test
  void shouldUseTheGroupsOwnRetryPolicyAndKeepItAcrossARestart() throws Exception {
    var created =
        b.admin.createGroup(
            CreateGroupRequest.newBuilder()
                .setGroup(GroupConfig.newBuilder().setGroup("g").setMaxRetries(0))
                .build());
    assertThat(created.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(
            b.admin
                .createGroup(
                    CreateGroupRequest.newBuilder()
                        .setGroup(
                            GroupConfig.newBuilder().setGroup("h").addRetryBackoffMs(0).build())
                        .build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.BAD_REQUEST);
    b.close();
    b = TestBroker.start(dir);
    b.send(message("once"), 0);
    Message m = b.pull("t", 0, 0).getMessages(0);
    assertThat(b.client.sendBack(sendBack(m, "t", "no")).getDeadLettered()).isTrue();
  }

  @Test
  void shouldRefuseAnUnknownMessageOrBadRequest() {
    b.send(message("a"), 0);
    Message m = b.pull("t", 0, 0).getMessages(0);
    assertThat(
            b.client
                .sendBack(
                    sendBack(m, "t", "x").toBuilder()
                        .setMessageId("00000000000000000000000000000001")
                        .build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.MESSAGE_NOT_FOUND);
    assertThat(
            b.client
                .sendBack(sendBack(m, "t", "x").toBuilder().setConsumerGroup("%bad").build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.ILLEGAL_GROUP);
    assertThat(
            b.client
                .sendBack(sendBack(m, "t", "x").toBuilder().setClientId("").build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.BAD_REQUEST);
    assertThat(
            b.admin
                .resendDeadLetter(
                    ResendDeadLetterRequest.newBuilder()
                        .setGroup("g")
                        .setMessageId(m.getMessageId())
                        .build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.MESSAGE_NOT_FOUND);
  }

  private Message longPoll(String topic, long offset) {
    PullResponse r =
        b.client.pull(TestBroker.pullRequest(topic, 0, offset).setLongPollTimeoutMs(5_000).build());
    assertThat(r.getMessagesList()).as("%s at %d", topic, offset).isNotEmpty();
    return r.getMessages(0);
  }

  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  static HeartbeatRequest heartbeat(String group) {
    return HeartbeatRequest.newBuilder()
        .setClient(ClientInfo.newBuilder().setClientId("c1"))
        .addConsumers(
            ConsumerRegistration.newBuilder()
                .setGroup(group)
                .setConsumeMode(ConsumeMode.CONSUME_MODE_CLUSTERING)
                .addSubscriptions(Subscription.newBuilder().setTopic("t"))
                .addSubscriptions(Subscription.newBuilder().setTopic("%RETRY%" + group)))
        .build();
  }

  private static Message message(String body) {
    return Message.newBuilder()
        .setTopic("t")
        .setTag("tg")
        .putUserProperties("k", "v")
        .setBody(ByteString.copyFromUtf8(body))
        .build();
  }

  private static SendBackRequest sendBack(Message m, String topic, String reason) {
    return SendBackRequest.newBuilder()
        .setConsumerGroup("g")
        .setClientId("c1")
        .setTopic(topic)
        .setCommitLogOffset(m.getSystemProperties().getCommitLogOffset())
        .setMessageId(m.getMessageId())
        .setReason(reason)
        .build();
  }
}
