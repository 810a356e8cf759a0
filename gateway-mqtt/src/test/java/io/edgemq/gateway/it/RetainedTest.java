package io.edgemq.gateway.it;

import static io.edgemq.gateway.it.Devices.hive3;
import static io.edgemq.gateway.it.Devices.hive5;
import static io.edgemq.gateway.it.Devices.publish;
import static io.edgemq.gateway.it.Devices.receive;
import static io.edgemq.gateway.it.Devices.text;
import static io.edgemq.gateway.it.Devices.until;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import io.edgemq.gateway.api.Gateway;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
 * Retained messages end to end: set, replaced, cleared; sent on subscribe with the retain flag;
 * live deliveries without it unless Retain As Published; Retain Handling 1 and 2. Each test uses
 * its own topics and client ids on one gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetainedTest {
  @TempDir static Path dir;
  GatewayFixture fx;
  Gateway gw;

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

  MqttClient paho3(String id, BlockingQueue<MqttMessage> in) throws Exception {
    MqttClient c = new MqttClient(Devices.uri(port()), id, new MemoryPersistence());
    c.setCallback(
        new org.eclipse.paho.client.mqttv3.MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            in.add(message);
          }

          @Override
          public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
        });
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    c.connect(o);
    return c;
  }

  @Test
  void aRetainedMessageIsSentOnSubscribe_withTheRetainFlagSet() throws Exception {
    Mqtt5BlockingClient pub = hive5(port(), "rt1-pub");
    pub.connect();
    publish(pub, "rt1/a/state", "on", 1, true);

    BlockingQueue<MqttMessage> pahoIn = new LinkedBlockingQueue<>();
    MqttClient paho = paho3("rt1-paho", pahoIn);
    paho.subscribe("rt1/#", 1);
    MqttMessage m = receive(pahoIn);
    assertThat(new String(m.getPayload(), UTF_8)).isEqualTo("on");
    assertThat(m.isRetained()).as("retain flag (MQTT 3.1.1, Paho)").isTrue();

    Mqtt5BlockingClient hive = hive5(port(), "rt1-hive");
    hive.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = hive.publishes(MqttGlobalPublishFilter.ALL)) {
      hive.subscribeWith().topicFilter("rt1/+/state").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5Publish p = receive(in);
      assertThat(text(p)).isEqualTo("on");
      assertThat(p.getTopic().toString()).isEqualTo("rt1/a/state");
      assertThat(p.isRetain()).as("retain flag (MQTT 5, HiveMQ)").isTrue();
    }
    hive.disconnect();
    paho.disconnect();
    paho.close();
    pub.disconnect();
  }

  @Test
  void aRetainedMessageIsReplacedByTheNextOne_andClearedByAnEmptyPayload() throws Exception {
    Mqtt3BlockingClient pub = hive3(port(), "rt2-pub");
    pub.connect();
    for (String v : List.of("v1", "v2")) {
      pub.publishWith()
          .topic("rt2/a/state")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retain(true)
          .payload(v.getBytes(UTF_8))
          .send();
    }
    Mqtt5BlockingClient first = hive5(port(), "rt2-first");
    first.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = first.publishes(MqttGlobalPublishFilter.ALL)) {
      first.subscribeWith().topicFilter("rt2/a/state").qos(MqttQos.AT_LEAST_ONCE).send();
      pub.publishWith()
          .topic("rt2/a/state")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("mark-1".getBytes(UTF_8))
          .send();
      List<Mqtt5Publish> got = until(in, "mark-1");
      assertThat(got).extracting(Devices::text).containsExactly("v2");
      assertThat(got.get(0).isRetain()).isTrue();
    }
    first.disconnect();

    // an empty retained payload clears the topic
    pub.publishWith()
        .topic("rt2/a/state")
        .qos(MqttQos.AT_LEAST_ONCE)
        .retain(true)
        .payload(new byte[0])
        .send();
    Mqtt5BlockingClient later = hive5(port(), "rt2-later");
    later.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = later.publishes(MqttGlobalPublishFilter.ALL)) {
      later.subscribeWith().topicFilter("rt2/#").qos(MqttQos.AT_LEAST_ONCE).send();
      pub.publishWith()
          .topic("rt2/a/state")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("mark-2".getBytes(UTF_8))
          .send();
      assertThat(until(in, "mark-2")).as("retained messages after the clear").isEmpty();
    }
    later.disconnect();
    pub.disconnect();
  }

  @Test
  void liveDeliveriesHaveRetainFalse_unlessTheSubscriptionIsRetainAsPublished() throws Exception {
    Mqtt5BlockingClient plain = hive5(port(), "rt3-plain");
    plain.connect();
    Mqtt5BlockingClient.Mqtt5Publishes plainIn = plain.publishes(MqttGlobalPublishFilter.ALL);
    plain.subscribeWith().topicFilter("rt3/#").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient rap = hive5(port(), "rt3-rap");
    rap.connect();
    Mqtt5BlockingClient.Mqtt5Publishes rapIn = rap.publishes(MqttGlobalPublishFilter.ALL);
    rap.subscribeWith()
        .topicFilter("rt3/#")
        .qos(MqttQos.AT_LEAST_ONCE)
        .retainAsPublished(true)
        .send();
    BlockingQueue<MqttMessage> pahoIn = new LinkedBlockingQueue<>();
    MqttClient paho = paho3("rt3-paho", pahoIn);
    paho.subscribe("rt3/#", 1);

    Mqtt5BlockingClient pub = hive5(port(), "rt3-pub");
    pub.connect();
    publish(pub, "rt3/a/state", "live-retained", 1, true);
    publish(pub, "rt3/a/state", "live-plain", 1, false);

    Mqtt5Publish p = receive(plainIn);
    assertThat(text(p)).isEqualTo("live-retained");
    assertThat(p.isRetain()).as("live delivery, Retain As Published off").isFalse();
    Mqtt5Publish r = receive(rapIn);
    assertThat(text(r)).isEqualTo("live-retained");
    assertThat(r.isRetain()).as("live delivery, Retain As Published on").isTrue();
    MqttMessage m = receive(pahoIn);
    assertThat(new String(m.getPayload(), UTF_8)).isEqualTo("live-retained");
    assertThat(m.isRetained()).as("live delivery to MQTT 3.1.1").isFalse();
    Mqtt5Publish r2 = receive(rapIn);
    assertThat(text(r2)).isEqualTo("live-plain");
    assertThat(r2.isRetain()).as("a message published without retain").isFalse();

    plainIn.close();
    rapIn.close();
    plain.disconnect();
    rap.disconnect();
    paho.disconnect();
    paho.close();
    pub.disconnect();
  }

  @Test
  void retainHandling1_sendsRetainedMessagesOnlyForANewSubscription() throws Exception {
    Mqtt5BlockingClient pub = hive5(port(), "rt4-pub");
    pub.connect();
    publish(pub, "rt4/a/state", "kept", 1, true);

    Mqtt5BlockingClient sub = hive5(port(), "rt4-sub");
    sub.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      subscribe(sub, Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST);
      Mqtt5Publish p = receive(in);
      assertThat(text(p)).isEqualTo("kept");
      assertThat(p.isRetain()).isTrue();

      // the same filter again: the subscription exists, so nothing is sent
      subscribe(sub, Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST);
      publish(pub, "rt4/a/state", "mark-1", 1, false);
      assertThat(until(in, "mark-1")).extracting(Devices::text).isEmpty();

      // control: Retain Handling 0 sends it on every SUBSCRIBE
      subscribe(sub, Mqtt5RetainHandling.SEND);
      publish(pub, "rt4/a/state", "mark-2", 1, false);
      assertThat(until(in, "mark-2")).extracting(Devices::text).containsExactly("kept");
    }
    sub.disconnect();
    pub.disconnect();
  }

  private static void subscribe(Mqtt5BlockingClient c, Mqtt5RetainHandling handling) {
    c.subscribeWith()
        .topicFilter("rt4/#")
        .qos(MqttQos.AT_LEAST_ONCE)
        .retainHandling(handling)
        .send();
  }

  @Test
  void retainHandling2_neverSendsRetainedMessages() throws Exception {
    Mqtt5BlockingClient pub = hive5(port(), "rt5-pub");
    pub.connect();
    publish(pub, "rt5/a/state", "kept", 1, true);

    Mqtt5BlockingClient sub = hive5(port(), "rt5-sub");
    sub.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith()
          .topicFilter("rt5/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND)
          .send();
      publish(pub, "rt5/a/state", "mark", 1, false);
      assertThat(until(in, "mark")).extracting(Devices::text).isEmpty();
    }
    sub.disconnect();
    pub.disconnect();
  }
}
