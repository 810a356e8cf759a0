package io.edgemq.nameserver.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NameServerConfigTest {

  @Test
  void shouldDefaultToDocumentedValues() {
    NameServerConfig config = NameServerConfig.builder().build();

    assertThat(config.port()).isEqualTo(9876);
    assertThat(config.brokerExpiry()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.expiryScanInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.kvConfigFile()).isNull();
  }

  @Test
  void shouldTakeEveryKeyFromTheBuilder() {
    NameServerConfig config =
        NameServerConfig.builder()
            .port(0)
            .brokerExpiry(Duration.ofSeconds(30))
            .expiryScanInterval(Duration.ofMillis(100))
            .kvConfigFile(Path.of("kv.txt"))
            .build();

    assertThat(config)
        .isEqualTo(
            new NameServerConfig(
                0, Duration.ofSeconds(30), Duration.ofMillis(100), Path.of("kv.txt")));
  }

  @Test
  void shouldRejectOutOfRangeValuesNamingTheKey() {
    assertThatThrownBy(() -> NameServerConfig.builder().port(65536).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port");
    assertThatThrownBy(() -> NameServerConfig.builder().port(-1).build())
        .hasMessageContaining("port");
    assertThatThrownBy(() -> NameServerConfig.builder().brokerExpiry(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("brokerExpiry");
    assertThatThrownBy(() -> NameServerConfig.builder().brokerExpiry(null).build())
        .hasMessageContaining("brokerExpiry");
    assertThatThrownBy(
            () -> NameServerConfig.builder().expiryScanInterval(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expiryScanInterval");
    assertThatThrownBy(
            () -> NameServerConfig.builder().expiryScanInterval(Duration.ofNanos(10)).build())
        .hasMessageContaining("expiryScanInterval");
  }
}
