package io.edgemq.gateway.it;

import static io.edgemq.gateway.it.Devices.hive5;
import static io.edgemq.gateway.it.Devices.publish;
import static io.edgemq.gateway.it.Devices.receive;
import static io.edgemq.gateway.it.Devices.text;
import static io.edgemq.gateway.it.Devices.until;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.gateway.api.Gateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Will messages end to end: published when the TCP connection drops without DISCONNECT or the
 * keep-alive runs out (a hand-encoded client, since client libraries always say goodbye), not on a
 * normal DISCONNECT, on an MQTT 5 DISCONNECT 0x04, and after the MQTT 5 Will Delay Interval unless
 * the session resumes first. A watcher subscribed to {@code <test>/#} sees the wills.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WillTest {
  @TempDir static Path dir;
  GatewayFixture fx;
  Gateway gw;
  Mqtt5BlockingClient watcher;
  Mqtt5BlockingClient.Mqtt5Publishes seen;

  @BeforeAll
  void start() throws Exception {
    fx = new GatewayFixture(dir);
    gw = fx.gateway("gw1");
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  int port() {
    return gw.port("mqtt");
  }

  /** A watcher of the test's own topic prefix, which is the test's first will topic level. */
  void watch(String prefix) {
    watcher = hive5(port(), prefix + "-watcher");
    watcher.connect();
    seen = watcher.publishes(MqttGlobalPublishFilter.ALL);
    watcher.subscribeWith().topicFilter(prefix + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
  }

  @BeforeEach
  void noWatcher() {
    watcher = null;
  }

  @AfterEach
  void stopWatching() {
    if (watcher != null) {
      seen.close();
      watcher.disconnect();
    }
  }

  @Test
  void theWillIsPublishedWhenTheTcpConnectionDropsWithoutDisconnect() throws Exception {
    watch("wl1");
    try (HandMqttClient dev = HandMqttClient.open(port())) {
      HandMqttClient.Packet ack =
          dev.connect(
              "wl1-dev",
              true,
              60,
              new HandMqttClient.Will("wl1/dev/status", "offline".getBytes(UTF_8), 1, false));
      assertThat(ack.returnCode()).isZero();
    } // the socket closes here, with no DISCONNECT
    Mqtt5Publish will = receive(seen);
    assertThat(will.getTopic().toString()).isEqualTo("wl1/dev/status");
    assertThat(text(will)).isEqualTo("offline");
    assertThat(will.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
  }

  @Test
  void aSilentClientIsClosedAfterOneAndAHalfKeepAlives_andItsWillIsPublished() throws Exception {
    watch("wl2");
    try (HandMqttClient dev = HandMqttClient.open(port())) {
      // from before CONNECT: the keep-alive counts from the last packet the gateway received, and
      // the CONNACK may take a while to arrive on a busy machine
      long t0 = System.nanoTime();
      HandMqttClient.Packet ack =
          dev.connect(
              "wl2-dev",
              true,
              1,
              new HandMqttClient.Will("wl2/dev/status", "timed-out".getBytes(UTF_8), 1, false));
      assertThat(ack.returnCode()).isZero();
      // sends nothing, not even PINGREQ
      assertThat(dev.awaitClosedByServer(Duration.ofSeconds(10)))
          .as("closed by the gateway")
          .isTrue();
      long closedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(closedMs).as("ms until the close (keep-alive 1 s)").isBetween(1_400L, 4_000L);
      Mqtt5Publish will = receive(seen);
      long willMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(text(will)).isEqualTo("timed-out");
      assertThat(willMs).as("ms until the will arrived").isBetween(1_400L, 6_000L);
    }
  }

  @Test
  void aNormalDisconnectDiscardsTheWill_mqtt311AndMqtt5() throws Exception {
    watch("wl3");
    int base = gw.connections();
    MqttClient paho = new MqttClient(Devices.uri(port()), "wl3-paho", new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setWill("wl3/paho/status", "paho-will".getBytes(UTF_8), 1, false);
    paho.connect(o);
    paho.disconnect();
    paho.close();

    Mqtt5BlockingClient hive = hive5(port(), "wl3-hive");
    hive.connectWith()
        .willPublish()
        .topic("wl3/hive/status")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("hive-will".getBytes(UTF_8))
        .applyWillPublish()
        .send();
    hive.disconnect(); // reason 0x00, normal disconnection
    await().atMost(Duration.ofSeconds(10)).until(() -> gw.connections() <= base);

    // markers from the same client ids share a broker queue with any will, and come after it
    for (String id : new String[] {"wl3-paho", "wl3-hive"}) {
      Mqtt5BlockingClient again = hive5(port(), id);
      again.connect();
      publish(again, "wl3/" + id + "/marker", "mark-" + id, 1, false);
      again.disconnect();
      assertThat(until(seen, "mark-" + id)).extracting(Devices::text).isEmpty();
    }
  }

  @Test
  void anMqtt5DisconnectWithReason0x04PublishesTheWill() throws Exception {
    watch("wl4");
    Mqtt5BlockingClient dev = hive5(port(), "wl4-dev");
    dev.connectWith()
        .willPublish()
        .topic("wl4/dev/status")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("bye".getBytes(UTF_8))
        .applyWillPublish()
        .send();
    dev.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
    Mqtt5Publish will = receive(seen);
    assertThat(will.getTopic().toString()).isEqualTo("wl4/dev/status");
    assertThat(text(will)).isEqualTo("bye");
  }

  @Test
  void theWillDelayIntervalDelaysTheWill() throws Exception {
    watch("wl5");
    Mqtt5BlockingClient dev = hive5(port(), "wl5-dev");
    dev.connectWith()
        .sessionExpiryInterval(60)
        .willPublish()
        .topic("wl5/dev/status")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("late".getBytes(UTF_8))
        .delayInterval(2)
        .applyWillPublish()
        .send();
    long t0 = System.nanoTime();
    dev.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
    Mqtt5Publish will = receive(seen);
    long willMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(text(will)).isEqualTo("late");
    assertThat(willMs).as("ms until the will (delay 2 s)").isGreaterThanOrEqualTo(2_000L);
  }

  @Test
  void aDelayedWillIsNotSentWhenTheSessionResumesBeforeTheDelay() throws Exception {
    watch("wl6");
    Mqtt5BlockingClient dev = hive5(port(), "wl6-dev");
    dev.connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(60)
        .willPublish()
        .topic("wl6/dev/status")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("should-not-come".getBytes(UTF_8))
        .delayInterval(2)
        .applyWillPublish()
        .send();
    dev.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();

    Mqtt5BlockingClient back = hive5(port(), "wl6-dev");
    assertThat(back.connectWith().cleanStart(false).sessionExpiryInterval(60).send())
        .extracting(a -> a.isSessionPresent())
        .isEqualTo(true);
    // well past the 2 s delay
    Optional<Mqtt5Publish> early = seen.receive(4, TimeUnit.SECONDS);
    assertThat(early).map(Devices::text).isEmpty();
    // the same client id: the marker shares a broker queue with a will sent before it
    publish(back, "wl6/dev/marker", "mark", 1, false);
    assertThat(until(seen, "mark")).extracting(Devices::text).isEmpty();
    back.disconnect();
  }
}
