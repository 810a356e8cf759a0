package io.edgemq.client.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class MessageTest {

  private static Message.Builder valid() {
    return Message.builder().topic("telemetry").body("x".getBytes(UTF_8));
  }

  @Test
  void shouldKeepEveryField() {
    Message m =
        valid()
            .tag("temp")
            .keys("dev-1", "dev-2")
            .property("unit", "C")
            .messageGroup("dev-1")
            .messageId("0123456789abcdef0123456789ABCDEF")
            .build();
    assertThat(m.topic()).isEqualTo("telemetry");
    assertThat(m.tag()).contains("temp");
    assertThat(m.keys()).containsExactly("dev-1", "dev-2");
    assertThat(m.properties()).containsEntry("unit", "C");
    assertThat(m.messageGroup()).contains("dev-1");
    assertThat(m.messageId()).contains("0123456789abcdef0123456789ABCDEF");
    assertThat(m.toBuilder().build()).isEqualTo(m).hasSameHashCodeAs(m);
  }

  @Test
  void shouldBeImmutable() {
    byte[] body = {1, 2, 3};
    Message m = Message.builder().topic("t").body(body).build();
    body[0] = 9;
    assertThat(m.bodyBytes()).containsExactly(1, 2, 3);
    m.bodyBytes()[1] = 9;
    assertThat(m.bodyBytes()).containsExactly(1, 2, 3);
    assertThat(m.body().isReadOnly()).isTrue();
    assertThatThrownBy(() -> m.keys().add("k")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.properties().put("a", "b"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldTreatEmptyTagAndGroupAsNone() {
    Message m = valid().tag("").messageGroup("").build();
    assertThat(m.tag()).isEmpty();
    assertThat(m.messageGroup()).isEmpty();
  }

  @Test
  void shouldRejectBadTopic() {
    assertThatThrownBy(() -> valid().topic(null).build()).hasMessageContaining("topic");
    assertThatThrownBy(() -> valid().topic("a b").build()).hasMessageContaining("topic=a b");
    assertThatThrownBy(() -> valid().topic("x".repeat(128)).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRejectMissingBody() {
    assertThatThrownBy(() -> Message.builder().topic("t").build()).hasMessageContaining("body");
  }

  @Test
  void shouldRejectBadTags() {
    assertThatThrownBy(() -> valid().tag("*").build()).hasMessageContaining("tag=*");
    assertThatThrownBy(() -> valid().tag("a||b").build()).hasMessageContaining("tag=a||b");
    assertThatThrownBy(() -> valid().tag("x".repeat(1025)).build()).hasMessageContaining("1 KiB");
  }

  @Test
  void shouldRejectBadKeys() {
    assertThatThrownBy(() -> valid().keys(Collections.nCopies(65, "k")).build())
        .hasMessageContaining("65 keys");
    assertThatThrownBy(() -> valid().keys("").build()).hasMessageContaining("key=");
  }

  @Test
  void shouldRejectBadProperties() {
    assertThatThrownBy(() -> valid().property("%sys.x", "v").build()).hasMessageContaining("%sys.");
    assertThatThrownBy(() -> valid().property("big", "v".repeat(32 * 1024)).build())
        .hasMessageContaining("32 KiB");
  }

  @Test
  void shouldRejectBadMessageId() {
    assertThatThrownBy(() -> valid().messageId("xyz").build()).hasMessageContaining("32 hex");
  }

  @Test
  void shouldCarryADelayOrADeliveryTimeButNotBothAndNotOnAFifoMessage() {
    java.time.Instant at = java.time.Instant.ofEpochMilli(1_800_000_000_000L);
    Message timer = Message.builder().topic("t").body(new byte[0]).deliverAt(at).build();
    assertThat(timer.deliverAt()).contains(at);
    assertThat(timer.toBuilder().build()).isEqualTo(timer);
    assertThat(Message.builder().topic("t").body(new byte[0]).delayLevel(3).build().delayLevel())
        .isEqualTo(3);
    assertThatThrownBy(
            () ->
                Message.builder().topic("t").body(new byte[0]).deliverAt(at).delayLevel(1).build())
        .hasMessageContaining("delayLevel");
    assertThatThrownBy(
            () ->
                Message.builder()
                    .topic("t")
                    .body(new byte[0])
                    .messageGroup("g")
                    .delayLevel(1)
                    .build())
        .hasMessageContaining("messageGroup");
    assertThatThrownBy(() -> Message.builder().topic("t").body(new byte[0]).delayLevel(-1).build())
        .hasMessageContaining("delayLevel");
  }
}
