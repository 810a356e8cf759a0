package io.edgemq.gateway.it;

import static io.edgemq.gateway.it.Devices.hive5;
import static io.edgemq.gateway.it.Devices.publish;
import static io.edgemq.gateway.it.Devices.receive;
import static io.edgemq.gateway.it.Devices.text;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.gateway.api.Gateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistent sessions kept in the brokers: a client resumes its session, with its subscriptions and
 * every QoS 1/2 message it missed, after its gateway node restarted and on another node; a clean
 * start on one node ends the session on every node. The messages are published through the other
 * node while the subscriber is away, and acknowledged there only once the broker stored them, so
 * nothing but the broker can hand them to the resumed session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersistentSessionTest {
  @TempDir static Path dir;
  GatewayFixture fx;
  Gateway a;
  Gateway b;

  @BeforeAll
  void start() throws Exception {
    fx = new GatewayFixture(dir);
    a = fx.gateway("gw-a");
    b = fx.gateway("gw-b");
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  static MqttClient paho3(int port, String id, BlockingQueue<MqttMessage> in) throws Exception {
    MqttClient c = new MqttClient(Devices.uri(port), id, new MemoryPersistence());
    c.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            in.add(message);
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    return c;
  }

  static MqttConnectOptions persistent() {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(false);
    return o;
  }

  /** Publishes "{prefix}-{i}" for i in [0, n) at the QoS through a node; each one acknowledged. */
  static void publishAll(Gateway node, String topic, String prefix, int n, int qos) {
    Mqtt5BlockingClient pub = hive5(node.port("mqtt"), "pub-" + prefix);
    pub.connect();
    for (int i = 0; i < n; i++) {
      publish(pub, topic, prefix + "-" + i, qos, false);
    }
    pub.disconnect();
  }

  static List<String> receiveN(BlockingQueue<MqttMessage> in, int n) throws Exception {
    List<String> got = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      got.add(new String(receive(in).getPayload(), UTF_8));
    }
    return got;
  }

  static List<String> expected(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + "-" + i);
    }
    return out;
  }

  @Test
  void mqtt311Session_resumesOnAnotherNode_withTheMessagesItMissed() throws Exception {
    BlockingQueue<MqttMessage> in = new LinkedBlockingQueue<>();
    MqttClient sub = paho3(a.port("mqtt"), "ps1-sub", in);
    sub.connect(persistent());
    sub.subscribe("ps1/#", 1);
    sub.disconnect();
    sub.close();

    publishAll(b, "ps1/cmd", "away", 20, 1);

    MqttClient again = paho3(b.port("mqtt"), "ps1-sub", in);
    assertThat(again.connectWithResult(persistent()).getSessionPresent())
        .as("session present on the other node")
        .isTrue();
    assertThat(receiveN(in, 20)).isEqualTo(expected("away", 20));
    // live messages keep flowing on the new node once it caught up, without duplicates
    publishAll(a, "ps1/cmd", "live", 5, 1);
    assertThat(receiveN(in, 5)).isEqualTo(expected("live", 5));
    assertThat(in.poll(500, TimeUnit.MILLISECONDS)).as("nothing twice").isNull();
    again.disconnect();
    again.close();
  }

  @Test
  void mqtt5Session_resumesAfterItsNodeRestarted_qos1AndQos2() throws Exception {
    Gateway c = fx.gateway("gw-c");
    Mqtt5BlockingClient sub = hive5(c.port("mqtt"), "ps2-sub");
    sub.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
    sub.subscribeWith().topicFilter("ps2/+/cmd").qos(MqttQos.EXACTLY_ONCE).send();
    sub.disconnect();
    fx.stop(c);

    publishAll(b, "ps2/x/cmd", "q1", 10, 1);
    publishAll(b, "ps2/y/cmd", "q2", 10, 2);

    Gateway restarted = fx.gateway("gw-c");
    Mqtt5BlockingClient back = hive5(restarted.port("mqtt"), "ps2-sub");
    try (Mqtt5BlockingClient.Mqtt5Publishes in = back.publishes(MqttGlobalPublishFilter.ALL)) {
      assertThat(
              back.connectWith()
                  .cleanStart(false)
                  .sessionExpiryInterval(300)
                  .send()
                  .isSessionPresent())
          .as("session present after the node restarted")
          .isTrue();
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Mqtt5Publish p = receive(in);
        got.add(text(p));
        assertThat(p.getQos().getCode()).isEqualTo(text(p).startsWith("q1") ? 1 : 2);
      }
      // two publishers, two broker queues: each one's messages in order, no order between them
      assertThat(got.stream().filter(t -> t.startsWith("q1")).toList())
          .isEqualTo(expected("q1", 10));
      assertThat(got.stream().filter(t -> t.startsWith("q2")).toList())
          .isEqualTo(expected("q2", 10));
      assertThat(in.receive(500, TimeUnit.MILLISECONDS)).as("nothing twice").isEmpty();
    }
    back.disconnect();
  }

  @Test
  void cleanStartOnOneNode_endsTheSessionOnEveryNode() throws Exception {
    BlockingQueue<MqttMessage> in = new LinkedBlockingQueue<>();
    MqttClient sub = paho3(a.port("mqtt"), "ps3-sub", in);
    sub.connect(persistent());
    sub.subscribe("ps3/#", 1);
    sub.disconnect();
    sub.close();

    MqttClient clean = paho3(b.port("mqtt"), "ps3-sub", in);
    clean.connect(); // clean session
    clean.disconnect();
    clean.close();

    // the stored "ended" record is newer than node a's own copy: a must not resume it
    MqttClient back = paho3(a.port("mqtt"), "ps3-sub", in);
    assertThat(back.connectWithResult(persistent()).getSessionPresent())
        .as("session present")
        .isFalse();
    publishAll(b, "ps3/cmd", "after", 3, 1);
    assertThat(in.poll(700, TimeUnit.MILLISECONDS)).as("no subscription survived").isNull();
    back.disconnect();
    back.close();
  }

  @Test
  void sessionTakenOverOnAnotherNode_whileOnline_closesTheOldConnection_andMovesDelivery()
      throws Exception {
    BlockingQueue<MqttMessage> first = new LinkedBlockingQueue<>();
    MqttClient one = paho3(a.port("mqtt"), "ps4-sub", first);
    one.connect(persistent());
    one.subscribe("ps4/#", 1);
    publishAll(b, "ps4/cmd", "before", 3, 1);
    assertThat(receiveN(first, 3)).isEqualTo(expected("before", 3));

    BlockingQueue<MqttMessage> second = new LinkedBlockingQueue<>();
    MqttClient two = paho3(b.port("mqtt"), "ps4-sub", second);
    assertThat(two.connectWithResult(persistent()).getSessionPresent()).isTrue();
    // node a learns from the session topic that b took the session over, and closes its connection
    await().atMost(Duration.ofSeconds(10)).until(() -> !one.isConnected());
    publishAll(a, "ps4/cmd", "after", 3, 1);
    // what node a delivered after its last checkpoint may come again (QoS 1: at least once)
    List<String> got = new ArrayList<>();
    while (got.stream().filter(t -> t.startsWith("after")).count() < 3) {
      got.addAll(receiveN(second, 1));
    }
    assertThat(got.stream().filter(t -> t.startsWith("after")).toList())
        .isEqualTo(expected("after", 3));
    assertThat(got).allMatch(t -> t.startsWith("after") || t.startsWith("before"));
    assertThat(first.poll(300, TimeUnit.MILLISECONDS))
        .as("old connection got nothing more")
        .isNull();
    two.disconnect();
    two.close();
    one.close();
  }
}
