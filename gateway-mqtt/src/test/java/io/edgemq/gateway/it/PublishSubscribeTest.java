package io.edgemq.gateway.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.gateway.api.Gateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Devices with the HiveMQ and Paho client libraries, a backend with the project's client. */
class PublishSubscribeTest {
  @TempDir Path dir;
  GatewayFixture fx;
  Gateway gw;

  @BeforeEach
  void start() throws Exception {
    fx = new GatewayFixture(dir);
    gw = fx.gateway("gw1");
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  Mqtt5BlockingClient hive(String id) {
    Mqtt5BlockingClient c =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(gw.port("mqtt"))
            .buildBlocking();
    c.connect();
    return c;
  }

  MqttClient paho(String id) throws Exception {
    MqttClient c =
        new MqttClient("tcp://127.0.0.1:" + gw.port("mqtt"), id, new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    c.connect(o);
    return c;
  }

  @Test
  void aQos1PublishIsStoredInTheMappedBrokerTopicBeforeItsPuback() throws Exception {
    List<MessageView> seen = new CopyOnWriteArrayList<>();
    try (PushConsumer backend =
        PushConsumer.builder()
            .clientConfig(fx.clientConfig())
            .consumerGroup("backend")
            .subscribe("telemetry", "*")
            .consumeFrom(ConsumeFrom.EARLIEST)
            .listener(
                m -> {
                  seen.add(m);
                  return ConsumeResult.SUCCESS;
                })
            .build()) {
      Mqtt5BlockingClient dev = hive("dev-7");
      Mqtt5PublishResult r =
          dev.publishWith()
              .topic("factory/line1/dev-7/telemetry/temp")
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload("21.5".getBytes(UTF_8))
              .contentType("text/plain")
              .userProperties()
              .add("unit", "C")
              .applyUserProperties()
              .send();
      assertThat(r.getError()).isEmpty();
      dev.disconnect();
      await().atMost(Duration.ofSeconds(20)).until(() -> !seen.isEmpty());
      MessageView m = seen.get(0);
      assertThat(m.topic()).isEqualTo("telemetry");
      assertThat(m.tag()).contains("temp");
      assertThat(m.keys()).contains("dev-7");
      assertThat(new String(m.bodyBytes(), UTF_8)).isEqualTo("21.5");
      assertThat(m.properties())
          .containsEntry("mqtt.topic", "factory/line1/dev-7/telemetry/temp")
          .containsEntry("mqtt.qos", "1")
          .containsEntry("mqtt.clientid", "dev-7")
          .containsEntry("mqtt.content-type", "text/plain")
          .containsEntry("unit", "C");
    }
  }

  @Test
  void deliversAtEveryQosFromPahoToHiveMq() throws Exception {
    Mqtt5BlockingClient sub = hive("sub-1");
    sub.subscribeWith().topicFilter("sensors/#").qos(MqttQos.EXACTLY_ONCE).send();
    Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL);
    MqttClient pub = paho("pub-1");
    for (int qos = 0; qos <= 2; qos++) {
      pub.publish("sensors/a/q" + qos, ("m" + qos).getBytes(UTF_8), qos, false);
    }
    for (int qos = 0; qos <= 2; qos++) {
      Optional<Mqtt5Publish> p = in.receive(20, TimeUnit.SECONDS);
      assertThat(p).isPresent();
      assertThat(p.get().getTopic().toString()).isEqualTo("sensors/a/q" + qos);
      assertThat(p.get().getQos().getCode()).isEqualTo(qos);
      assertThat(new String(p.get().getPayloadAsBytes(), UTF_8)).isEqualTo("m" + qos);
    }
    pub.disconnect();
    pub.close();
    sub.disconnect();
  }
}
