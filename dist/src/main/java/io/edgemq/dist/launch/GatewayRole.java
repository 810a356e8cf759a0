package io.edgemq.dist.launch;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.dist.config.Keys;
import io.edgemq.dist.config.Settings;
import io.edgemq.dist.http.SessionsJson;
import io.edgemq.gateway.api.Gateway;
import io.edgemq.gateway.api.GatewayConfig;
import io.edgemq.gateway.auth.AuthenticatorConfig;
import io.edgemq.gateway.link.ClientBrokerLink;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Starts an MQTT gateway node, linked to the brokers through the Java client. */
public final class GatewayRole implements RoleStarter {
  /** Where the HTTP port serves the node's sessions ({@code edgemq admin gateway sessions}). */
  public static final String SESSIONS_PATH = "/api/gateway/sessions";

  @Override
  public void check(Settings s) {
    config(s);
  }

  @Override
  public Started start(Settings s, MeterRegistry registry, Clock clock) throws Exception {
    GatewayConfig config = config(s);
    ClientConfig.Builder client = ClientConfig.builder();
    for (InetSocketAddress a : s.get(Keys.GATEWAY_NAMESRV)) {
      client.nameServer(a);
    }
    ClientBrokerLink link =
        ClientBrokerLink.builder()
            .clientConfig(client.build())
            .nodeId(config.nodeId())
            .createTopics(s.get(Keys.GATEWAY_CREATE_TOPICS))
            .sessionTopic(s.get(Keys.GATEWAY_SESSION_TOPIC))
            .trace(s.get(Keys.GATEWAY_TRACE))
            .build();
    Gateway gateway;
    try {
      gateway = Gateway.start(config, link, clock, registry);
    } catch (Exception e) {
      link.close();
      throw e;
    }
    Running running = new Running();
    return new Started(
        "gateway",
        gateway.port("mqtt"),
        () -> {
          running.stop();
          try {
            gateway.close();
          } finally {
            link.close();
          }
        },
        running::isRunning,
        UnaryOperator.identity(),
        Map.of(SESSIONS_PATH, () -> SessionsJson.write(gateway.sessionInfos())));
  }

  /**
   * @param s the settings
   * @return the gateway's typed config
   * @throws IllegalArgumentException when the values do not fit together
   */
  static GatewayConfig config(Settings s) {
    if (s.get(Keys.GATEWAY_NAMESRV).isEmpty()) {
      throw new IllegalArgumentException("gateway.namesrv: at least one nameserver is needed");
    }
    return GatewayConfig.builder()
        .nodeId(s.get(Keys.GATEWAY_NODE_ID))
        .host(s.get(Keys.GATEWAY_HOST))
        .mqttPort(s.get(Keys.GATEWAY_MQTT_PORT))
        .wsPort(s.get(Keys.GATEWAY_WS_PORT))
        .tlsPort(s.get(Keys.GATEWAY_TLS_PORT))
        .wssPort(s.get(Keys.GATEWAY_WSS_PORT))
        .tls(
            s.get(Keys.GATEWAY_TLS_CERT),
            s.get(Keys.GATEWAY_TLS_KEY),
            s.get(Keys.GATEWAY_TLS_CLIENT_CA))
        .maxConnections(s.get(Keys.GATEWAY_MAX_CONNECTIONS))
        .maxPacketBytes(s.get(Keys.GATEWAY_MAX_PACKET))
        .publishRatePerClient(s.get(Keys.GATEWAY_PUBLISH_RATE))
        .mappingRules(s.get(Keys.GATEWAY_RULES))
        .fallbackTopic(s.get(Keys.GATEWAY_FALLBACK_TOPIC))
        .sessionCheckpointInterval(s.get(Keys.GATEWAY_CHECKPOINT_INTERVAL))
        .retainedTopic(s.get(Keys.GATEWAY_RETAINED_TOPIC))
        .willTopic(s.get(Keys.GATEWAY_WILL_TOPIC))
        .willNodeTimeout(s.get(Keys.GATEWAY_WILL_NODE_TIMEOUT))
        .auth(
            AuthenticatorConfig.builder()
                .passwordFile(s.get(Keys.GATEWAY_PASSWORD_FILE))
                .allowAnonymous(s.get(Keys.GATEWAY_ANONYMOUS))
                .build())
        .acl(s.get(Keys.GATEWAY_ACL_FILE), false)
        .build();
  }
}
