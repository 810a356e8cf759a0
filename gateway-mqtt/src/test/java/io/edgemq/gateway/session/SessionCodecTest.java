package io.edgemq.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionCodecTest {
  static final QueueRef Q0 = new QueueRef("telemetry", "broker-a", 0);
  static final QueueRef Q1 = new QueueRef("cmd", "broker-b", 3);

  static SessionState full() {
    return new SessionState(
        "dev-ü-1",
        42L,
        false,
        Long.MAX_VALUE,
        1_700_000_000_000L,
        1_699_000_000_000L,
        List.of(
            new Subscription("dev-ü-1", "a/+/#", null, 2, true, true, 1, 7),
            new Subscription("dev-ü-1", "b/c", "grp", 1, false, false, 2, 0)),
        Map.of(Q0, 10L, Q1, 0L),
        List.of(new SessionState.Inflight(5, Q0, 9, true)),
        Set.of(3, 65_535));
  }

  @Test
  void roundTripsEveryField() {
    SessionState s = full();
    SessionState back = SessionCodec.decode(SessionCodec.encode(s));
    assertThat(back).isEqualTo(s);
    // Subscription.equals compares identity only: check the options one by one
    for (int i = 0; i < s.subscriptions().size(); i++) {
      assertThat(back.subscriptions().get(i))
          .usingRecursiveComparison()
          .isEqualTo(s.subscriptions().get(i));
    }
  }

  @Test
  void roundTripsAnEndedRecord() {
    SessionState s = SessionState.ended("x", 7, 100, 123);
    assertThat(SessionCodec.decode(SessionCodec.encode(s))).isEqualTo(s);
    assertThat(s.expiredAt(123)).isTrue();
  }

  @Test
  void everyTruncationIsRefusedWithAReason() {
    byte[] b = SessionCodec.encode(full());
    for (int n = 0; n < b.length; n++) {
      byte[] cut = Arrays.copyOf(b, n);
      assertThatThrownBy(() -> SessionCodec.decode(cut))
          .as("cut at %d", n)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("session record");
    }
  }

  @Test
  void badMagicUnknownFormatAndTrailingBytesAreRefused() {
    byte[] b = SessionCodec.encode(full());
    byte[] magic = b.clone();
    magic[0] = 'X';
    assertThatThrownBy(() -> SessionCodec.decode(magic)).hasMessageContaining("bad magic");
    byte[] format = b.clone();
    format[2] = 9;
    assertThatThrownBy(() -> SessionCodec.decode(format)).hasMessageContaining("format 9");
    byte[] longer = Arrays.copyOf(b, b.length + 1);
    assertThatThrownBy(() -> SessionCodec.decode(longer)).hasMessageContaining("extra bytes");
  }

  @Test
  void expiry_countsFromLastSeen() {
    SessionState s =
        new SessionState("c", 1, false, 1000, 5000, 0, List.of(), Map.of(), List.of(), Set.of());
    assertThat(s.expiredAt(5999)).isFalse();
    assertThat(s.expiredAt(6000)).isTrue();
    assertThat(full().expiredAt(Long.MAX_VALUE - 1)).as("never").isFalse();
  }
}
