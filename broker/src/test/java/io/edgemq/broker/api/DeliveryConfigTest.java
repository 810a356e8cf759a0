package io.edgemq.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.store.api.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryConfigTest {

  @Test
  void shouldDefaultToRocketMqLevels() {
    DeliveryConfig d = DeliveryConfig.defaults();
    assertThat(d.maxRetries()).isEqualTo(16);
    assertThat(d.retryBackoff()).hasSize(16);
    assertThat(d.retryBackoff().get(0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.retryBackoff().get(15)).isEqualTo(Duration.ofHours(2));
    assertThat(d.fifoRetryBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.delayLevels()).hasSize(18);
    assertThat(d.delayLevels().get(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.delayLevels().get(17)).isEqualTo(Duration.ofHours(2));
    assertThat(d.timerMaxDelay()).isEqualTo(Duration.ofDays(3));
    assertThat(d.timerRollWindow()).isEqualTo(Duration.ofDays(1));
    assertThat(BrokerConfig.builder(Path.of("/tmp/x")).build().delivery()).isEqualTo(d);
  }

  @Test
  void shouldNameTheKeyOfEveryBadValue() {
    assertThatThrownBy(() -> DeliveryConfig.builder().maxRetries(65).build())
        .hasMessageContaining("maxRetries=65");
    assertThatThrownBy(() -> DeliveryConfig.builder().retryBackoff(List.of()).build())
        .hasMessageContaining("retryBackoff");
    assertThatThrownBy(() -> DeliveryConfig.builder().fifoRetryBackoff(Duration.ZERO).build())
        .hasMessageContaining("fifoRetryBackoff");
    assertThatThrownBy(
            () -> DeliveryConfig.builder().delayLevels(List.of(Duration.ofDays(2))).build())
        .hasMessageContaining("delayLevels");
    assertThatThrownBy(() -> DeliveryConfig.builder().timerMaxDelay(Duration.ZERO).build())
        .hasMessageContaining("timerMaxDelay");
    assertThatThrownBy(
            () -> DeliveryConfig.builder().timerRollWindow(Duration.ofSeconds(5)).build())
        .hasMessageContaining("timerRollWindow");
  }

  @Test
  void shouldRefuseARollWindowThatTheStoresRetentionWouldOutlast() {
    Path dir = Path.of("/tmp/x");
    assertThatThrownBy(
            () ->
                BrokerConfig.builder(dir)
                    .storeConfig(StoreConfig.builder(dir).retention(Duration.ofHours(24)).build())
                    .build())
        .hasMessageContaining("timerRollWindow")
        .hasMessageContaining("retention");
  }
}
