package io.edgemq.gateway.it;

import static io.edgemq.gateway.it.Devices.hive5;
import static io.edgemq.gateway.it.Devices.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.gateway.api.Gateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that stops and does not come back: after {@code willNodeTimeout} of silence in the will
 * log, a surviving node publishes the wills it held, once, and the node does not publish them again
 * when it returns later.
 */
class WillNodeTakeoverTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @TempDir Path dir;
  GatewayFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new GatewayFixture(dir);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
  }

  private Gateway node(String id) throws Exception {
    return fx.gateway(id, b -> b.willNodeTimeout(TIMEOUT));
  }

  @Test
  void aSurvivorPublishesThePendingWillOfANodeThatDidNotComeBack() throws Exception {
    Gateway survivor = node("tk-a");
    Gateway doomed = node("tk-c");
    Mqtt5BlockingClient watcher = hive5(survivor.port("mqtt"), "tk-watcher");
    watcher.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes seen = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
      watcher.subscribeWith().topicFilter("tk/#").qos(MqttQos.AT_LEAST_ONCE).send();
      // a will delayed by 2 s, left pending on the node that then stops for good
      WillAcrossNodesTest.leaveWithDelayedWill(doomed, "tk-dev", "tk/dev/status", 2);
      fx.stop(doomed);

      Optional<Mqtt5Publish> will = seen.receive(20, TimeUnit.SECONDS);
      assertThat(will).as("published by the survivor").isPresent();
      assertThat(will.get().getTopic().toString()).isEqualTo("tk/dev/status");
      assertThat(text(will.get())).isEqualTo("gone");
      assertThat(seen.receive(3, TimeUnit.SECONDS)).as("published once").isEmpty();

      // the node comes back later: the will was taken over, so it does not publish it again
      Gateway back = node("tk-c");
      assertThat(seen.receive(3, TimeUnit.SECONDS)).as("not published again").isEmpty();
      fx.stop(back);
    }
    watcher.disconnect();
  }

  @Test
  void aNodeThatKeepsItsHeartbeatKeepsItsWills() throws Exception {
    Gateway a = node("tk-a");
    Gateway c = node("tk-c");
    Mqtt5BlockingClient watcher = hive5(a.port("mqtt"), "tk2-watcher");
    watcher.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes seen = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
      watcher.subscribeWith().topicFilter("tk2/#").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient dev = hive5(c.port("mqtt"), "tk2-dev");
      dev.connectWith()
          .willPublish()
          .topic("tk2/dev/status")
          .payload("gone".getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .applyWillPublish()
          .send();
      // three timeouts pass with the connection and its node alive: no node publishes the will
      assertThat(seen.receive(3 * TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isEmpty();
      dev.disconnect();
    }
    watcher.disconnect();
  }
}
