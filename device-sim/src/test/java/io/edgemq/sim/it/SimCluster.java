package io.edgemq.sim.it;

import static org.awaitility.Awaitility.await;

import io.edgemq.broker.api.Broker;
import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.gateway.api.Gateway;
import io.edgemq.gateway.api.GatewayConfig;
import io.edgemq.gateway.auth.AuthenticatorConfig;
import io.edgemq.gateway.link.ClientBrokerLink;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import io.edgemq.store.api.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real nameserver, broker and gateway in the test JVM on free ports, with a small store in a test
 * directory (the minimal start logic of the gateway module's GatewayFixture). No mapping rules: the
 * default mapping puts {@code factory/...} into broker topic {@code factory}.
 */
final class SimCluster implements AutoCloseable {
  final NameServer nameServer;
  final Broker broker;
  final ClientBrokerLink link;
  final Gateway gateway;

  SimCluster(Path dir) throws IOException {
    this(dir, b -> b.auth(AuthenticatorConfig.builder().allowAnonymous(true).build()));
  }

  /** With the gateway's configuration changed (TLS, password file). */
  SimCluster(Path dir, UnaryOperator<GatewayConfig.Builder> gatewayTweak) throws IOException {
    nameServer = NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC());
    broker = Broker.start(brokerConfig(dir), Clock.systemUTC());
    try (Admin admin = Admin.builder().clientConfig(clientConfig()).build()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> !admin.brokerNames().isEmpty());
    }
    link =
        ClientBrokerLink.builder()
            .clientConfig(clientConfig())
            .nodeId("gw1")
            .createTopics(4)
            .build();
    gateway =
        Gateway.start(
            gatewayTweak
                .apply(
                    GatewayConfig.builder().nodeId("gw1").host("127.0.0.1").mqttPort(0).wsPort(-1))
                .build(),
            link,
            Clock.systemUTC());
  }

  private BrokerConfig brokerConfig(Path dir) {
    Path d = dir.resolve("broker");
    return BrokerConfig.builder(d)
        .brokerName("broker-a")
        .listenHost("127.0.0.1")
        .port(0)
        .autoCreateTopics(true)
        .nameServers(List.of(new InetSocketAddress("127.0.0.1", nameServer.port())))
        .heartbeatInterval(Duration.ofSeconds(1))
        .clientHeartbeatInterval(Duration.ofMillis(300))
        .memberTimeout(Duration.ofSeconds(2))
        .offsetFlushInterval(Duration.ofMillis(200))
        .longPollMax(Duration.ofSeconds(2))
        .storeConfig(
            StoreConfig.builder(d.resolve("store"))
                .commitLogSegmentBytes(16 << 20)
                .maxMessageBytes(256 * 1024)
                .consumeQueueUnitsPerFile(8192)
                .indexSlotCount(4096)
                .indexEntriesPerFile(32768)
                .flushInterval(Duration.ofMillis(20))
                .diskCleanRatio(1.0)
                .diskRefuseWritesRatio(1.0)
                .build())
        .build();
  }

  String nameServerAddress() {
    return "127.0.0.1:" + nameServer.port();
  }

  String gatewayAddress() {
    return "127.0.0.1:" + gateway.port("mqtt");
  }

  ClientConfig clientConfig() {
    return ClientConfig.builder()
        .nameServers(nameServerAddress())
        .requestTimeout(Duration.ofSeconds(3))
        .routeRefreshInterval(Duration.ofMillis(300))
        .build();
  }

  @Override
  public void close() throws IOException {
    gateway.close();
    link.close();
    broker.close();
    nameServer.close();
  }
}
