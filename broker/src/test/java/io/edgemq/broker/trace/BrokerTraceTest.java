package io.edgemq.broker.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.edgemq.broker.TestBroker;
import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.GetTopicRequest;
import io.edgemq.protocol.v1.ListTopicsRequest;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.QueryMessageByKeyRequest;
import io.edgemq.protocol.v1.SendBackRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.edgemq.protocol.v1.TraceEvent;
import io.edgemq.protocol.v1.TraceKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's own trace events, read back from %TRACE% by key over the Admin service. */
class BrokerTraceTest {
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
                        .maxRetries(1)
                        .retryBackoff(List.of(Duration.ofMillis(100)))
                        .fifoRetryBackoff(Duration.ofMillis(50))
                        .build()));
    b.createTopic("t", 2);
  }

  @AfterEach
  void stop() throws Exception {
    b.close();
  }

  private static Message message(String body, boolean traced) {
    Message.Builder m =
        Message.newBuilder()
            .setTopic("t")
            .setTag("tg")
            .addKeys("dev-1")
            .setBody(ByteString.copyFromUtf8(body));
    return (traced ? m.setTraceContext("1") : m).build();
  }

  private List<TraceEvent> events(String key) {
    List<TraceEvent> out = new ArrayList<>();
    for (Message m :
        b.admin
            .queryMessageByKey(
                QueryMessageByKeyRequest.newBuilder().setTopic(Traces.TOPIC).setKey(key).build())
            .getMessagesList()) {
      try {
        out.add(TraceEvent.parseFrom(m.getBody()));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    out.sort(Comparator.comparingLong(TraceEvent::getTimestampMs));
    return out;
  }

  @Test
  void shouldCreateTheTraceTopicAsASystemTopicAtStart() {
    assertThat(
            b.admin
                .getTopic(GetTopicRequest.newBuilder().setTopic(Traces.TOPIC).build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.OK);
    assertThat(b.admin.listTopics(ListTopicsRequest.getDefaultInstance()).getTopicsList())
        .extracting(t -> t.getTopic())
        .doesNotContain(Traces.TOPIC);
  }

  @Test
  void shouldWriteAStoreEventForATracedSendOnlyAndKeepTheMarkOnDelivery() {
    SendResponse plain = b.send(message("plain", false), 0);
    SendResponse traced = b.send(message("traced", true), 1);
    String id = traced.getReceipt().getMessageId();

    await().atMost(Duration.ofSeconds(5)).until(() -> events(id).size() == 1);
    TraceEvent e = events(id).get(0);
    assertThat(e.getKind()).isEqualTo(TraceKind.TRACE_KIND_STORE);
    assertThat(e.getTopic()).isEqualTo("t");
    assertThat(e.getTag()).isEqualTo("tg");
    assertThat(e.getKeysList()).containsExactly("dev-1");
    assertThat(e.getGroup()).isEqualTo("p");
    assertThat(e.getBrokerName()).isEqualTo(traced.getReceipt().getQueue().getBrokerName());
    assertThat(e.getQueueId()).isEqualTo(1);
    assertThat(e.getQueueOffset()).isEqualTo(traced.getReceipt().getQueueOffset());
    assertThat(e.getTimestampMs()).isEqualTo(traced.getReceipt().getStoreTimestampMs());
    assertThat(e.getStatus()).isEqualTo("OK");
    // the traced message's key finds the same event; the untraced message has none
    assertThat(events("dev-1")).containsExactly(e);
    assertThat(events(plain.getReceipt().getMessageId())).isEmpty();
    assertThat(b.pull("t", 1, 0).getMessages(0).getTraceContext()).isEqualTo("1");
    assertThat(b.pull("t", 0, 0).getMessages(0).getTraceContext()).isEmpty();
  }

  @Test
  void shouldRefuseAnOversizedTraceContext() {
    Message m = message("x", false).toBuilder().setTraceContext("c".repeat(129)).build();
    assertThat(b.send(m, 0).getStatus().getCode()).isEqualTo(Code.ILLEGAL_MESSAGE);
  }

  @Test
  void shouldWriteRetryInPlaceAndDeadLetterEventsForATracedMessage() {
    String id = b.send(message("fifo", true), 0).getReceipt().getMessageId();
    Message m = b.pull("t", 0, 0).getMessages(0);
    SendBackRequest back =
        SendBackRequest.newBuilder()
            .setConsumerGroup("g")
            .setClientId("c1")
            .setTopic("t")
            .setCommitLogOffset(m.getSystemProperties().getCommitLogOffset())
            .setMessageId(id)
            .setReason("boom")
            .setInPlace(true)
            .build();
    assertThat(b.client.sendBack(back).getReconsumeTimes()).isEqualTo(1);
    assertThat(b.client.sendBack(back.toBuilder().setReconsumeTimes(1).build()).getDeadLettered())
        .isTrue();

    await().atMost(Duration.ofSeconds(5)).until(() -> events(id).size() == 3);
    List<TraceEvent> events = events(id);
    assertThat(events)
        .extracting(TraceEvent::getKind)
        .containsExactly(
            TraceKind.TRACE_KIND_STORE,
            TraceKind.TRACE_KIND_RETRY,
            TraceKind.TRACE_KIND_DEAD_LETTER);
    TraceEvent retry = events.get(1);
    assertThat(retry.getTargetTopic()).isEmpty(); // in place: no copy
    assertThat(retry.getCostMs()).isEqualTo(50);
    assertThat(retry.getReconsumeTimes()).isEqualTo(1);
    assertThat(retry.getClientId()).isEqualTo("c1");
    assertThat(retry.getGroup()).isEqualTo("g");
    assertThat(retry.getStatus()).isEqualTo("boom");
    TraceEvent dead = events.get(2);
    assertThat(dead.getTargetTopic()).isEqualTo("%DLQ%g");
    assertThat(dead.getQueueOffset()).isZero();
    assertThat(dead.getReconsumeTimes()).isEqualTo(1);
    assertThat(dead.getTopic()).isEqualTo("t");
  }
}
