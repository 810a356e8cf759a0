package io.edgemq.gateway.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import io.edgemq.gateway.api.Gateway;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's meters for operators: CONNECT outcomes, disconnects and dropped messages by reason,
 * and how much is queued toward devices. Each test reads how much its own actions moved a meter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayMetricsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private GatewayFixture fx;
  private Gateway gw;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path acl = Files.writeString(dir.resolve("acl"), "deny all publish forbidden/#\n");
    fx = new GatewayFixture(dir);
    gw = fx.gateway("metrics-1", b -> b.acl(acl, true).maxQueuedPerSession(2), registry);
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  private double count(String name, String tag, String value) {
    var c = registry.find(name).tag(tag, value).counter();
    if (c != null) {
      return c.count();
    }
    FunctionCounter f = registry.find(name).tag(tag, value).functionCounter();
    return f == null ? Double.NaN : f.count();
  }

  private double disconnects(String reason) {
    return count("edgemq.gateway.disconnects", "reason", reason);
  }

  private double dropped(String reason) {
    return count("edgemq.gateway.messages.dropped", "reason", reason);
  }

  private double gauge(String name) {
    Gauge g = registry.find(name).gauge();
    return g == null ? Double.NaN : g.value();
  }

  private Mqtt5BlockingClient hive(String id) {
    return Mqtt5Client.builder()
        .identifier(id)
        .serverHost("127.0.0.1")
        .serverPort(gw.port("mqtt"))
        .buildBlocking();
  }

  @Test
  void shouldCountConnectsAndEveryKindOfDisconnectByReason() throws Exception {
    double accepted = count("edgemq.gateway.connects", "result", "accepted");
    double normal = disconnects("client_disconnect");
    double takenOver = disconnects("taken_over");
    double lost = disconnects("connection_lost");
    double malformed = disconnects("malformed_packet");

    Mqtt5BlockingClient polite = hive("polite");
    polite.connect();
    polite.disconnect();
    Mqtt5BlockingClient first = hive("twin");
    first.connect();
    Mqtt5BlockingClient second = hive("twin");
    second.connect();
    try (RawMqtt raw = RawMqtt.connected5(gw.port("mqtt"), "vanishes")) {
      // closed without DISCONNECT
    }
    try (RawMqtt raw = RawMqtt.connected5(gw.port("mqtt"), "garbled")) {
      raw.write(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01});
      raw.packetsUntilClosed();
    }

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(count("edgemq.gateway.connects", "result", "accepted") - accepted)
                  .isEqualTo(5);
              assertThat(disconnects("client_disconnect") - normal).isEqualTo(1);
              assertThat(disconnects("taken_over") - takenOver).isEqualTo(1);
              assertThat(disconnects("connection_lost") - lost).isEqualTo(1);
              assertThat(disconnects("malformed_packet") - malformed).isEqualTo(1);
            });
    second.disconnect();
  }

  @Test
  void shouldCountAConnectRefusedForAnEmptyClientIdOfAnMqtt3PersistentSession() throws Exception {
    double refused = count("edgemq.gateway.connects", "result", "client_identifier_not_valid");
    double closedRefused = disconnects("connect_refused");
    try (RawMqtt raw = RawMqtt.open(gw.port("mqtt"))) {
      // MQTT 3.1.1 CONNECT, clean session 0, empty client id: refused with 0x02
      raw.write(
          RawMqtt.packet(
              0x10,
              RawMqtt.concat(
                  new byte[] {0, 4, 'M', 'Q', 'T', 'T', 4, 0x00, 0, 30}, RawMqtt.u16(0))));
      assertThat(raw.read().connackCode()).isEqualTo(2);
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(
                      count("edgemq.gateway.connects", "result", "client_identifier_not_valid")
                          - refused)
                  .isEqualTo(1);
              assertThat(disconnects("connect_refused") - closedRefused).isEqualTo(1);
            });
  }

  @Test
  void shouldCountAPublishTheAclDenies() {
    double denied = dropped("publish_denied");
    Mqtt5BlockingClient c = hive("denied-publisher");
    c.connect();
    ThrowableAssert.ThrowingCallable publish =
        () ->
            c.publishWith()
                .topic("forbidden/x")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload("no".getBytes(UTF_8))
                .send();
    org.assertj.core.api.Assertions.assertThatThrownBy(publish)
        .isInstanceOf(Mqtt5PubAckException.class);
    c.disconnect();
    assertThat(dropped("publish_denied") - denied).isEqualTo(1);
  }

  @Test
  void shouldShowWhatIsQueuedForAnOfflineSessionAndCountWhatItsFullQueueDrops() throws Exception {
    double full = dropped("session_queue_full");
    Mqtt5BlockingClient sub = hive("sleeper");
    sub.connectWith().cleanStart(true).sessionExpiryInterval(300).send();
    sub.subscribeWith().topicFilter("factory/l9/d9/telemetry/#").qos(MqttQos.AT_LEAST_ONCE).send();
    sub.disconnect();
    Mqtt5BlockingClient pub = hive("waker");
    pub.connect();
    for (int i = 0; i < 5; i++) {
      pub.publishWith()
          .topic("factory/l9/d9/telemetry/temp")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(("m" + i).getBytes(UTF_8))
          .send();
    }
    pub.disconnect();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(gauge("edgemq.gateway.session.queued.messages")).isEqualTo(2);
              assertThat(gauge("edgemq.gateway.session.queued.messages.max")).isEqualTo(2);
              assertThat(dropped("session_queue_full") - full).isEqualTo(3);
            });
    assertThat(gw.sessionInfos())
        .filteredOn(i -> i.clientId().equals("sleeper"))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.connected()).isFalse();
              assertThat(i.address()).isNull();
              assertThat(i.persistent()).isTrue();
              assertThat(i.subscriptions()).isEqualTo(1);
              assertThat(i.queued()).isEqualTo(2);
              assertThat(i.dropped()).isEqualTo(3);
              assertThat(i.expiresAtMillis()).isLessThan(Long.MAX_VALUE);
            });

    Mqtt5BlockingClient back = hive("sleeper");
    try (var publishes = back.publishes(MqttGlobalPublishFilter.ALL)) {
      back.connectWith().cleanStart(false).sessionExpiryInterval(0).send();
      assertThat(publishes.receive(10, java.util.concurrent.TimeUnit.SECONDS)).isPresent();
      assertThat(publishes.receive(10, java.util.concurrent.TimeUnit.SECONDS)).isPresent();
      assertThat(gw.sessionInfos())
          .filteredOn(i -> i.clientId().equals("sleeper"))
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.connected()).isTrue();
                assertThat(i.address()).contains("127.0.0.1");
                assertThat(i.protocolVersion()).isEqualTo(5);
                assertThat(i.expiresAtMillis()).isEqualTo(Long.MAX_VALUE);
              });
    }
    back.disconnect();
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(gauge("edgemq.gateway.session.queued.messages")).isZero());
  }
}
