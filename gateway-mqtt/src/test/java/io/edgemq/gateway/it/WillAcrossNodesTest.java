package io.edgemq.gateway.it;

import static io.edgemq.gateway.it.Devices.hive5;
import static io.edgemq.gateway.it.Devices.receive;
import static io.edgemq.gateway.it.Devices.text;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.gateway.api.Gateway;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wills kept in the brokers: a delayed will still pending when its node stops is published by the
 * node when it starts again, and a client that reconnects to another node before the delay cancels
 * the will on the node that holds it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WillAcrossNodesTest {
  @TempDir static Path dir;
  GatewayFixture fx;
  Gateway a;
  Gateway b;

  @BeforeAll
  void start() throws Exception {
    fx = new GatewayFixture(dir);
    a = fx.gateway("wa-a");
    b = fx.gateway("wa-b");
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  /** Connects with a will delayed by the given seconds, then ends with "disconnect with will". */
  static void leaveWithDelayedWill(Gateway node, String clientId, String topic, int delaySeconds) {
    Mqtt5BlockingClient dev = hive5(node.port("mqtt"), clientId);
    dev.connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(60)
        .willPublish()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("gone".getBytes(UTF_8))
        .delayInterval(delaySeconds)
        .applyWillPublish()
        .send();
    dev.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
  }

  @Test
  void aPendingWillSurvivesItsNodeRestart_andIsPublishedWhenDue() throws Exception {
    Mqtt5BlockingClient watcher = hive5(b.port("mqtt"), "wa1-watcher");
    watcher.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes seen = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
      watcher.subscribeWith().topicFilter("wa1/#").qos(MqttQos.AT_LEAST_ONCE).send();
      Gateway c = fx.gateway("wa-c");
      leaveWithDelayedWill(c, "wa1-dev", "wa1/dev/status", 3);
      fx.stop(c); // the delay has not passed: the will is only in the will log now
      assertThat(seen.receive(500, TimeUnit.MILLISECONDS)).as("not yet").isEmpty();

      Gateway again = fx.gateway("wa-c");
      Mqtt5Publish will = receive(seen);
      assertThat(will.getTopic().toString()).isEqualTo("wa1/dev/status");
      assertThat(text(will)).isEqualTo("gone");
      assertThat(seen.receive(1, TimeUnit.SECONDS)).as("published once").isEmpty();
      fx.stop(again);
    }
    watcher.disconnect();
  }

  @Test
  void reconnectingToAnotherNode_beforeTheDelay_cancelsTheWill() throws Exception {
    Mqtt5BlockingClient watcher = hive5(b.port("mqtt"), "wa2-watcher");
    watcher.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes seen = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
      watcher.subscribeWith().topicFilter("wa2/#").qos(MqttQos.AT_LEAST_ONCE).send();
      leaveWithDelayedWill(a, "wa2-dev", "wa2/dev/status", 2);
      Mqtt5BlockingClient back = hive5(b.port("mqtt"), "wa2-dev");
      back.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
      Optional<Mqtt5Publish> will = seen.receive(4, TimeUnit.SECONDS);
      assertThat(will).as("no will: the client came back in time").isEmpty();
      back.disconnect();
    }
    watcher.disconnect();
  }
}
