package io.edgemq.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.edgemq.protocol.Codes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readable round trips of the main messages, and the forward-compatibility rules in practice. */
class MessageContractTest {

  private static Message telemetry() {
    return Message.newBuilder()
        .setTopic("telemetry")
        .setTag("temp")
        .addAllKeys(List.of("dev-42", "line-3"))
        .putUserProperties("mqtt.topic", "factory/line-3/dev-42/telemetry/temp")
        .putUserProperties("mqtt.qos", "1")
        .setBody(ByteString.copyFromUtf8("{\"c\":21.5}"))
        .setMessageGroup("dev-42")
        .setBornTimestampMs(1_700_000_000_123L)
        .setBornHost(Address.newBuilder().setHost("fd00::7").setPort(51234))
        .setMessageId("0123456789abcdef0123456789abcdef")
        .build();
  }

  @Test
  void shouldKeepEveryPartOfASentMessage() throws InvalidProtocolBufferException {
    SendRequest request =
        SendRequest.newBuilder()
            .setProducerGroup("gateway-mqtt")
            .setClientId("10.0.0.7@4711@gw-1")
            .setMessage(telemetry())
            .setQueueId(3)
            .build();

    SendRequest parsed = SendRequest.parseFrom(request.toByteArray());

    assertThat(parsed).isEqualTo(request);
    assertThat(parsed.hasQueueId()).isTrue();
    assertThat(parsed.getQueueId()).isEqualTo(3);
    Message m = parsed.getMessage();
    assertThat(m.getKeysList()).containsExactly("dev-42", "line-3");
    assertThat(m.getUserPropertiesMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("mqtt.topic", "factory/line-3/dev-42/telemetry/temp", "mqtt.qos", "1"));
    assertThat(m.getBody().toStringUtf8()).isEqualTo("{\"c\":21.5}");
    assertThat(m.getBornHost().getHost()).isEqualTo("fd00::7");
  }

  @Test
  void shouldTellAnAbsentQueueIdFromQueueZero() throws InvalidProtocolBufferException {
    SendRequest brokerPicks = SendRequest.newBuilder().setMessage(telemetry()).build();
    SendRequest queueZero = brokerPicks.toBuilder().setQueueId(0).build();

    assertThat(SendRequest.parseFrom(brokerPicks.toByteArray()).hasQueueId()).isFalse();
    assertThat(SendRequest.parseFrom(queueZero.toByteArray()).hasQueueId()).isTrue();
  }

  @Test
  void shouldCarryFirstAvailableOffsetWithOffsetGone() throws InvalidProtocolBufferException {
    PullResponse gone =
        PullResponse.newBuilder()
            .setStatus(Codes.status(Code.OFFSET_GONE, "offset 10 < first available 500"))
            .setNextOffset(500)
            .setMinOffset(500)
            .setMaxOffset(900)
            .build();

    PullResponse parsed = PullResponse.parseFrom(gone.toByteArray());

    assertThat(parsed.getStatus().getCode()).isEqualTo(Code.OFFSET_GONE);
    assertThat(parsed.getNextOffset()).isEqualTo(500);
    assertThat(parsed.getMessagesList()).isEmpty();
  }

  @Test
  void shouldKeepFieldsOfANewerVersionThroughAnOlderReader() throws IOException {
    byte[] current = SendRequest.newBuilder().setMessage(telemetry()).build().toByteArray();
    // What a later version might add: field 99, a string.
    ByteArrayOutputStream newer = new ByteArrayOutputStream();
    newer.write(current);
    CodedOutputStream out = CodedOutputStream.newInstance(newer);
    out.writeString(99, "from the future");
    out.flush();

    SendRequest parsed = SendRequest.parseFrom(newer.toByteArray());

    assertThat(parsed.getMessage()).isEqualTo(telemetry());
    assertThat(parsed.getUnknownFields().getField(99).getLengthDelimitedList())
        .containsExactly(ByteString.copyFromUtf8("from the future"));
    assertThat(parsed.toByteArray()).isEqualTo(newer.toByteArray());
  }

  @Test
  void shouldKeepTheNumberOfAnUnknownCode() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeEnum(Status.CODE_FIELD_NUMBER, 577);
    out.writeString(Status.MESSAGE_FIELD_NUMBER, "a code added later");
    out.flush();

    Status parsed = Status.parseFrom(bytes.toByteArray());

    assertThat(parsed.getCode()).isEqualTo(Code.UNRECOGNIZED);
    assertThat(parsed.getCodeValue()).isEqualTo(577);
    assertThat(Codes.kind(parsed)).isEqualTo(Codes.Kind.UNAVAILABLE);
  }

  @Test
  void shouldReadAMissingStatusAsUnspecifiedNotOk() throws InvalidProtocolBufferException {
    SendResponse empty = SendResponse.parseFrom(new byte[0]);

    assertThat(empty.getStatus().getCode()).isEqualTo(Code.CODE_UNSPECIFIED);
    assertThat(Codes.isOk(empty.getStatus())).isFalse();
    assertThat(Codes.kind(empty.getStatus())).isEqualTo(Codes.Kind.INTERNAL);
  }

  @Test
  void shouldStartEveryResponseWithStatus() {
    for (Descriptor type : Contracts.messageTypes()) {
      if (!type.getName().endsWith("Response")) {
        continue;
      }
      if (type.getName().endsWith("StreamResponse")
          && type.findFieldByNumber(1) != null
          && type.findFieldByNumber(1).getContainingOneof() != null) {
        // a push stream (CommandStream): each response is one of several commands, no status
        continue;
      }
      if (type.getName().equals("SendStreamResponse")) {
        // answers on a stream: each carries its send's id, then the unary answer (with the status)
        Descriptor answer = type.findFieldByName("answers").getMessageType();
        assertThat(answer.findFieldByNumber(1).getName()).isEqualTo("request_id");
        assertThat(answer.findFieldByNumber(2).getMessageType().getName()).endsWith("Response");
        continue;
      }
      FieldDescriptor first = type.findFieldByNumber(1);
      assertThat(first).as(type.getName() + " field 1").isNotNull();
      assertThat(first.getName()).as(type.getName() + " field 1").isEqualTo("status");
      assertThat(first.getMessageType()).isEqualTo(Status.getDescriptor());
    }
  }

  @Test
  void shouldPairEveryRpcWithItsOwnRequestAndResponse() {
    Contracts.services()
        .forEach(
            s ->
                s.getMethods()
                    .forEach(
                        m -> {
                          assertThat(m.getInputType().getName())
                              .as(m.getFullName())
                              .isEqualTo(m.getName() + "Request");
                          assertThat(m.getOutputType().getName())
                              .as(m.getFullName())
                              .isEqualTo(m.getName() + "Response");
                          // only *Stream calls stream, in both directions
                          boolean stream = m.getName().endsWith("Stream");
                          assertThat(m.isClientStreaming()).as(m.getFullName()).isEqualTo(stream);
                          assertThat(m.isServerStreaming()).as(m.getFullName()).isEqualTo(stream);
                        }));
  }
}
