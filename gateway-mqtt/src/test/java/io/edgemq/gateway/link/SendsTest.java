package io.edgemq.gateway.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.SendResult;
import io.edgemq.gateway.mapping.Route;
import io.edgemq.protocol.v1.Code;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SendsTest {
  private static final MessageQueue QUEUE = new MessageQueue("t", "broker-a", 0);
  private static final String ID = "0123456789abcdef0123456789abcdef";

  @Test
  void message_takesTopicTagKeysGroupPropertiesAndPayload() {
    MqttEnvelope e = MqttEnvelope.of("factory/l1/dev7/telemetry", 1, false, "dev7", new byte[] {7});
    Message m = Sends.message(new Route("telemetry", "temp", List.of("dev7", "l1")), e, "dev7");
    assertThat(m.topic()).isEqualTo("telemetry");
    assertThat(m.tag()).contains("temp");
    assertThat(m.keys()).containsExactly("dev7", "l1");
    assertThat(m.messageGroup()).contains("dev7");
    assertThat(m.bodyBytes()).containsExactly(7);
    assertThat(m.properties()).isEqualTo(MqttProperties.encode(e));
  }

  @Test
  void message_withoutTagOrGroup() {
    Message m =
        Sends.message(
            new Route("t", null, List.of()),
            MqttEnvelope.of("a", 0, false, null, new byte[0]),
            null);
    assertThat(m.tag()).isEmpty();
    assertThat(m.messageGroup()).isEmpty();
  }

  @Test
  void messageGroup_longerThanTheBrokerTakes_isAStableHash() {
    String id = "c".repeat(5000);
    assertThat(Sends.messageGroup(id))
        .isEqualTo(Sends.messageGroup(id))
        .isNotEqualTo(Sends.messageGroup(id + "x"))
        .hasSizeLessThanOrEqualTo(Message.MAX_TAG_BYTES);
    assertThat(Sends.messageGroup("c".repeat(1024))).isEqualTo("c".repeat(1024));
  }

  @Test
  void messageId_ofADurableResult() {
    assertThat(Sends.messageId(new SendResult(ID, QUEUE, 3, 0, Code.OK))).isEqualTo(ID);
  }

  @ParameterizedTest
  @EnumSource(
      value = Code.class,
      names = {"FLUSH_TIMEOUT", "REPLICATION_TIMEOUT"})
  void messageId_ofAWrittenButUnconfirmedResult_failsNotRefused(Code code) {
    assertThatThrownBy(() -> Sends.messageId(new SendResult(ID, QUEUE, 3, 0, code)))
        .isInstanceOfSatisfying(LinkException.class, e -> assertThat(e.refused()).isFalse())
        .hasMessageContaining(code.name());
  }

  @ParameterizedTest
  @CsvSource({
    "BAD_REQUEST, true",
    "ILLEGAL_TOPIC, true",
    "ILLEGAL_MESSAGE, true",
    "MESSAGE_TOO_LARGE, true",
    "NO_WRITE_PERMISSION, true",
    "TOPIC_NOT_FOUND, true",
    "QUEUE_NOT_FOUND, false",
    "SERVICE_UNAVAILABLE, false",
    "TOO_MANY_REQUESTS, false",
    "DISK_FULL, false",
    "NOT_LEADER, false",
    "INTERNAL, false",
    "ALREADY_EXISTS, false"
  })
  void failure_refusedOnlyWhenTheSameMessageGetsTheSameAnswer(Code code, boolean refused) {
    LinkException e =
        Sends.failure(new CompletionException(new ClientException(code.getNumber(), "x")));
    assertThat(e.refused()).isEqualTo(refused);
    assertThat(e.getMessage()).contains(code.name());
  }

  @Test
  void failure_transportAndUnknownAreNotRefusals() {
    assertThat(
            Sends.failure(
                    new ClientException(
                        Code.SERVICE_UNAVAILABLE_VALUE, "down", true, new RuntimeException()))
                .refused())
        .isFalse();
    assertThat(Sends.failure(new ClientException(150, "new invalid code")).refused()).isTrue();
    assertThat(Sends.failure(new ClientException(777, "unknown")).refused()).isFalse();
    assertThat(Sends.failure(new IllegalStateException("bug")).refused()).isFalse();
  }

  @Test
  void failure_keepsALinkException() {
    LinkException le = new LinkException("x", true, null);
    assertThat(Sends.failure(new CompletionException(le))).isSameAs(le);
  }
}
