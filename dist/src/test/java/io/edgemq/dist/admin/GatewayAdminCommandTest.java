package io.edgemq.dist.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.edgemq.dist.process.InProcessStandalone;
import io.edgemq.dist.process.Scrape;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgemq admin gateway sessions|clients} against a running standalone server. */
class GatewayAdminCommandTest {
  @TempDir static Path dir;

  private static InProcessStandalone server;

  @BeforeAll
  static void start() throws Exception {
    server = InProcessStandalone.start(dir);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static AdminRun admin(String... args) {
    return AdminRun.of(args);
  }

  private Mqtt5BlockingClient client(String id) {
    return Mqtt5Client.builder()
        .identifier(id)
        .serverHost("127.0.0.1")
        .serverPort(server.mqttPort())
        .buildBlocking();
  }

  @Test
  void shouldListConnectedAndOfflineSessionsAsATableAndAsJson() {
    String gw = "127.0.0.1:" + server.httpPort();
    Mqtt5BlockingClient offline = client("admin-offline");
    offline.connectWith().sessionExpiryInterval(600).send();
    offline.subscribeWith().topicFilter("devices/x/#").qos(MqttQos.AT_LEAST_ONCE).send();
    offline.disconnect();
    Mqtt5BlockingClient online = client("admin-online");
    online.connect();
    try {
      AdminRun sessions =
          admin("gateway", "sessions", "--gateway", gw, "--client", "admin-", "--json");
      AdminRun clients = admin("gateway", "clients", "-g", gw, "--client", "admin-");
      AdminRun table = admin("gateway", "sessions", "-g", gw, "--client", "admin-");

      assertThat(sessions.status()).as(sessions.err()).isZero();
      assertThat(sessions.json())
          .extracting(m -> m.get("client"), m -> m.get("connected"), m -> m.get("subscriptions"))
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("admin-offline", false, 1),
              org.assertj.core.groups.Tuple.tuple("admin-online", true, 0));
      assertThat(sessions.json().get(0).get("expires")).isNotNull();
      assertThat(sessions.json().get(1).get("mqtt")).isEqualTo(5);
      assertThat(clients.out().lines())
          .hasSize(2)
          .first()
          .asString()
          .startsWith("CLIENT")
          .contains("QUEUED");
      assertThat(clients.out()).contains("admin-online").doesNotContain("admin-offline");
      assertThat(table.out().lines()).hasSize(3);
    } finally {
      online.disconnect();
    }
  }

  @Test
  void shouldSayWhenTheAddressIsNotAGatewaysHttpPort() throws Exception {
    AdminRun r = admin("gateway", "sessions", "--gateway", "127.0.0.1:" + server.httpPort() + "/x");
    AdminRun closed = admin("gateway", "clients", "--gateway", "127.0.0.1:1");

    assertThat(r.status()).isEqualTo(AdminCommand.CALL_FAILED);
    assertThat(r.err()).startsWith("edgemq admin: gateway ");
    assertThat(closed.status()).isEqualTo(AdminCommand.CALL_FAILED);
    assertThat(closed.err()).startsWith("edgemq admin: gateway 127.0.0.1:1: ");
    assertThat(Scrape.get(server.httpPort(), "/api/gateway/sessions").statusCode()).isEqualTo(200);
  }
}
