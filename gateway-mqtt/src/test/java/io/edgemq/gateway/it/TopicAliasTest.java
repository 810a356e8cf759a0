package io.edgemq.gateway.it;

import static io.edgemq.gateway.it.Devices.hive5;
import static io.edgemq.gateway.it.Devices.publish;
import static io.edgemq.gateway.it.Devices.receive;
import static io.edgemq.gateway.it.Devices.text;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.gateway.api.Gateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic aliases the gateway assigns towards MQTT 5 clients that allow them: checked on the wire
 * with hand-read packets, and end to end with the HiveMQ client (which resolves them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicAliasTest {
  @TempDir static Path dir;
  GatewayFixture fx;
  Gateway gw;

  @BeforeAll
  void start() throws Exception {
    fx = new GatewayFixture(dir);
    gw = fx.gateway("ta");
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  /** A PUBLISH as written on the wire: its topic name and its Topic Alias property (0 = none). */
  // RawMqtt subscribes at QoS 1: the deliveries carry packet ids (few enough to need no PUBACK)
  record Wire(String topic, int alias, String payload) {}

  static Wire parse(RawMqtt.Packet p) {
    byte[] b = p.body();
    int topicLength = (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
    String topic = new String(b, 2, topicLength, UTF_8);
    int qos = (p.flags() >> 1) & 3;
    int i = 2 + topicLength + (qos > 0 ? 2 : 0); // the packet id
    int propsLength = 0;
    int shift = 0;
    int v;
    do {
      v = b[i++] & 0xFF;
      propsLength |= (v & 0x7F) << shift;
      shift += 7;
    } while ((v & 0x80) != 0);
    int end = i + propsLength;
    int alias = 0;
    while (i < end) {
      int id = b[i++] & 0xFF;
      if (id == 0x23) {
        alias = (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
        i += 2;
      } else {
        throw new AssertionError("unexpected property " + id + " in " + p);
      }
    }
    return new Wire(topic, alias, new String(b, end, b.length - end, UTF_8));
  }

  @Test
  void aClientAllowingTwoAliases_getsThemAssigned_andTheLeastRecentlyUsedReassigned()
      throws Exception {
    try (RawMqtt dev = RawMqtt.open(gw.port("mqtt"))) {
      // CONNECT with Topic Alias Maximum (0x22) = 2
      dev.write(
          RawMqtt.connect(5, "ta-raw", 60, RawMqtt.concat(new byte[] {0x22}, RawMqtt.u16(2))));
      assertThat(dev.read().connackCode()).isZero();
      dev.write(RawMqtt.subscribe(0x82, true, 1, "ta1/#"));
      assertThat(dev.read().type()).isEqualTo(RawMqtt.SUBACK);

      Mqtt5BlockingClient pub = hive5(gw.port("mqtt"), "ta-pub");
      pub.connect();
      String[] topics = {"ta1/one", "ta1/one", "ta1/one", "ta1/two", "ta1/three", "ta1/one"};
      for (int i = 0; i < topics.length; i++) {
        publish(pub, topics[i], "m" + i, 1, false);
      }
      pub.disconnect();

      List<Wire> got = new ArrayList<>();
      for (int i = 0; i < topics.length; i++) {
        RawMqtt.Packet p = dev.read();
        assertThat(p.type()).isEqualTo(RawMqtt.PUBLISH);
        got.add(parse(p));
      }
      assertThat(got)
          .containsExactly(
              new Wire("ta1/one", 1, "m0"),
              new Wire("", 1, "m1"),
              new Wire("", 1, "m2"),
              new Wire("ta1/two", 2, "m3"),
              new Wire("ta1/three", 1, "m4"), // ta1/one was used least recently
              new Wire("ta1/one", 2, "m5"));
    }
  }

  @Test
  void aClientWithoutTopicAliasMaximum_getsNoAliases() throws Exception {
    try (RawMqtt dev = RawMqtt.connected5(gw.port("mqtt"), "ta-none")) {
      dev.write(RawMqtt.subscribe(0x82, true, 1, "ta2/#"));
      assertThat(dev.read().type()).isEqualTo(RawMqtt.SUBACK);
      Mqtt5BlockingClient pub = hive5(gw.port("mqtt"), "ta2-pub");
      pub.connect();
      publish(pub, "ta2/x", "a", 1, false);
      publish(pub, "ta2/x", "b", 1, false);
      pub.disconnect();
      assertThat(parse(dev.read())).isEqualTo(new Wire("ta2/x", 0, "a"));
      assertThat(parse(dev.read())).isEqualTo(new Wire("ta2/x", 0, "b"));
    }
  }

  @Test
  void theHiveMqClient_resolvesAssignedAliases_acrossManyTopics() throws Exception {
    Mqtt5BlockingClient sub = hive5(gw.port("mqtt"), "ta3-sub");
    sub.connectWith().restrictions().topicAliasMaximum(3).applyRestrictions().send();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("ta3/#").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5(gw.port("mqtt"), "ta3-pub");
      pub.connect();
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String t = "ta3/dev-" + (i * 7 % 5);
        publish(pub, t, t + "#" + i, 1, false);
        sent.add(t + "=" + t + "#" + i);
      }
      pub.disconnect();
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        Mqtt5Publish p = receive(in);
        got.add(p.getTopic() + "=" + text(p));
      }
      assertThat(got).containsExactlyElementsOf(sent);
    }
    sub.disconnect();
  }
}
