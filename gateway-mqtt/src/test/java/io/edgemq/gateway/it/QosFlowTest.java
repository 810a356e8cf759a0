package io.edgemq.gateway.it;

import static io.edgemq.gateway.it.Devices.WAIT_SECONDS;
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
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.gateway.api.Gateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * QoS flows end to end: the delivered QoS, overlapping subscriptions, subscription identifiers, No
 * Local, shared subscriptions on one and on two gateway nodes, and inbound QoS 2 resends stored
 * once (checked with a backend consumer of the broker topic: MQTT {@code qd1/a/x} is broker topic
 * {@code qd1}, tag {@code a}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QosFlowTest {
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

  // ---- Paho helpers ----

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
    c.connect();
    return c;
  }

  static MqttAsyncClient paho5(
      int port, String id, Queue<org.eclipse.paho.mqttv5.common.MqttMessage> in)
      throws MqttException {
    MqttAsyncClient c =
        new MqttAsyncClient(
            Devices.uri(port), id, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    c.setCallback(
        new org.eclipse.paho.mqttv5.client.MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse r) {}

          @Override
          public void mqttErrorOccurred(MqttException e) {}

          @Override
          public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
            in.add(m);
          }

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String uri) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties p) {}
        });
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    c.connect(o).waitForCompletion(WAIT_SECONDS * 1000);
    return c;
  }

  static void subscribe5(MqttAsyncClient c, String filter, int qos, Integer subscriptionId)
      throws MqttException {
    MqttProperties p = new MqttProperties();
    if (subscriptionId != null) {
      p.setSubscriptionIdentifier(subscriptionId);
    }
    c.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)}, null, null, p)
        .waitForCompletion(WAIT_SECONDS * 1000);
  }

  static String text5(org.eclipse.paho.mqttv5.common.MqttMessage m) {
    return new String(m.getPayload(), UTF_8);
  }

  // ---- QoS ----

  @Test
  void theDeliveredQosIsTheLowerOfThePublishAndTheSubscriptionQos() throws Exception {
    Mqtt5BlockingClient sub = hive5(port(), "qf1-sub");
    sub.connect();
    Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL);
    for (int s = 0; s <= 2; s++) {
      sub.subscribeWith().topicFilter("qf1/s" + s + "/#").qos(MqttQos.fromCode(s)).send();
    }
    BlockingQueue<MqttMessage> ignored = new LinkedBlockingQueue<>();
    MqttClient pub = paho3(port(), "qf1-pub", ignored);
    for (int s = 0; s <= 2; s++) {
      for (int p = 0; p <= 2; p++) {
        pub.publish("qf1/s" + s + "/p" + p, ("s" + s + "p" + p).getBytes(UTF_8), p, false);
      }
    }
    Map<String, Integer> qosByPayload = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      Mqtt5Publish m = receive(in);
      qosByPayload.put(text(m), m.getQos().getCode());
    }
    for (int s = 0; s <= 2; s++) {
      for (int p = 0; p <= 2; p++) {
        assertThat(qosByPayload)
            .as("subscribed at %d, published at %d", s, p)
            .containsEntry("s" + s + "p" + p, Math.min(s, p));
      }
    }
    in.close();
    sub.disconnect();
    pub.disconnect();
    pub.close();
  }

  @Test
  void overlappingSubscriptionsDeliverOnce_atTheHighestQos() throws Exception {
    Mqtt5BlockingClient hive = hive5(port(), "qf2-hive");
    hive.connect();
    Mqtt5BlockingClient.Mqtt5Publishes hiveIn = hive.publishes(MqttGlobalPublishFilter.ALL);
    hive.subscribeWith().topicFilter("qf2/+").qos(MqttQos.AT_MOST_ONCE).send();
    hive.subscribeWith().topicFilter("qf2/#").qos(MqttQos.EXACTLY_ONCE).send();
    BlockingQueue<MqttMessage> pahoIn = new LinkedBlockingQueue<>();
    MqttClient paho = paho3(port(), "qf2-paho", pahoIn);
    paho.subscribe(new String[] {"qf2/+", "qf2/#"}, new int[] {0, 2});

    Mqtt5BlockingClient pub = hive5(port(), "qf2-pub");
    pub.connect();
    publish(pub, "qf2/x", "both", 2, false);
    publish(pub, "qf2/x", "mark", 1, false);

    List<Mqtt5Publish> got = until(hiveIn, "mark");
    assertThat(got).extracting(Devices::text).containsExactly("both");
    assertThat(got.get(0).getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
    // Paho 3 hands a QoS 2 message over at PUBREL, so the QoS 1 marker may overtake it: collect
    // until both arrived, then a little longer for a second copy
    List<MqttMessage> pahoGot = new ArrayList<>();
    while (pahoGot.stream().map(m -> new String(m.getPayload(), UTF_8)).distinct().count() < 2) {
      pahoGot.add(receive(pahoIn));
    }
    MqttMessage extra;
    while ((extra = pahoIn.poll(300, TimeUnit.MILLISECONDS)) != null) {
      pahoGot.add(extra);
    }
    List<MqttMessage> both =
        pahoGot.stream().filter(m -> new String(m.getPayload(), UTF_8).equals("both")).toList();
    assertThat(both).hasSize(1);
    assertThat(both.get(0).getQos()).isEqualTo(2);

    hiveIn.close();
    hive.disconnect();
    paho.disconnect();
    paho.close();
    pub.disconnect();
  }

  @Test
  void theIdentifiersOfEveryMatchingSubscriptionAreCarried() throws Exception {
    BlockingQueue<org.eclipse.paho.mqttv5.common.MqttMessage> in = new LinkedBlockingQueue<>();
    MqttAsyncClient sub = paho5(port(), "qf3-sub", in);
    subscribe5(sub, "qf3/+/t", 1, 11);
    subscribe5(sub, "qf3/#", 1, 22);
    subscribe5(sub, "qf3/+/u", 1, null);

    Mqtt5BlockingClient pub = hive5(port(), "qf3-pub");
    pub.connect();
    publish(pub, "qf3/a/t", "t", 1, false);
    publish(pub, "qf3/a/u", "u", 1, false);

    org.eclipse.paho.mqttv5.common.MqttMessage t = Devices.receive(in);
    assertThat(text5(t)).isEqualTo("t");
    assertThat(t.getProperties().getSubscriptionIdentifiers()).containsExactlyInAnyOrder(11, 22);
    org.eclipse.paho.mqttv5.common.MqttMessage u = Devices.receive(in);
    assertThat(text5(u)).isEqualTo("u");
    assertThat(u.getProperties().getSubscriptionIdentifiers()).containsExactly(22);

    pub.disconnect();
    sub.disconnect().waitForCompletion(WAIT_SECONDS * 1000);
    sub.close();
  }

  @Test
  void noLocalKeepsAClientsOwnMessagesFromIt_butNotOthers() throws Exception {
    Mqtt5BlockingClient a = hive5(port(), "qf4-a");
    a.connect();
    Mqtt5BlockingClient.Mqtt5Publishes in = a.publishes(MqttGlobalPublishFilter.ALL);
    a.subscribeWith().topicFilter("qf4/#").qos(MqttQos.AT_LEAST_ONCE).noLocal(true).send();
    // a second, overlapping subscription without No Local, only for the marker
    a.subscribeWith().topicFilter("qf4/+/mark").qos(MqttQos.AT_LEAST_ONCE).send();

    Mqtt5BlockingClient b = hive5(port(), "qf4-b");
    b.connect();
    publish(b, "qf4/a", "from-b", 1, false);
    assertThat(text(receive(in))).isEqualTo("from-b");

    publish(a, "qf4/a", "own", 1, false);
    publish(a, "qf4/a/mark", "mark", 1, false); // same broker queue as "own", after it
    assertThat(until(in, "mark")).extracting(Devices::text).isEmpty();

    in.close();
    a.disconnect();
    b.disconnect();
  }

  // ---- shared subscriptions ----

  @Test
  void aSharedSubscriptionSplitsMessagesBetweenTwoClientsOnOneGateway_eachExactlyOnce()
      throws Exception {
    Queue<String> one = new ConcurrentLinkedQueue<>();
    Mqtt5BlockingClient c1 = hive5(port(), "qf5-c1");
    c1.connect();
    c1.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> one.add(text(p)));
    c1.subscribeWith().topicFilter("$share/g5/qf5/#").qos(MqttQos.AT_LEAST_ONCE).send();
    Queue<org.eclipse.paho.mqttv5.common.MqttMessage> two = new ConcurrentLinkedQueue<>();
    MqttAsyncClient c2 = paho5(port(), "qf5-c2", two);
    subscribe5(c2, "$share/g5/qf5/#", 1, null);

    Mqtt5BlockingClient pub = hive5(port(), "qf5-pub");
    pub.connect();
    Set<String> sent = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      publish(pub, "qf5/a/x", "m" + i, 1, false);
      sent.add("m" + i);
    }
    List<String> twoText = new CopyOnWriteArrayList<>();
    await()
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(
            () -> {
              drain(two, twoText);
              return one.size() + twoText.size() >= sent.size();
            });
    // and nothing more comes
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              drain(two, twoText);
              return one.size() + twoText.size() == sent.size();
            });
    assertThat(one).as("first client's share").isNotEmpty();
    assertThat(twoText).as("second client's share").isNotEmpty();
    List<String> all = new ArrayList<>(one);
    all.addAll(twoText);
    assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);

    pub.disconnect();
    c1.disconnect();
    c2.disconnect().waitForCompletion(WAIT_SECONDS * 1000);
    c2.close();
  }

  private static void drain(
      Queue<org.eclipse.paho.mqttv5.common.MqttMessage> from, Collection<String> to) {
    org.eclipse.paho.mqttv5.common.MqttMessage m;
    while ((m = from.poll()) != null) {
      to.add(text5(m));
    }
  }

  /**
   * Client ids whose message groups land on every one of the topic's 4 queues (the producer picks
   * queue {@code floorMod(group.hashCode(), queues)}), so both nodes' queues get messages.
   */
  static List<String> publishersOnEveryQueue(String prefix) {
    Map<Integer, String> byQueue = new HashMap<>();
    for (int i = 0; byQueue.size() < 4; i++) {
      String id = prefix + i;
      byQueue.putIfAbsent(Math.floorMod(id.hashCode(), 4), id);
    }
    return List.copyOf(byQueue.values());
  }

  @Test
  void aSharedSubscriptionAcrossTwoGatewayNodes_deliversEachMessageExactlyOnce() throws Exception {
    Gateway gw2 = fx.gateway("gw2");
    Queue<String> one = new ConcurrentLinkedQueue<>();
    Queue<String> two = new ConcurrentLinkedQueue<>();
    Mqtt5BlockingClient c1 = hive5(port(), "qf6-c1");
    c1.connect();
    c1.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> one.add(text(p)));
    c1.subscribeWith().topicFilter("$share/g6/qf6/#").qos(MqttQos.AT_LEAST_ONCE).send();
    Mqtt5BlockingClient c2 = hive5(gw2.port("mqtt"), "qf6-c2");
    c2.connect();
    c2.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> two.add(text(p)));
    c2.subscribeWith().topicFilter("$share/g6/qf6/#").qos(MqttQos.AT_LEAST_ONCE).send();

    List<Mqtt5BlockingClient> pubs = new ArrayList<>();
    for (String id : publishersOnEveryQueue("qf6-pub-")) {
      Mqtt5BlockingClient p = hive5(port(), id);
      p.connect();
      pubs.add(p);
    }
    // the nodes' consumers split the queues between them in the background: publish rounds
    // until one round goes exactly once, with a share on each node
    int[] round = {0};
    await()
        .atMost(Duration.ofSeconds(40))
        .until(
            () -> {
              String tag = "warm-" + ++round[0] + "-";
              for (int i = 0; i < pubs.size(); i++) {
                publish(pubs.get(i), "qf6/a/x", tag + i, 1, false);
              }
              await()
                  .atMost(Duration.ofSeconds(WAIT_SECONDS))
                  .until(() -> count(one, tag) + count(two, tag) >= pubs.size());
              return count(one, tag) > 0
                  && count(two, tag) > 0
                  && count(one, tag) + count(two, tag) == pubs.size();
            });

    Set<String> sent = new HashSet<>();
    for (int n = 0; n < 10; n++) {
      for (int i = 0; i < pubs.size(); i++) {
        publish(pubs.get(i), "qf6/a/x", "b-" + i + "-" + n, 1, false);
        sent.add("b-" + i + "-" + n);
      }
    }
    await()
        .atMost(Duration.ofSeconds(WAIT_SECONDS))
        .until(() -> count(one, "b-") + count(two, "b-") >= sent.size());
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> count(one, "b-") + count(two, "b-") == sent.size());
    List<String> all = new ArrayList<>();
    one.stream().filter(s -> s.startsWith("b-")).forEach(all::add);
    two.stream().filter(s -> s.startsWith("b-")).forEach(all::add);
    assertThat(count(one, "b-")).as("gw1's share").isPositive();
    assertThat(count(two, "b-")).as("gw2's share").isPositive();
    assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);

    for (Mqtt5BlockingClient p : pubs) {
      p.disconnect();
    }
    c1.disconnect();
    c2.disconnect();
  }

  private static long count(Queue<String> q, String prefix) {
    return q.stream().filter(s -> s.startsWith(prefix)).count();
  }

  // ---- inbound QoS 2 ----

  /** Bodies of the broker topic's messages, as a backend reads them, in queue order. */
  PushConsumer backend(String topic, List<String> bodies) {
    return PushConsumer.builder()
        .clientConfig(fx.clientConfig())
        .consumerGroup("backend-" + topic)
        .subscribe(topic, "*")
        .consumeFrom(ConsumeFrom.EARLIEST)
        .orderly(true)
        .listener(
            m -> {
              bodies.add(new String(m.bodyBytes(), UTF_8));
              return ConsumeResult.SUCCESS;
            })
        .build();
  }

  /** A QoS 1 PUBLISH answered by PUBACK; it also makes the broker topic exist. */
  static void publishQos1(HandMqttClient c, int packetId, String topic, String payload)
      throws Exception {
    c.publish(1, false, packetId, topic, payload.getBytes(UTF_8));
    assertThat(c.expect(HandMqttClient.PUBACK).packetId()).isEqualTo(packetId);
  }

  /** Waits until the backend read the marker; returns how often it read the payload. */
  static long storedCopies(List<String> bodies, String payload, String marker) {
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> bodies.contains(marker));
    return bodies.stream().filter(payload::equals).count();
  }

  @Test
  void aQos2PublishResentAfterItsPubrec_isStoredOnce() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    try (HandMqttClient dev = HandMqttClient.open(port())) {
      assertThat(dev.connect("qd1-dev", true, 60, null).returnCode()).isZero();
      publishQos1(dev, 1, "qd1/a/x", "warm-up");
      try (PushConsumer c = backend("qd1", bodies)) {
        byte[] payload = "exactly-once".getBytes(UTF_8);
        dev.publish(2, false, 7, "qd1/a/x", payload);
        assertThat(dev.expect(HandMqttClient.PUBREC).packetId()).isEqualTo(7);
        dev.publish(2, true, 7, "qd1/a/x", payload); // resent with DUP before PUBREL
        assertThat(dev.expect(HandMqttClient.PUBREC).packetId()).isEqualTo(7);
        dev.pubRel(7);
        assertThat(dev.expect(HandMqttClient.PUBCOMP).packetId()).isEqualTo(7);
        publishQos1(dev, 8, "qd1/a/x", "mark");
        assertThat(storedCopies(bodies, "exactly-once", "mark")).isEqualTo(1);
      }
    }
  }

  @Test
  void aQos2PublishResentBeforeItsPubrec_isStoredOnce() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    try (HandMqttClient dev = HandMqttClient.open(port())) {
      assertThat(dev.connect("qd2-dev", true, 60, null).returnCode()).isZero();
      publishQos1(dev, 1, "qd2/a/x", "warm-up");
      try (PushConsumer c = backend("qd2", bodies)) {
        byte[] payload = "exactly-once".getBytes(UTF_8);
        dev.publish(2, false, 9, "qd2/a/x", payload);
        dev.publish(2, true, 9, "qd2/a/x", payload); // while the broker still stores the first
        assertThat(dev.expect(HandMqttClient.PUBREC).packetId()).isEqualTo(9);
        assertThat(dev.expect(HandMqttClient.PUBREC).packetId()).isEqualTo(9);
        dev.pubRel(9);
        assertThat(dev.expect(HandMqttClient.PUBCOMP).packetId()).isEqualTo(9);
        publishQos1(dev, 10, "qd2/a/x", "mark");
        assertThat(storedCopies(bodies, "exactly-once", "mark")).isEqualTo(1);
      }
    }
  }

  @Test
  void aQos2PublishResentOnANewConnection_afterTheFirstDroppedBeforeItsPubrec_isStoredOnce()
      throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    byte[] payload = "exactly-once".getBytes(UTF_8);
    try (HandMqttClient dev = HandMqttClient.open(port())) {
      assertThat(dev.connect("qd3-dev", false, 60, null).returnCode()).isZero();
      publishQos1(dev, 1, "qd3/a/x", "warm-up");
    }
    try (PushConsumer c = backend("qd3", bodies)) {
      try (HandMqttClient dev = HandMqttClient.open(port())) {
        assertThat(dev.connect("qd3-dev", false, 60, null).returnCode()).isZero();
        dev.publish(2, false, 5, "qd3/a/x", payload);
      } // dropped before the PUBREC could come back
      // the broker stored it after all; the client does not know and sends it again
      await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> bodies.contains("exactly-once"));
      try (HandMqttClient dev = HandMqttClient.open(port())) {
        HandMqttClient.Packet ack = dev.connect("qd3-dev", false, 60, null);
        assertThat(ack.returnCode()).isZero();
        assertThat(ack.body()[0] & 1).as("session present").isEqualTo(1);
        dev.publish(2, true, 5, "qd3/a/x", payload);
        assertThat(dev.expect(HandMqttClient.PUBREC).packetId()).isEqualTo(5);
        dev.pubRel(5);
        assertThat(dev.expect(HandMqttClient.PUBCOMP).packetId()).isEqualTo(5);
        publishQos1(dev, 6, "qd3/a/x", "mark");
        assertThat(storedCopies(bodies, "exactly-once", "mark")).isEqualTo(1);
      }
    }
  }
}
