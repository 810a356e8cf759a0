package io.edgemq.broker.pop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.edgemq.broker.TestBroker;
import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.protocol.v1.AckBatchRequest;
import io.edgemq.protocol.v1.AckBatchResponse;
import io.edgemq.protocol.v1.AckRequest;
import io.edgemq.protocol.v1.AckResponse;
import io.edgemq.protocol.v1.ChangeInvisibleDurationRequest;
import io.edgemq.protocol.v1.ChangeInvisibleDurationResponse;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.FilterExpression;
import io.edgemq.protocol.v1.ListDeadLettersRequest;
import io.edgemq.protocol.v1.ListDeadLettersResponse;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.ReceiveRequest;
import io.edgemq.protocol.v1.ReceiveResponse;
import io.edgemq.protocol.v1.ReceivedMessage;
import io.edgemq.protocol.v1.SimpleConsumptionGrpc;
import io.edgemq.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pop consumption against a real broker on a controlled clock. */
class PopTest {
  private static final long INVISIBLE = 30_000;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();
  private TestBroker b;
  private SimpleConsumptionGrpc.SimpleConsumptionBlockingStub pop;

  @BeforeEach
  void start() throws Exception {
    startBroker();
    b.createTopic("t", 2);
  }

  private void startBroker() throws Exception {
    b =
        TestBroker.start(
            dir, clock, c -> c.delivery(DeliveryConfig.builder().maxRetries(2).build()));
    pop = SimpleConsumptionGrpc.newBlockingStub(b.channel);
  }

  @AfterEach
  void stop() throws Exception {
    b.close();
  }

  @Test
  void shouldReceiveOnceAndNeverAgainAfterAck() {
    b.send(message("a", "x"), 0);
    b.send(message("b", "x"), 1);

    List<ReceivedMessage> got = receive(10).getMessagesList();
    assertThat(got)
        .extracting(m -> m.getMessage().getBody().toStringUtf8())
        .containsExactlyInAnyOrder("a", "b");
    assertThat(got)
        .allSatisfy(
            m -> {
              assertThat(m.getDeliveryAttempt()).isEqualTo(1);
              assertThat(m.getMessage().getSystemProperties().getReconsumeTimes()).isZero();
              assertThat(m.getInvisibleUntilMs()).isEqualTo(clock.millis() + INVISIBLE);
            });
    assertThat(receive(10).getMessagesList()).as("invisible to the group").isEmpty();

    for (ReceivedMessage m : got) {
      assertThat(ack(m.getReceiptHandle()).getStatus().getCode()).isEqualTo(Code.OK);
    }
    clock.advance(Duration.ofMillis(INVISIBLE + 1));
    assertThat(receive(10).getMessagesList()).as("acked messages never return").isEmpty();
    assertThat(ack(got.get(0).getReceiptHandle()).getStatus().getCode())
        .isEqualTo(Code.RECEIPT_HANDLE_NOT_FOUND);
  }

  @Test
  void shouldMakeAnExpiredMessageVisibleAgainWithTheAttemptRaised() {
    b.send(message("a", "x"), 0);
    ReceivedMessage first = receive(1).getMessages(0);
    clock.advance(Duration.ofMillis(INVISIBLE - 1));
    assertThat(receive(1).getMessagesList()).isEmpty();
    clock.advance(Duration.ofMillis(1));

    ReceivedMessage again = receive(1).getMessages(0);
    assertThat(again.getMessage().getMessageId()).isEqualTo(first.getMessage().getMessageId());
    assertThat(again.getDeliveryAttempt()).isEqualTo(2);
    assertThat(again.getMessage().getSystemProperties().getReconsumeTimes()).isEqualTo(1);
    assertThat(again.getReceiptHandle()).isNotEqualTo(first.getReceiptHandle());
    assertThat(ack(first.getReceiptHandle()).getStatus().getCode())
        .as("the old handle was retired by the redelivery")
        .isEqualTo(Code.RECEIPT_HANDLE_NOT_FOUND);
    assertThat(ack(again.getReceiptHandle()).getStatus().getCode()).isEqualTo(Code.OK);
  }

  @Test
  void shouldRefuseAnAckAfterTheInvisibleTimeEnded() {
    b.send(message("a", "x"), 0);
    ReceivedMessage m = receive(1).getMessages(0);
    clock.advance(Duration.ofMillis(INVISIBLE));
    AckResponse r = ack(m.getReceiptHandle());
    assertThat(r.getStatus().getCode()).isEqualTo(Code.RECEIPT_HANDLE_EXPIRED);
    assertThat(receive(1).getMessages(0).getDeliveryAttempt()).isEqualTo(2);
  }

  @Test
  void shouldExtendTheInvisibleTimeAndRetireTheOldHandle() {
    b.send(message("a", "x"), 0);
    ReceivedMessage m = receive(1).getMessages(0);
    clock.advance(Duration.ofSeconds(20));
    ChangeInvisibleDurationResponse c = change(m.getReceiptHandle(), 60_000);
    assertThat(c.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(c.getInvisibleUntilMs()).isEqualTo(clock.millis() + 60_000);

    clock.advance(Duration.ofSeconds(30));
    assertThat(receive(1).getMessagesList()).as("still invisible past the first 30 s").isEmpty();
    assertThat(ack(m.getReceiptHandle()).getStatus().getCode())
        .isEqualTo(Code.RECEIPT_HANDLE_NOT_FOUND);
    assertThat(ack(c.getReceiptHandle()).getStatus().getCode()).isEqualTo(Code.OK);
  }

  @Test
  void shouldGiveAMessageBackAtOnceWithAZeroInvisibleTime() {
    b.send(message("a", "x"), 0);
    ReceivedMessage m = receive(1).getMessages(0);
    assertThat(change(m.getReceiptHandle(), 0).getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(receive(1).getMessages(0).getDeliveryAttempt()).isEqualTo(2);
  }

  @Test
  void shouldAnswerEachBadHandleWithItsOwnCode() {
    b.send(message("a", "x"), 0);
    String h = receive(1).getMessages(0).getReceiptHandle();
    assertThat(ack("nonsense").getStatus().getCode()).isEqualTo(Code.INVALID_RECEIPT_HANDLE);
    assertThat(ack("").getStatus().getCode()).isEqualTo(Code.INVALID_RECEIPT_HANDLE);
    String otherBroker = h.replaceFirst("^1:[^:]+:", "1:elsewhere:");
    assertThat(ack(otherBroker).getStatus().getCode()).isEqualTo(Code.INVALID_RECEIPT_HANDLE);
    AckResponse otherGroup =
        pop.ack(
            AckRequest.newBuilder()
                .setConsumerGroup("other")
                .setClientId("c1")
                .setReceiptHandle(h)
                .build());
    assertThat(otherGroup.getStatus().getCode()).isEqualTo(Code.INVALID_RECEIPT_HANDLE);
    String[] p = h.split(":");
    p[6] = Long.toString(Long.parseLong(p[6]) + 1000);
    assertThat(ack(String.join(":", p)).getStatus().getCode())
        .as("a seq that was never issued")
        .isEqualTo(Code.RECEIPT_HANDLE_NOT_FOUND);
    assertThat(change(h, -1).getStatus().getCode()).isEqualTo(Code.BAD_REQUEST);
    assertThat(ack(h).getStatus().getCode()).isEqualTo(Code.OK);
  }

  @Test
  void shouldAckABatchWithOneResultPerHandle() {
    b.send(message("a", "x"), 0);
    b.send(message("b", "x"), 0);
    List<ReceivedMessage> got = receive(2).getMessagesList();
    AckBatchResponse r =
        pop.ackBatch(
            AckBatchRequest.newBuilder()
                .setConsumerGroup("g")
                .setClientId("c1")
                .addReceiptHandles(got.get(0).getReceiptHandle())
                .addReceiptHandles("garbage")
                .addReceiptHandles(got.get(0).getReceiptHandle())
                .addReceiptHandles(got.get(1).getReceiptHandle())
                .build());
    assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(r.getResultsList())
        .extracting(s -> s.getCode())
        .containsExactly(
            Code.OK, Code.INVALID_RECEIPT_HANDLE, Code.RECEIPT_HANDLE_NOT_FOUND, Code.OK);
    AckBatchResponse empty =
        pop.ackBatch(AckBatchRequest.newBuilder().setConsumerGroup("g").setClientId("c1").build());
    assertThat(empty.getStatus().getCode()).isEqualTo(Code.BAD_REQUEST);
    clock.advance(Duration.ofMillis(INVISIBLE));
    assertThat(receive(2).getMessagesList()).isEmpty();
  }

  @Test
  void shouldRefuseBadReceives() {
    assertThat(pop.receive(request().setInvisibleDurationMs(10).build()).getStatus().getCode())
        .isEqualTo(Code.BAD_REQUEST);
    assertThat(pop.receive(request().setTopic("missing").build()).getStatus().getCode())
        .isEqualTo(Code.TOPIC_NOT_FOUND);
    assertThat(pop.receive(request().setClientId("").build()).getStatus().getCode())
        .isEqualTo(Code.BAD_REQUEST);
    assertThat(pop.receive(request().setQueueId(7).build()).getStatus().getCode())
        .isEqualTo(Code.QUEUE_NOT_FOUND);
    FilterExpression bad = FilterExpression.newBuilder().setExpression("a || || b").build();
    assertThat(pop.receive(request().setFilter(bad).build()).getStatus().getCode())
        .isEqualTo(Code.ILLEGAL_TAG_EXPRESSION);
  }

  @Test
  void shouldHandOutOnlyMatchingTags() {
    b.send(message("skip", "other"), 0);
    b.send(message("take", "wanted"), 0);
    FilterExpression f = FilterExpression.newBuilder().setExpression("wanted").build();
    List<ReceivedMessage> got = pop.receive(request().setFilter(f).build()).getMessagesList();
    assertThat(got)
        .extracting(m -> m.getMessage().getBody().toStringUtf8())
        .containsExactly("take");
  }

  @Test
  void shouldDeadLetterAfterTheGroupsRetriesExpire() {
    b.send(message("doomed", "x"), 0);
    for (int attempt = 1; attempt <= 3; attempt++) {
      ReceivedMessage m = receive(1).getMessages(0);
      assertThat(m.getDeliveryAttempt()).isEqualTo(attempt);
      clock.advance(Duration.ofMillis(INVISIBLE));
    }
    // the third delivery (two retries) expired too: the sweep moves it to the dead-letter topic
    await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters().getMessagesCount() == 1);
    Message dead = deadLetters().getMessages(0);
    assertThat(dead.getBody().toStringUtf8()).isEqualTo("doomed");
    assertThat(dead.getSystemProperties().getOriginalTopic()).isEqualTo("t");
    assertThat(dead.getSystemProperties().getReconsumeTimes()).isEqualTo(2);
    assertThat(receive(1).getMessagesList()).isEmpty();
  }

  @Test
  void shouldKeepAckedAndUnackedStateAcrossARestart() throws Exception {
    for (int i = 0; i < 4; i++) {
      b.send(message("m" + i, "x"), 0);
    }
    List<ReceivedMessage> got = pop.receive(request().setMaxMessages(3).build()).getMessagesList();
    assertThat(got).hasSize(3);
    ack(got.get(0).getReceiptHandle());
    ack(got.get(2).getReceiptHandle());
    String heldHandle = got.get(1).getReceiptHandle();

    b.close();
    startBroker();

    List<ReceivedMessage> fresh = receive(10).getMessagesList();
    assertThat(fresh)
        .as("only the never-received message; the held one is still invisible")
        .extracting(m -> m.getMessage().getBody().toStringUtf8())
        .containsExactly("m3");
    ack(fresh.get(0).getReceiptHandle());
    clock.advance(Duration.ofMillis(INVISIBLE));
    List<ReceivedMessage> back = receive(10).getMessagesList();
    assertThat(back).extracting(m -> m.getMessage().getBody().toStringUtf8()).containsExactly("m1");
    assertThat(back.get(0).getDeliveryAttempt()).isEqualTo(2);
    assertThat(ack(heldHandle).getStatus().getCode()).isEqualTo(Code.RECEIPT_HANDLE_NOT_FOUND);
  }

  @Test
  void shouldAnswerAWaitingReceiveWhenAMessageArrives() throws Exception {
    CompletableFuture<ReceiveResponse> waiting =
        CompletableFuture.supplyAsync(
            () ->
                pop.withDeadlineAfter(20, TimeUnit.SECONDS)
                    .receive(request().setLongPollTimeoutMs(10_000).build()));
    // the receive parks: nothing to hand out yet
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !waiting.isDone());
    long t0 = System.nanoTime();
    b.send(message("late", "x"), 1);
    ReceiveResponse r = waiting.get(8, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(r.getMessagesList())
        .extracting(m -> m.getMessage().getBody().toStringUtf8())
        .containsExactly("late");
  }

  @Test
  void shouldWakeAWaitingReceiveWhenAnInvisibleTimeEnds() throws Exception {
    // real time here: the wake-up is a timer on the broker's scheduler
    try (TestBroker real = TestBroker.start(dir.resolve("real"))) {
      real.createTopic("t", 1);
      real.send(message("again", "x"), 0);
      var stub = SimpleConsumptionGrpc.newBlockingStub(real.channel);
      ReceiveRequest oneSecond = request().setInvisibleDurationMs(1_000).build();
      assertThat(stub.receive(oneSecond).getMessagesCount()).isEqualTo(1);

      long t0 = System.nanoTime();
      ReceiveResponse r =
          stub.withDeadlineAfter(20, TimeUnit.SECONDS)
              .receive(oneSecond.toBuilder().setLongPollTimeoutMs(10_000).build());
      Duration waited = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(r.getMessagesList()).extracting(m -> m.getDeliveryAttempt()).containsExactly(2);
      assertThat(waited).isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
    }
  }

  private ListDeadLettersResponse deadLetters() {
    return b.admin.listDeadLetters(ListDeadLettersRequest.newBuilder().setGroup("g").build());
  }

  private ReceiveResponse receive(int max) {
    ReceiveResponse r = pop.receive(request().setMaxMessages(max).build());
    assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
    return r;
  }

  private static ReceiveRequest.Builder request() {
    return ReceiveRequest.newBuilder()
        .setConsumerGroup("g")
        .setClientId("c1")
        .setTopic("t")
        .setInvisibleDurationMs(INVISIBLE);
  }

  private AckResponse ack(String handle) {
    return pop.ack(
        AckRequest.newBuilder()
            .setConsumerGroup("g")
            .setClientId("c1")
            .setReceiptHandle(handle)
            .build());
  }

  private ChangeInvisibleDurationResponse change(String handle, long ms) {
    return pop.changeInvisibleDuration(
        ChangeInvisibleDurationRequest.newBuilder()
            .setConsumerGroup("g")
            .setClientId("c1")
            .setReceiptHandle(handle)
            .setInvisibleDurationMs(ms)
            .build());
  }

  private static Message message(String body, String tag) {
    return Message.newBuilder()
        .setTopic("t")
        .setTag(tag)
        .setBody(ByteString.copyFromUtf8(body))
        .build();
  }
}
