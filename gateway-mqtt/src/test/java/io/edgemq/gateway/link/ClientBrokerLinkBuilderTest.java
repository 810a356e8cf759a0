package io.edgemq.gateway.link;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.client.api.ClientConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientBrokerLinkBuilderTest {
  private static final ClientConfig CONFIG =
      ClientConfig.builder().nameServers("127.0.0.1:1").build();

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"gw 1", "gw/1", "gw.1", "ü", "12345678901234567890123456789012345678901"})
  void build_refusesABadNodeId(String nodeId) {
    assertThatThrownBy(() -> ClientBrokerLink.builder().clientConfig(CONFIG).nodeId(nodeId).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nodeId=")
        .hasMessageContaining("[A-Za-z0-9_-]");
  }

  @Test
  void build_namesEveryOtherBadOption() {
    assertThatThrownBy(() -> ClientBrokerLink.builder().nodeId("gw-1").build())
        .hasMessageContaining("clientConfig");
    assertThatThrownBy(
            () ->
                ClientBrokerLink.builder()
                    .clientConfig(CONFIG)
                    .nodeId("gw-1")
                    .createTopics(-1)
                    .build())
        .hasMessageContaining("createTopics=-1");
    assertThatThrownBy(
            () ->
                ClientBrokerLink.builder()
                    .clientConfig(CONFIG)
                    .nodeId("gw-1")
                    .feedDiscoveryInterval(Duration.ZERO)
                    .build())
        .hasMessageContaining("feedDiscoveryInterval");
    assertThatThrownBy(
            () ->
                ClientBrokerLink.builder()
                    .clientConfig(CONFIG)
                    .nodeId("gw-1")
                    .sharedConsumeThreads(0)
                    .build())
        .hasMessageContaining("sharedConsumeThreads");
  }
}
