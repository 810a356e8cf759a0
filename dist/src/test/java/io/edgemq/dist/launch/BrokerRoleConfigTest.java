package io.edgemq.dist.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.dist.config.ConfigException;
import io.edgemq.dist.config.Role;
import io.edgemq.dist.config.SettingsLoader;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker keys reach the broker's typed config, and values that do not fit are refused. */
class BrokerRoleConfigTest {
  private final SettingsLoader loader = new SettingsLoader(EnumSet.of(Role.BROKER), Map.of());

  @Test
  void shouldUseTheBrokersOwnRetryAndDelayDefaults() throws ConfigException {
    BrokerConfig c = BrokerRole.config(loader.load(null, Map.of()));

    assertThat(c.delivery()).isEqualTo(DeliveryConfig.defaults());
  }

  @Test
  void shouldPassTheRetryAndDelayKeysToTheBroker() throws ConfigException {
    BrokerConfig c =
        BrokerRole.config(
            loader.load(
                null,
                Map.of(
                    "broker.maxRetries", "3",
                    "broker.retryBackoff", "1s, 2s,5m",
                    "broker.fifoRetryBackoff", "250ms",
                    "broker.delayLevels", "2s",
                    "broker.timerMaxDelay", "1d",
                    "broker.timerRollWindow", "12h")));

    DeliveryConfig d = c.delivery();
    assertThat(d.maxRetries()).isEqualTo(3);
    assertThat(d.retryBackoff())
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(5));
    assertThat(d.fifoRetryBackoff()).isEqualTo(Duration.ofMillis(250));
    assertThat(d.delayLevels()).isEqualTo(List.of(Duration.ofSeconds(2)));
    assertThat(d.timerMaxDelay()).isEqualTo(Duration.ofDays(1));
    assertThat(d.timerRollWindow()).isEqualTo(Duration.ofHours(12));
  }

  @Test
  void shouldRefuseBadLevelsNamingTheKey() {
    assertThatThrownBy(() -> loader.load(null, Map.of("broker.retryBackoff", "10s,,30s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("broker.retryBackoff=10s,,30s");
    assertThatThrownBy(() -> loader.load(null, Map.of("broker.maxRetries", "65")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("broker.maxRetries=65");
  }

  @Test
  void shouldRefuseARollWindowThatRetentionWouldOutrun() throws ConfigException {
    var s =
        loader.load(null, Map.of("broker.store.retention", "24h", "broker.timerRollWindow", "24h"));

    assertThatThrownBy(() -> BrokerRole.config(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timerRollWindow");
  }
}
