package io.edgemq.gateway.it;

import static io.edgemq.gateway.it.Devices.hive5;
import static io.edgemq.gateway.it.Devices.publish;
import static io.edgemq.gateway.it.Devices.text;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retained messages live in the brokers: a message retained through one node reaches subscribers of
 * another, a node started later reads every retained message, and a clear through one node clears
 * it everywhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetainedAcrossNodesTest {
  @TempDir static Path dir;
  GatewayFixture fx;
  Gateway a;
  Gateway b;

  @BeforeAll
  void start() throws Exception {
    fx = new GatewayFixture(dir);
    a = fx.gateway("ra-a");
    b = fx.gateway("ra-b");
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  static void retain(Gateway node, String topic, String payload) {
    Mqtt5BlockingClient pub = hive5(node.port("mqtt"), "pub-" + topic.replace('/', '-'));
    pub.connect();
    publish(pub, topic, payload, 1, true);
    pub.disconnect();
  }

  /** Subscribes and collects what arrives within a short while. */
  static List<String> retainedSeen(Gateway node, String filter, String clientId) throws Exception {
    Mqtt5BlockingClient sub = hive5(node.port("mqtt"), clientId);
    sub.connect();
    List<String> got = new ArrayList<>();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
      Optional<Mqtt5Publish> p;
      while ((p = in.receive(700, TimeUnit.MILLISECONDS)).isPresent()) {
        assertThat(p.get().isRetain()).isTrue();
        got.add(p.get().getTopic() + "=" + text(p.get()));
      }
    }
    sub.disconnect();
    return got;
  }

  @Test
  void retainedThroughOneNode_isDeliveredBySubscribersOfAnother_andSurvivesEveryNode()
      throws Exception {
    retain(a, "ra1/door", "open");
    retain(b, "ra1/light", "on");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> retainedSeen(b, "ra1/#", "ra1-s1").size() == 2);
    assertThat(retainedSeen(a, "ra1/#", "ra1-s2"))
        .containsExactlyInAnyOrder("ra1/door=open", "ra1/light=on");

    Gateway later = fx.gateway("ra-later");
    assertThat(retainedSeen(later, "ra1/#", "ra1-s3"))
        .as("a node started later read the retained log")
        .containsExactlyInAnyOrder("ra1/door=open", "ra1/light=on");
    fx.stop(later);
  }

  @Test
  void clearThroughOneNode_clearsEverywhere_replaceKeepsTheNewest() throws Exception {
    retain(a, "ra2/x", "v1");
    retain(b, "ra2/x", "v2");
    retain(a, "ra2/y", "keep");
    retain(b, "ra2/y", "");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(retainedSeen(a, "ra2/#", "ra2-s1")).containsExactly("ra2/x=v2"));
    Gateway later = fx.gateway("ra-later2");
    assertThat(retainedSeen(later, "ra2/#", "ra2-s2")).containsExactly("ra2/x=v2");
    fx.stop(later);
  }

  @Test
  void aNodeRestart_keepsRetainedMessages() throws Exception {
    Gateway c = fx.gateway("ra-c");
    retain(c, "ra3/state", "ready");
    fx.stop(c);
    Gateway again = fx.gateway("ra-c");
    assertThat(retainedSeen(again, "ra3/+", "ra3-s1")).containsExactly("ra3/state=ready");
    fx.stop(again);
  }
}
