package io.edgemq.gateway.it;

import static io.edgemq.gateway.it.Devices.hive5;
import static io.edgemq.gateway.it.Devices.text;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.Producer;
import io.edgemq.gateway.api.Gateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscription whose first level is a wildcard sees broker topics this node never heard of
 * (created by a backend after the subscription), but not the gateway's own session, retained and
 * will topics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WildcardTopicsTest {
  @TempDir static Path dir;
  GatewayFixture fx;
  Gateway gw;

  @BeforeAll
  void start() throws Exception {
    fx = new GatewayFixture(dir);
    gw = fx.gateway("wt");
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void hashSubscriber_getsABackendTopicCreatedLater_butNoInternalRecords() throws Exception {
    Mqtt5BlockingClient sub = hive5(gw.port("mqtt"), "wt-sub");
    sub.connectWith().cleanStart(false).sessionExpiryInterval(60).send(); // writes a session record
    try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
      try (Admin admin = Admin.builder().clientConfig(fx.clientConfig()).build();
          Producer producer = Producer.builder().clientConfig(fx.clientConfig()).build()) {
        admin.createTopic("backend-events", 2);
        Message m =
            Message.builder()
                .topic("backend-events")
                .tag("alarm")
                .body("overheat".getBytes(UTF_8))
                .build();
        // the node looks for new topics every 2 s; a message sent before its feed starts is not
        // seen (feeds start at the end), so keep sending until one arrives
        Optional<Mqtt5Publish> got = Optional.empty();
        for (int i = 0; i < 20 && got.isEmpty(); i++) {
          producer.send(m);
          got = in.receive(1, TimeUnit.SECONDS);
        }
        assertThat(got).isPresent();
        assertThat(got.get().getTopic().toString()).isEqualTo("backend-events/alarm");
        assertThat(text(got.get())).isEqualTo("overheat");
      }
      // drain what the loop sent, then nothing else may come (no session/retained/will records)
      while (in.receive(700, TimeUnit.MILLISECONDS)
          .filter(p -> p.getTopic().toString().equals("backend-events/alarm"))
          .isPresent()) {}
      sub.disconnectWith().sessionExpiryInterval(60).send();
    }
    Mqtt5BlockingClient other = hive5(gw.port("mqtt"), "wt-other");
    other.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
    other.disconnect();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
      assertThat(in.receive(Duration.ofSeconds(3).toMillis(), TimeUnit.MILLISECONDS))
          .as("session records of wt-other are not MQTT messages")
          .isEmpty();
    }
    sub.disconnect();
  }
}
