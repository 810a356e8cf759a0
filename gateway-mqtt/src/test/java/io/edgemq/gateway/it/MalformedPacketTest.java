package io.edgemq.gateway.it;

import static io.edgemq.gateway.it.RawMqtt.concat;
import static io.edgemq.gateway.it.RawMqtt.packet;
import static io.edgemq.gateway.it.RawMqtt.props;
import static io.edgemq.gateway.it.RawMqtt.publish;
import static io.edgemq.gateway.it.RawMqtt.publish5;
import static io.edgemq.gateway.it.RawMqtt.str;
import static io.edgemq.gateway.it.RawMqtt.subscribe;
import static io.edgemq.gateway.it.RawMqtt.topicAlias;
import static io.edgemq.gateway.it.RawMqtt.u16;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.gateway.api.Gateway;
import io.edgemq.gateway.it.RawMqtt.Packet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-made bad packets on a raw socket: each closes its own connection (MQTT 5: after a DISCONNECT
 * with the reason code), while a HiveMQ client connected to the same gateway keeps working and new
 * connections are still accepted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedPacketTest {
  private static final int MAX_PACKET = 4096;
  private static final int TOPIC_ALIAS_MAX = 4;

  GatewayFixture fx;
  Gateway gw;
  Mqtt5BlockingClient healthy;
  Mqtt5BlockingClient.Mqtt5Publishes healthyIn;
  final AtomicInteger checks = new AtomicInteger();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    fx = new GatewayFixture(dir);
    gw =
        fx.gateway(
            "gw1",
            b -> b.receiveMaximum(2).topicAliasMaximum(TOPIC_ALIAS_MAX).maxPacketBytes(MAX_PACKET));
    healthy =
        Mqtt5Client.builder()
            .identifier("healthy")
            .serverHost("127.0.0.1")
            .serverPort(port())
            .buildBlocking();
    healthy.connect();
    healthy.subscribeWith().topicFilter("health/#").qos(MqttQos.AT_LEAST_ONCE).send();
    healthyIn = healthy.publishes(MqttGlobalPublishFilter.ALL);
  }

  @AfterAll
  void stop() throws Exception {
    if (healthy != null && healthy.getState().isConnected()) {
      healthy.disconnect();
    }
    fx.close();
  }

  int port() {
    return gw.port("mqtt");
  }

  /** The last packet before the close is a DISCONNECT with this reason. */
  static void assertDisconnectedWith(RawMqtt c, int reason) throws Exception {
    List<Packet> packets = c.packetsUntilClosed();
    assertThat(packets).as("packets before the close").isNotEmpty();
    Packet last = packets.get(packets.size() - 1);
    assertThat(last.type()).as("last packet %s", last).isEqualTo(RawMqtt.DISCONNECT);
    assertThat(last.disconnectReason()).as("reason code of %s", last).isEqualTo(reason);
  }

  /** Closed without any packet (MQTT 3.1.1, or before CONNECT). */
  static void assertClosedSilently(RawMqtt c) throws Exception {
    assertThat(c.packetsUntilClosed()).isEmpty();
  }

  /** The healthy client still round-trips a QoS 1 message, and a new client can connect. */
  void assertOthersUnaffected() throws Exception {
    String payload = "check-" + checks.incrementAndGet();
    healthy
        .publishWith()
        .topic("health/check")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(payload.getBytes(UTF_8))
        .send();
    Optional<Mqtt5Publish> p = healthyIn.receive(20, TimeUnit.SECONDS);
    assertThat(p).as("the healthy client's own message").isPresent();
    assertThat(new String(p.get().getPayloadAsBytes(), UTF_8)).isEqualTo(payload);
    try (RawMqtt fresh = RawMqtt.connected5(port(), "fresh-" + checks.get())) {
      fresh.write(RawMqtt.pingreq());
      assertThat(fresh.read().type()).isEqualTo(RawMqtt.PINGRESP);
    }
    // every bad connection was counted out again: only the healthy client is left
    await().atMost(Duration.ofSeconds(10)).until(() -> gw.connections() == 1);
  }

  // ---- the fixed header ----

  @Test
  void remainingLengthOfFiveBytes_disconnectsWithMalformedPacket() throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "bad-length-5")) {
      c.write(new byte[] {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01});
      assertDisconnectedWith(c, 0x81);
    }
    assertOthersUnaffected();
  }

  @Test
  void remainingLengthOfFiveBytes_closesAnMqtt311Connection() throws Exception {
    try (RawMqtt c = RawMqtt.connected311(port(), "bad-length-3")) {
      c.write(new byte[] {0x30, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});
      assertClosedSilently(c);
    }
    assertOthersUnaffected();
  }

  @ParameterizedTest
  @ValueSource(ints = {0x80, 0x83, 0x8A})
  void subscribeWithReservedFlagsOtherThan0010_disconnectsWithMalformedPacket(int firstByte)
      throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "bad-sub-flags-" + firstByte)) {
      c.write(subscribe(firstByte, true, 1, "health/x"));
      assertDisconnectedWith(c, 0x81);
    }
    assertOthersUnaffected();
  }

  @Test
  void publishWithQos3_disconnectsWithMalformedPacket() throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "bad-qos-3")) {
      c.write(packet(0x36, concat(str("health/x"), u16(1), props(), "x".getBytes(UTF_8))));
      assertDisconnectedWith(c, 0x81);
    }
    assertOthersUnaffected();
  }

  @Test
  void publishWithQos3_closesAnMqtt311Connection() throws Exception {
    try (RawMqtt c = RawMqtt.connected311(port(), "bad-qos-3-v3")) {
      c.write(packet(0x36, concat(str("health/x"), u16(1), "x".getBytes(UTF_8))));
      assertClosedSilently(c);
    }
    assertOthersUnaffected();
  }

  // ---- topic names ----

  @Test
  void invalidUtf8InATopicName_disconnectsWithMalformedPacket() throws Exception {
    // 0xC3 starts a two-byte sequence, 0x28 ('(') cannot continue it
    byte[] topic = {'h', 'e', 'a', 'l', 't', 'h', '/', (byte) 0xC3, 0x28};
    try (RawMqtt c = RawMqtt.connected5(port(), "bad-utf8")) {
      c.write(publish(true, 0, topic, 0, new byte[0], "x".getBytes(UTF_8)));
      assertDisconnectedWith(c, 0x81);
    }
    assertOthersUnaffected();
  }

  @Test
  void invalidUtf8InATopicName_closesAnMqtt311Connection() throws Exception {
    byte[] topic = {'h', 'e', 'a', 'l', 't', 'h', '/', (byte) 0xFF};
    try (RawMqtt c = RawMqtt.connected311(port(), "bad-utf8-v3")) {
      c.write(publish(false, 0, topic, 0, null, "x".getBytes(UTF_8)));
      assertClosedSilently(c);
    }
    assertOthersUnaffected();
  }

  @ParameterizedTest
  @ValueSource(strings = {"health/+/x", "health/#", "+", "#"})
  void wildcardInAPublishTopic_disconnectsWithTopicNameInvalid(String topic) throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "bad-wildcard")) {
      c.write(publish5(1, topic, 1, new byte[0], "x".getBytes(UTF_8)));
      assertDisconnectedWith(c, 0x90);
    }
    assertOthersUnaffected();
  }

  // ---- the order of packets ----

  @Test
  void aSecondConnect_disconnectsWithProtocolError() throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "twice")) {
      c.write(RawMqtt.connect(5, "twice", 60, new byte[0]));
      assertDisconnectedWith(c, 0x82);
    }
    assertOthersUnaffected();
  }

  @Test
  void aPublishBeforeConnect_closesTheConnection() throws Exception {
    try (RawMqtt c = RawMqtt.open(port())) {
      c.write(publish(false, 0, "health/early".getBytes(UTF_8), 0, null, "x".getBytes(UTF_8)));
      assertClosedSilently(c);
    }
    // nothing of it reached the subscriber: the next message it gets is the check's own
    assertOthersUnaffected();
  }

  @Test
  void aSubscribeBeforeConnect_closesTheConnection() throws Exception {
    try (RawMqtt c = RawMqtt.open(port())) {
      c.write(subscribe(0x82, false, 1, "health/#"));
      assertClosedSilently(c);
    }
    assertOthersUnaffected();
  }

  @Test
  void aSubscribeWithoutTopicFilters_disconnectsWithProtocolError() throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "empty-sub")) {
      c.write(packet(0x82, concat(u16(1), props())));
      assertDisconnectedWith(c, 0x82);
    }
    assertOthersUnaffected();
  }

  @Test
  void anUnsubscribeWithoutTopicFilters_disconnectsWithProtocolError() throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "empty-unsub")) {
      c.write(packet(0xA2, concat(u16(1), props())));
      assertDisconnectedWith(c, 0x82);
    }
    assertOthersUnaffected();
  }

  // ---- CONNECT ----

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 3})
  void anUnsupportedProtocolLevelBelow5_isRefusedWithReturnCode1(int level) throws Exception {
    try (RawMqtt c = RawMqtt.open(port())) {
      c.write(RawMqtt.connect(level, "old-level", 60, null));
      List<Packet> packets = c.packetsUntilClosed();
      assertThat(packets).hasSize(1);
      // a 3.1.1 CONNACK: session present 0, return code 0x01 unacceptable protocol version
      assertThat(packets.get(0).type()).isEqualTo(RawMqtt.CONNACK);
      assertThat(packets.get(0).body()).containsExactly(0x00, 0x01);
    }
    assertOthersUnaffected();
  }

  @ParameterizedTest
  @ValueSource(ints = {6, 7, 255})
  void anUnsupportedProtocolLevelAbove5_isRefusedWithReasonCode0x84(int level) throws Exception {
    try (RawMqtt c = RawMqtt.open(port())) {
      c.write(RawMqtt.connect(level, "new-level", 60, new byte[0]));
      List<Packet> packets = c.packetsUntilClosed();
      assertThat(packets).hasSize(1);
      assertThat(packets.get(0).connackCode()).isEqualTo(0x84);
    }
    assertOthersUnaffected();
  }

  // ---- garbage ----

  @Test
  void garbageInsteadOfConnect_closesTheConnection() throws Exception {
    try (RawMqtt c = RawMqtt.open(port())) {
      c.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8));
      assertClosedSilently(c);
    }
    assertOthersUnaffected();
  }

  @Test
  void zeroBytesInsteadOfConnect_closesTheConnection() throws Exception {
    try (RawMqtt c = RawMqtt.open(port())) {
      c.write(new byte[64]);
      assertClosedSilently(c);
    }
    assertOthersUnaffected();
  }

  @Test
  void garbageAfterConnect_disconnectsWithMalformedPacket() throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "garbage")) {
      // packet type 0 is reserved
      c.write(new byte[] {0x00, 0x03, 0x01, 0x02, 0x03});
      assertDisconnectedWith(c, 0x81);
    }
    assertOthersUnaffected();
  }

  @Test
  void randomBytesAfterConnect_closeTheConnection() throws Exception {
    java.util.Random random = new java.util.Random(42);
    for (int round = 0; round < 20; round++) {
      byte[] junk = new byte[1 + random.nextInt(200)];
      random.nextBytes(junk);
      try (RawMqtt c = RawMqtt.connected5(port(), "random-" + round)) {
        // zeros after the junk complete whatever packet it started, then are a reserved type
        c.write(RawMqtt.pingreq(), junk, new byte[MAX_PACKET + 16]);
        List<Packet> packets = c.packetsUntilClosed();
        assertThat(packets).as("round %d", round).isNotEmpty();
        assertThat(packets.get(0).type()).isEqualTo(RawMqtt.PINGRESP);
      }
    }
    assertOthersUnaffected();
  }

  // ---- limits ----

  @Test
  void aPacketAboveMaxPacketBytes_disconnectsWithPacketTooLarge() throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "too-large")) {
      c.write(publish5(0, "health/big", 0, new byte[0], new byte[MAX_PACKET * 2]));
      assertDisconnectedWith(c, 0x95);
    }
    assertOthersUnaffected();
  }

  @Test
  void aPacketJustBelowMaxPacketBytes_isAccepted() throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "just-fits")) {
      byte[] payload = new byte[MAX_PACKET - 100];
      c.write(publish5(1, "health/fits", 7, new byte[0], payload));
      Packet ack = c.read();
      assertThat(ack.type()).isEqualTo(RawMqtt.PUBACK);
      assertThat(ack.pubackReason()).isZero();
      Optional<Mqtt5Publish> p = healthyIn.receive(20, TimeUnit.SECONDS);
      assertThat(p).isPresent();
      assertThat(p.get().getPayloadAsBytes()).hasSize(payload.length);
    }
    assertOthersUnaffected();
  }

  @Test
  void exceedingReceiveMaximum_disconnectsWithReceiveMaximumExceeded() throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "too-many")) {
      // receiveMaximum is 2; PUBACKs wait for the broker, so the third arrives with two open
      byte[] x = "x".getBytes(UTF_8);
      c.write(
          publish5(1, "burst/a", 1, new byte[0], x),
          publish5(1, "burst/a", 2, new byte[0], x),
          publish5(1, "burst/a", 3, new byte[0], x));
      assertDisconnectedWith(c, 0x93);
    }
    assertOthersUnaffected();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, TOPIC_ALIAS_MAX + 1, 0xFFFF})
  void aTopicAliasOutOfRange_disconnectsWithTopicAliasInvalid(int alias) throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "bad-alias-" + alias)) {
      c.write(publish5(0, "health/alias", 0, topicAlias(alias), "x".getBytes(UTF_8)));
      assertDisconnectedWith(c, 0x94);
    }
    assertOthersUnaffected();
  }

  @Test
  void aTopicAliasInRange_standsForItsTopic() throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "good-alias")) {
      c.write(
          publish5(0, "health/alias", 0, topicAlias(TOPIC_ALIAS_MAX), "first".getBytes(UTF_8)),
          publish5(0, "", 0, topicAlias(TOPIC_ALIAS_MAX), "second".getBytes(UTF_8)));
      for (String expected : List.of("first", "second")) {
        Optional<Mqtt5Publish> p = healthyIn.receive(20, TimeUnit.SECONDS);
        assertThat(p).isPresent();
        assertThat(p.get().getTopic().toString()).isEqualTo("health/alias");
        assertThat(new String(p.get().getPayloadAsBytes(), UTF_8)).isEqualTo(expected);
      }
    }
    assertOthersUnaffected();
  }

  @Test
  void anUnknownTopicAlias_disconnectsWithProtocolError() throws Exception {
    try (RawMqtt c = RawMqtt.connected5(port(), "unknown-alias")) {
      c.write(publish5(0, "", 0, topicAlias(1), "x".getBytes(UTF_8)));
      assertDisconnectedWith(c, 0x82);
    }
    assertOthersUnaffected();
  }
}
