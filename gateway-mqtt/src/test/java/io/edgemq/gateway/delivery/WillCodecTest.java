package io.edgemq.gateway.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.gateway.delivery.WillRecord.State;
import io.edgemq.gateway.link.MqttEnvelope;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WillCodecTest {
  private static final MqttEnvelope WILL =
      MqttEnvelope.of("dev/7/status", 1, true, "dev-7", "gone".getBytes(UTF_8));

  @Test
  void shouldRoundTripEveryState() {
    for (WillRecord r :
        new WillRecord[] {
          new WillRecord("dev-7", 42, "gw-1", "alice", State.ARMED, 0, WILL),
          new WillRecord("dev-7", 42, "gw-1", "", State.PENDING, 1_700_000_000_000L, WILL),
          new WillRecord("dev-7", 42, "gw-1", "", State.NONE, 0, null),
          WillRecord.alive("gw-2", 1_700_000_000_123L)
        }) {
      WillRecord back = WillCodec.decode(WillCodec.encode(r));
      assertThat(back).usingRecursiveComparison().ignoringFields("will").isEqualTo(r);
      if (r.will() != null) {
        assertThat(back.will().topic()).isEqualTo("dev/7/status");
        assertThat(back.will().payload()).isEqualTo("gone".getBytes(UTF_8));
        assertThat(back.will().retain()).isTrue();
      } else {
        assertThat(back.will()).isNull();
      }
    }
  }

  @Test
  void shouldRefuseWhatIsNoWillEntry() {
    byte[] alive = WillCodec.encode(WillRecord.alive("gw-2", 1));
    byte[] badMagic = Arrays.copyOf(alive, alive.length);
    badMagic[0] = 'X';
    assertThatThrownBy(() -> WillCodec.decode(badMagic)).hasMessageContaining("bad magic");
    assertThatThrownBy(() -> WillCodec.decode(Arrays.copyOf(alive, alive.length - 3)))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> new WillRecord("", 0, "gw-2", "", State.ALIVE, 1, WILL))
        .hasMessageContaining("has no will");
    assertThatThrownBy(() -> new WillRecord("d", 0, "gw-2", "", State.ARMED, 1, null))
        .hasMessageContaining("needs");
  }
}
