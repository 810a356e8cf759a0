package io.edgemq.gateway.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.gateway.api.Gateway;
import io.edgemq.gateway.it.RawMqtt.Packet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits that protect the gateway: connect timeout, connection count, keep-alive. */
class ProtectionTest {
  @TempDir Path dir;
  GatewayFixture fx;
  final List<Mqtt5BlockingClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    fx = new GatewayFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    for (Mqtt5BlockingClient c : clients) {
      if (c.getState().isConnected()) {
        c.disconnect();
      }
    }
    fx.close();
  }

  Mqtt5BlockingClient hive(Gateway gw, String id) {
    Mqtt5BlockingClient c =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(gw.port("mqtt"))
            .buildBlocking();
    clients.add(c);
    return c;
  }

  /** The client subscribes to a topic of its own and gets back what it publishes there. */
  static void assertRoundTrip(Mqtt5BlockingClient c, String topic) throws Exception {
    c.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
      c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(topic.getBytes(UTF_8)).send();
      Optional<Mqtt5Publish> p = in.receive(20, TimeUnit.SECONDS);
      assertThat(p).as("round trip on %s", topic).isPresent();
      assertThat(new String(p.get().getPayloadAsBytes(), UTF_8)).isEqualTo(topic);
    }
  }

  @Test
  void aConnectionThatSendsNothing_isClosedAfterTheConnectTimeout() throws Exception {
    Gateway gw = fx.gateway("gw1", b -> b.connectTimeout(Duration.ofSeconds(1)));
    long start = System.nanoTime();
    try (RawMqtt silent = RawMqtt.open(gw.port("mqtt"))) {
      assertThat(silent.packetsUntilClosed(Duration.ofSeconds(5))).isEmpty();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.connections() == 0);
  }

  @Test
  void aConnectionThatConnectsInTime_outlivesTheConnectTimeout() throws Exception {
    Gateway gw = fx.gateway("gw1", b -> b.connectTimeout(Duration.ofSeconds(1)));
    try (RawMqtt c = RawMqtt.connected5(gw.port("mqtt"), "in-time")) {
      // twice the connect timeout with nothing sent (keep-alive is 60 s): still open
      assertThat(c.quietFor(Duration.ofSeconds(2))).isTrue();
      c.write(RawMqtt.pingreq());
      assertThat(c.read().type()).isEqualTo(RawMqtt.PINGRESP);
    }
  }

  @Test
  void aConnectionBeyondMaxConnections_isClosedWhileTheOthersWork() throws Exception {
    Gateway gw = fx.gateway("gw1", b -> b.maxConnections(3));
    List<Mqtt5BlockingClient> first = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Mqtt5BlockingClient c = hive(gw, "within-" + i);
      c.connect();
      first.add(c);
    }
    try (RawMqtt fourth = RawMqtt.open(gw.port("mqtt"))) {
      // closed at once, before it could even send CONNECT; nothing is answered
      assertThat(fourth.packetsUntilClosed(Duration.ofSeconds(5))).isEmpty();
    }
    Mqtt5BlockingClient fifth = hive(gw, "beyond");
    assertThatThrownBy(fifth::connect).isNotNull();
    assertThat(fifth.getState().isConnected()).isFalse();
    for (int i = 0; i < 3; i++) {
      assertRoundTrip(first.get(i), "within/" + i);
    }
    // once one leaves, a new connection is taken again
    first.get(0).disconnect();
    await().atMost(Duration.ofSeconds(5)).until(() -> gw.connections() == 2);
    Mqtt5BlockingClient later = hive(gw, "later");
    later.connect();
    assertRoundTrip(later, "later/x");
  }

  @Test
  void aSilentClient_isDisconnectedAfterOneAndAHalfKeepAlives() throws Exception {
    Gateway gw = fx.gateway("gw1");
    try (RawMqtt c = RawMqtt.open(gw.port("mqtt"))) {
      c.write(RawMqtt.connect(5, "silent", 1, new byte[0]));
      assertThat(c.read().connackCode()).isZero();
      long start = System.nanoTime();
      List<Packet> packets = c.packetsUntilClosed(Duration.ofSeconds(6));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(4));
      assertThat(packets).hasSize(1);
      assertThat(packets.get(0).type()).isEqualTo(RawMqtt.DISCONNECT);
      assertThat(packets.get(0).disconnectReason()).isEqualTo(0x8D); // keep alive timeout
    }
  }

  @Test
  void aSilentMqtt311Client_isClosedAfterOneAndAHalfKeepAlives() throws Exception {
    Gateway gw = fx.gateway("gw1");
    try (RawMqtt c = RawMqtt.open(gw.port("mqtt"))) {
      c.write(RawMqtt.connect(4, "silent-3", 1, null));
      assertThat(c.read().connackCode()).isZero();
      long start = System.nanoTime();
      assertThat(c.packetsUntilClosed(Duration.ofSeconds(6))).isEmpty();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(4));
    }
  }

  @Test
  void aClientThatPingsWithinItsKeepAlive_staysConnected() throws Exception {
    Gateway gw = fx.gateway("gw1");
    try (RawMqtt c = RawMqtt.open(gw.port("mqtt"))) {
      c.write(RawMqtt.connect(5, "pinger", 1, new byte[0]));
      assertThat(c.read().connackCode()).isZero();
      // 3 s of pings every 0.6 s: twice past the 1.5 s a silent client gets
      for (int i = 0; i < 5; i++) {
        assertThat(c.quietFor(Duration.ofMillis(600))).as("ping %d", i).isTrue();
        c.write(RawMqtt.pingreq());
        assertThat(c.read().type()).isEqualTo(RawMqtt.PINGRESP);
      }
    }
  }

  @Test
  void anMqtt5ClientAskingForMoreThanMaxKeepAlive_isToldTheServerKeepAlive() throws Exception {
    Gateway gw = fx.gateway("gw1", b -> b.maxKeepAlive(5));
    Mqtt5BlockingClient c = hive(gw, "asks-60");
    Mqtt5ConnAck ack = c.connectWith().keepAlive(60).send();
    assertThat(ack.getServerKeepAlive()).hasValue(5);
    assertRoundTrip(c, "keepalive/x");
  }

  @Test
  void anMqtt5ClientAskingForLessThanMaxKeepAlive_keepsItsOwn() throws Exception {
    Gateway gw = fx.gateway("gw1", b -> b.maxKeepAlive(5));
    Mqtt5BlockingClient c = hive(gw, "asks-3");
    Mqtt5ConnAck ack = c.connectWith().keepAlive(3).send();
    assertThat(ack.getServerKeepAlive()).isEmpty();
  }

  @Test
  void theServerKeepAlive_isEnforced() throws Exception {
    Gateway gw = fx.gateway("gw1", b -> b.maxKeepAlive(1));
    for (int asked : new int[] {60, 0}) {
      try (RawMqtt c = RawMqtt.open(gw.port("mqtt"))) {
        c.write(RawMqtt.connect(5, "asks-" + asked, asked, new byte[0]));
        Packet ack = c.read();
        assertThat(ack.connackCode()).isZero();
        assertThat(serverKeepAlive(ack)).as("asked %d", asked).isEqualTo(1);
        long start = System.nanoTime();
        List<Packet> packets = c.packetsUntilClosed(Duration.ofSeconds(6));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofMillis(1400), Duration.ofSeconds(4));
        assertThat(packets).extracting(Packet::disconnectReason).containsExactly(0x8D);
      }
    }
  }

  /** The Server Keep Alive property (0x13) of an MQTT 5 CONNACK, or -1. */
  static int serverKeepAlive(Packet connack) {
    byte[] b = connack.body();
    int pos = 2;
    int length = 0;
    for (int shift = 0; ; shift += 7) {
      int digit = b[pos++] & 0xFF;
      length |= (digit & 0x7F) << shift;
      if ((digit & 0x80) == 0) {
        break;
      }
    }
    int end = pos + length;
    while (pos < end) {
      int id = b[pos++] & 0xFF;
      switch (id) {
        case 0x13 -> {
          return (b[pos] & 0xFF) << 8 | b[pos + 1] & 0xFF;
        }
        // one-byte properties of a CONNACK
        case 0x24, 0x25, 0x28, 0x29, 0x2A -> pos += 1;
        // two-byte
        case 0x21, 0x22 -> pos += 2;
        // four-byte
        case 0x11, 0x27 -> pos += 4;
        // strings and binary data: a two-byte length
        case 0x12, 0x15, 0x16, 0x1A, 0x1C, 0x1F ->
            pos += 2 + ((b[pos] & 0xFF) << 8 | b[pos + 1] & 0xFF);
        // user property: two strings
        case 0x26 -> {
          pos += 2 + ((b[pos] & 0xFF) << 8 | b[pos + 1] & 0xFF);
          pos += 2 + ((b[pos] & 0xFF) << 8 | b[pos + 1] & 0xFF);
        }
        default -> throw new AssertionError("unexpected CONNACK property " + id);
      }
    }
    return -1;
  }
}
