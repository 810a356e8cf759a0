package io.edgemq.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BrokerConfigTest {
  private static final Path DIR = Path.of("/tmp/unused-broker-dir");

  @Test
  void shouldHaveTheDocumentedDefaults() {
    BrokerConfig c = BrokerConfig.builder(DIR).build();
    assertThat(c.port()).isEqualTo(10911);
    assertThat(c.brokerId()).isZero();
    assertThat(c.isMaster()).isTrue();
    assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.autoCreateTopics()).isFalse();
    assertThat(c.defaultQueueCount()).isEqualTo(8);
    assertThat(c.longPollMax()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.clientHeartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.memberTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.nameServers()).isEmpty();
    assertThat(c.storeConfig().storePath()).isEqualTo(DIR.resolve("store"));
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("brokerName", b -> b.brokerName("a b")),
        bad("clusterName", b -> b.clusterName("")),
        bad("brokerId", b -> b.brokerId(-1)),
        bad("port", b -> b.port(70000)),
        bad("advertisedHost", b -> b.advertisedHost(" ")),
        bad("heartbeatInterval", b -> b.heartbeatInterval(Duration.ZERO)),
        bad("defaultQueueCount", b -> b.defaultQueueCount(0)),
        bad("defaultQueueCount", b -> b.defaultQueueCount(1025)),
        bad("longPollMax", b -> b.longPollMax(Duration.ofSeconds(-1))),
        bad("memberTimeout", b -> b.memberTimeout(Duration.ofSeconds(1))),
        bad("nameServers", b -> b.nameServers(null)));
  }

  private static Arguments bad(String key, UnaryOperator<BrokerConfig.Builder> f) {
    return Arguments.of(key, f);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void shouldRefuseABadValueNamingItsKey(String key, UnaryOperator<BrokerConfig.Builder> f) {
    assertThatThrownBy(() -> f.apply(BrokerConfig.builder(DIR)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broker config " + key + "=");
  }
}
