package io.edgemq.gateway.it;

import static org.awaitility.Awaitility.await;

import io.edgemq.broker.api.Broker;
import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.gateway.api.Gateway;
import io.edgemq.gateway.api.GatewayConfig;
import io.edgemq.gateway.auth.AuthenticatorConfig;
import io.edgemq.gateway.link.ClientBrokerLink;
import io.edgemq.gateway.mapping.MappingRule;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import io.edgemq.store.api.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real nameserver, a real broker and one or more gateway nodes in this JVM, on free ports, with
 * small stores under a test directory. Devices connect with real MQTT client libraries.
 */
final class GatewayFixture implements AutoCloseable {
  static final List<MappingRule> RULES =
      List.of(new MappingRule("factory/+/+/telemetry/#", "telemetry", "{4}", "{2}"));

  final Path dir;
  final NameServer nameServer;
  Broker broker;
  final List<ClientBrokerLink> links = new ArrayList<>();
  final List<Gateway> gateways = new ArrayList<>();

  GatewayFixture(Path dir) throws IOException {
    this.dir = dir;
    this.nameServer =
        NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC());
    this.broker = startBroker(0);
    try (Admin admin = Admin.builder().clientConfig(clientConfig()).build()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> !admin.brokerNames().isEmpty());
    }
  }

  Broker startBroker(int port) throws IOException {
    Path d = dir.resolve("broker");
    BrokerConfig config =
        BrokerConfig.builder(d)
            .brokerName("broker-a")
            .listenHost("127.0.0.1")
            .port(port)
            .autoCreateTopics(true)
            .nameServers(List.of(new InetSocketAddress("127.0.0.1", nameServer.port())))
            .heartbeatInterval(Duration.ofSeconds(1))
            .clientHeartbeatInterval(Duration.ofMillis(300))
            .memberTimeout(Duration.ofSeconds(2))
            .offsetFlushInterval(Duration.ofMillis(200))
            .longPollMax(Duration.ofSeconds(2))
            .storeConfig(
                StoreConfig.builder(d.resolve("store"))
                    .commitLogSegmentBytes(4 << 20)
                    .maxMessageBytes(256 * 1024)
                    .consumeQueueUnitsPerFile(4096)
                    .indexSlotCount(1024)
                    .indexEntriesPerFile(8192)
                    .flushInterval(Duration.ofMillis(20))
                    .diskCleanRatio(1.0)
                    .diskRefuseWritesRatio(1.0)
                    .build())
            .build();
    return Broker.start(config, Clock.systemUTC());
  }

  ClientConfig clientConfig() {
    return ClientConfig.builder()
        .nameServers("127.0.0.1:" + nameServer.port())
        .requestTimeout(Duration.ofSeconds(3))
        .routeRefreshInterval(Duration.ofMillis(300))
        .build();
  }

  /** Starts a gateway node with anonymous access and the test mapping rules. */
  Gateway gateway(String nodeId) throws IOException {
    return gateway(nodeId, b -> b);
  }

  Gateway gateway(String nodeId, UnaryOperator<GatewayConfig.Builder> tweak) throws IOException {
    return gateway(nodeId, tweak, null);
  }

  /** Starts a gateway node whose meters go to {@code registry} (null: none). */
  Gateway gateway(
      String nodeId,
      UnaryOperator<GatewayConfig.Builder> tweak,
      io.micrometer.core.instrument.MeterRegistry registry)
      throws IOException {
    ClientBrokerLink link =
        ClientBrokerLink.builder()
            .clientConfig(clientConfig())
            .nodeId(nodeId)
            .createTopics(4)
            .build();
    links.add(link);
    GatewayConfig.Builder b =
        GatewayConfig.builder()
            .nodeId(nodeId)
            .host("127.0.0.1")
            .mqttPort(0)
            .wsPort(0)
            .mappingRules(RULES)
            .auth(AuthenticatorConfig.builder().allowAnonymous(true).build());
    Gateway g = Gateway.start(tweak.apply(b).build(), link, Clock.systemUTC(), registry);
    gateways.add(g);
    return g;
  }

  /**
   * Stops a gateway node and its broker link (a clean stop: sessions are written to the brokers).
   *
   * @param g the node
   */
  void stop(Gateway g) {
    int i = gateways.indexOf(g);
    g.close();
    links.get(i).close();
    gateways.remove(i);
    links.remove(i);
  }

  @Override
  public void close() throws IOException {
    for (Gateway g : gateways) {
      g.close();
    }
    for (ClientBrokerLink l : links) {
      l.close();
    }
    if (broker != null) {
      broker.close();
    }
    nameServer.close();
  }
}
