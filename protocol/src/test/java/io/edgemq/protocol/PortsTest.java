package io.edgemq.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void shouldUseTheDesignDefaults() {
    assertThat(Ports.NAMESERVER).isEqualTo(9876);
    assertThat(Ports.BROKER).isEqualTo(10911);
    assertThat(Ports.BROKER_HA).isEqualTo(10912);
    assertThat(Ports.BROKER_ROCKETMQ).isEqualTo(8081);
    assertThat(List.of(Ports.MQTT, Ports.MQTT_TLS, Ports.MQTT_WS, Ports.MQTT_WSS))
        .containsExactly(1883, 8883, 8083, 8084);
    assertThat(Ports.HTTP).isEqualTo(8080);
  }

  @Test
  void shouldGiveEveryEndpointItsOwnPort() {
    List<Integer> ports =
        Arrays.stream(Ports.class.getFields())
            .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == int.class)
            .map(PortsTest::value)
            .toList();

    assertThat(ports).hasSize(9).doesNotHaveDuplicates().allMatch(p -> p > 0 && p < 65536);
  }

  private static int value(Field f) {
    try {
      return f.getInt(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
