package io.edgemq.gateway.it;

import static io.edgemq.gateway.it.Devices.WAIT_SECONDS;
import static io.edgemq.gateway.it.Devices.hive3;
import static io.edgemq.gateway.it.Devices.hive5;
import static io.edgemq.gateway.it.Devices.publish;
import static io.edgemq.gateway.it.Devices.receive;
import static io.edgemq.gateway.it.Devices.text;
import static io.edgemq.gateway.it.Devices.until;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.gateway.api.Gateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sessions end to end: persistent sessions keep subscriptions and QoS 1 messages while the client
 * is away (QoS 0 ones are dropped), clean sessions start empty, a second connection takes a client
 * id over, empty client ids, and redelivery with DUP of what the client never acknowledged.
 *
 * <p>"While offline" needs care: a message must reach the gateway before the client comes back, or
 * it is simply delivered live. A witness client subscribed to the same topics sees a sync message
 * published after the offline ones into the same broker queue; once it has, the gateway has offered
 * every offline message to the absent session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionTest {
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

  /** A Paho 3.1.1 client whose callback queues what arrives (and fails while told to). */
  MqttClient paho3(String id, BlockingQueue<MqttMessage> in, AtomicBoolean fail) throws Exception {
    MqttClient c = new MqttClient(Devices.uri(port()), id, new MemoryPersistence());
    c.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            in.add(message);
            if (fail.get()) {
              throw new IllegalStateException("refusing " + message);
            }
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    return c;
  }

  static MqttConnectOptions cleanSession(boolean clean) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(clean);
    return o;
  }

  static String text3(MqttMessage m) {
    return new String(m.getPayload(), UTF_8);
  }

  /** Publishes the payloads, then "sync", and waits until the witness saw "sync". */
  List<Mqtt5Publish> publishWhileOffline(String prefix, int qos, String... payloads)
      throws Exception {
    Mqtt5BlockingClient witness = hive5(port(), prefix + "-witness");
    witness.connect();
    List<Mqtt5Publish> seen;
    try (Mqtt5BlockingClient.Mqtt5Publishes in = witness.publishes(MqttGlobalPublishFilter.ALL)) {
      witness.subscribeWith().topicFilter(prefix + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5(port(), prefix + "-pub");
      pub.connect();
      for (String p : payloads) {
        publish(pub, prefix + "/a/data", p, qos, false);
      }
      publish(pub, prefix + "/a/data", "sync", 1, false);
      pub.disconnect();
      seen = until(in, "sync");
    }
    witness.disconnect();
    return seen;
  }

  @Test
  void mqtt311PersistentSession_resumesWithSessionPresent_andGetsQos1MessagesSentWhileAway()
      throws Exception {
    BlockingQueue<MqttMessage> in = new LinkedBlockingQueue<>();
    MqttClient sub = paho3("ss1-sub", in, new AtomicBoolean());
    sub.connect(cleanSession(false));
    sub.subscribe("ss1/#", 1);
    sub.disconnect();

    publishWhileOffline("ss1", 1, "away-1", "away-2");

    assertThat(sub.connectWithResult(cleanSession(false)).getSessionPresent())
        .as("session present")
        .isTrue();
    assertThat(text3(receive(in))).isEqualTo("away-1");
    assertThat(text3(receive(in))).isEqualTo("away-2");
    sub.disconnect();
    sub.close();
  }

  @Test
  void mqtt5PersistentSession_resumesWithSessionPresent_andGetsQos1MessagesSentWhileAway()
      throws Exception {
    Mqtt5BlockingClient sub = hive5(port(), "ss2-sub");
    assertThat(sub.connectWith().cleanStart(false).sessionExpiryInterval(60).send())
        .extracting(Mqtt5ConnAck::isSessionPresent)
        .isEqualTo(false);
    sub.subscribeWith().topicFilter("ss2/#").qos(MqttQos.AT_LEAST_ONCE).send();
    sub.disconnect();

    publishWhileOffline("ss2", 1, "away-1", "away-2");

    try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      Mqtt5ConnAck ack = sub.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
      assertThat(ack.isSessionPresent()).as("session present").isTrue();
      assertThat(text(receive(in))).isEqualTo("away-1");
      assertThat(text(receive(in))).isEqualTo("away-2");
    }
    sub.disconnect();
  }

  @Test
  void qos0MessagesSentWhileAwayAreDropped_qos1OnesAreQueued() throws Exception {
    Mqtt3BlockingClient sub = hive3(port(), "ss3-sub");
    sub.connectWith().cleanSession(false).send();
    sub.subscribeWith().topicFilter("ss3/#").qos(MqttQos.AT_LEAST_ONCE).send();
    sub.disconnect();

    Mqtt5BlockingClient pub = hive5(port(), "ss3-pub");
    pub.connect();
    // the witness proves every message was published and routed while ss3-sub was away; it
    // waits for all of them, as the HiveMQ client may send a QoS 0 PUBLISH after a later QoS 1
    // one (MQTT orders messages per QoS only)
    List<String> witnessed = new ArrayList<>();
    Mqtt5BlockingClient witness = hive5(port(), "ss3-witness");
    witness.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = witness.publishes(MqttGlobalPublishFilter.ALL)) {
      witness.subscribeWith().topicFilter("ss3/#").qos(MqttQos.AT_LEAST_ONCE).send();
      publish(pub, "ss3/a/data", "qos1-first", 1, false);
      publish(pub, "ss3/a/data", "qos0-lost", 0, false);
      publish(pub, "ss3/a/data", "qos1-kept", 1, false);
      while (!witnessed.containsAll(List.of("qos1-first", "qos0-lost", "qos1-kept"))) {
        witnessed.add(text(receive(in)));
      }
    }
    witness.disconnect();
    assertThat(witnessed).containsExactlyInAnyOrder("qos1-first", "qos0-lost", "qos1-kept");

    try (Mqtt3BlockingClient.Mqtt3Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      assertThat(sub.connectWith().cleanSession(false).send().isSessionPresent()).isTrue();
      publish(pub, "ss3/a/data", "mark", 1, false);
      List<String> got = new ArrayList<>();
      while (!got.contains("mark")) {
        Optional<Mqtt3Publish> p = in.receive(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(p).as("mark after %s", got).isPresent();
        got.add(new String(p.get().getPayloadAsBytes(), UTF_8));
      }
      assertThat(got).containsExactly("qos1-first", "qos1-kept", "mark");
    }
    sub.disconnect();
    pub.disconnect();
  }

  @Test
  void aCleanStartDiscardsTheOldSessionAndItsSubscriptions_mqtt5() throws Exception {
    Mqtt5BlockingClient sub = hive5(port(), "ss4-sub");
    sub.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
    sub.subscribeWith().topicFilter("ss4/a/old").qos(MqttQos.AT_LEAST_ONCE).send();
    sub.disconnect();

    Mqtt5ConnAck ack = sub.connectWith().cleanStart(true).send();
    assertThat(ack.isSessionPresent()).as("session present").isFalse();
    // (registered after CONNECT: the client ends earlier streams when its session is gone)
    try (Mqtt5BlockingClient.Mqtt5Publishes in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("ss4/a/marker").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5(port(), "ss4-pub");
      pub.connect();
      publish(pub, "ss4/a/old", "to-the-old-subscription", 1, false);
      publish(pub, "ss4/a/marker", "mark", 1, false);
      assertThat(until(in, "mark")).extracting(Devices::text).isEmpty();
      pub.disconnect();
    }
    sub.disconnect();
  }

  @Test
  void aCleanSessionDiscardsTheOldSessionAndItsSubscriptions_mqtt311() throws Exception {
    BlockingQueue<MqttMessage> in = new LinkedBlockingQueue<>();
    MqttClient sub = paho3("ss5-sub", in, new AtomicBoolean());
    sub.connect(cleanSession(false));
    sub.subscribe("ss5/a/old", 1);
    sub.disconnect();

    assertThat(sub.connectWithResult(cleanSession(true)).getSessionPresent()).isFalse();
    sub.subscribe("ss5/a/marker", 1);
    Mqtt5BlockingClient pub = hive5(port(), "ss5-pub");
    pub.connect();
    publish(pub, "ss5/a/old", "to-the-old-subscription", 1, false);
    publish(pub, "ss5/a/marker", "mark", 1, false);
    assertThat(until(in, SessionTest::text3, "mark")).extracting(SessionTest::text3).isEmpty();
    pub.disconnect();
    sub.disconnect();
    sub.close();
  }

  @ParameterizedTest(name = "second connection clean start {0}")
  @ValueSource(booleans = {true, false})
  void aSecondConnectionWithTheSameClientIdTakesOver_theFirstGetsDisconnect0x8E(boolean clean)
      throws Exception {
    String id = "ss6-dev-" + clean;
    CompletableFuture<Throwable> firstClosed = new CompletableFuture<>();
    Mqtt5BlockingClient first =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port())
            .addDisconnectedListener(ctx -> firstClosed.complete(ctx.getCause()))
            .buildBlocking();
    first.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
    first.subscribeWith().topicFilter("ss6/" + clean + "/#").qos(MqttQos.AT_LEAST_ONCE).send();

    Mqtt5BlockingClient second = hive5(port(), id);
    Mqtt5ConnAck ack = second.connectWith().cleanStart(clean).sessionExpiryInterval(60).send();
    assertThat(ack.isSessionPresent()).as("session present").isEqualTo(!clean);

    Throwable cause = firstClosed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(cause).isInstanceOf(Mqtt5DisconnectException.class);
    assertThat(((Mqtt5DisconnectException) cause).getMqttMessage().getReasonCode())
        .isEqualTo(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER);

    try (Mqtt5BlockingClient.Mqtt5Publishes in = second.publishes(MqttGlobalPublishFilter.ALL)) {
      second.subscribeWith().topicFilter("ss6/" + clean + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
      publish(second, "ss6/" + clean + "/x", "after-takeover", 1, false);
      Mqtt5Publish p = receive(in);
      assertThat(text(p)).isEqualTo("after-takeover");
    }
    second.disconnect();
  }

  @Test
  void aSecondConnectionWithTheSameClientIdTakesOver_mqtt311() throws Exception {
    CompletableFuture<Throwable> lost = new CompletableFuture<>();
    MqttClient first = new MqttClient(Devices.uri(port()), "ss7-dev", new MemoryPersistence());
    first.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {
            lost.complete(cause);
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
    first.connect(cleanSession(true));

    Mqtt3BlockingClient second = hive3(port(), "ss7-dev");
    second.connect();
    assertThat(lost).succeedsWithin(Duration.ofSeconds(WAIT_SECONDS));
    try (Mqtt3BlockingClient.Mqtt3Publishes in = second.publishes(MqttGlobalPublishFilter.ALL)) {
      second.subscribeWith().topicFilter("ss7/#").qos(MqttQos.AT_LEAST_ONCE).send();
      second
          .publishWith()
          .topic("ss7/a/x")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("after-takeover".getBytes(UTF_8))
          .send();
      Optional<Mqtt3Publish> p = in.receive(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(p).isPresent();
      assertThat(new String(p.get().getPayloadAsBytes(), UTF_8)).isEqualTo("after-takeover");
    }
    second.disconnect();
    first.close();
  }

  @Test
  void anEmptyClientIdGetsAnAssignedClientIdentifier_mqtt5() throws Exception {
    Mqtt5BlockingClient c =
        Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(port()).buildBlocking();
    Mqtt5ConnAck ack = c.connect();
    assertThat(ack.getAssignedClientIdentifier()).isPresent();
    String assigned = ack.getAssignedClientIdentifier().get().toString();
    assertThat(assigned).isNotBlank();
    try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
      c.subscribeWith().topicFilter("ss8/#").qos(MqttQos.AT_LEAST_ONCE).send();
      publish(c, "ss8/a/x", "works", 1, false);
      assertThat(text(receive(in))).isEqualTo("works");
    }
    c.disconnect();

    Mqtt5BlockingClient other =
        Mqtt5Client.builder().serverHost("127.0.0.1").serverPort(port()).buildBlocking();
    Mqtt5ConnAck otherAck = other.connect();
    assertThat(otherAck.getAssignedClientIdentifier().map(Object::toString))
        .as("a second empty id gets another identifier")
        .isPresent()
        .isNotEqualTo(Optional.of(assigned));
    other.disconnect();
  }

  @Test
  void anEmptyClientIdIsRejectedWithCleanSessionFalse_butAcceptedWithCleanSessionTrue_mqtt311() {
    Mqtt3BlockingClient persistent =
        com.hivemq.client.mqtt.mqtt3.Mqtt3Client.builder()
            .serverHost("127.0.0.1")
            .serverPort(port())
            .buildBlocking();
    assertThatThrownBy(() -> persistent.connectWith().cleanSession(false).send())
        .isInstanceOf(Mqtt3ConnAckException.class)
        .extracting(e -> ((Mqtt3ConnAckException) e).getMqttMessage().getReturnCode())
        .isEqualTo(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED);

    Mqtt3BlockingClient clean =
        com.hivemq.client.mqtt.mqtt3.Mqtt3Client.builder()
            .serverHost("127.0.0.1")
            .serverPort(port())
            .buildBlocking();
    assertThat(clean.connectWith().cleanSession(true).send().getReturnCode())
        .isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
    clean.disconnect();
  }

  @Test
  void anUnacknowledgedQos1MessageIsRedeliveredWithDupAfterReconnect() throws Exception {
    BlockingQueue<MqttMessage> in = new LinkedBlockingQueue<>();
    AtomicBoolean fail = new AtomicBoolean(true);
    MqttClient sub = paho3("ss9-sub", in, fail);
    sub.connect(cleanSession(false));
    sub.subscribe("ss9/#", 1);

    Mqtt5BlockingClient pub = hive5(port(), "ss9-pub");
    pub.connect();
    publish(pub, "ss9/a/data", "unacked", 1, false);
    MqttMessage first = receive(in);
    assertThat(text3(first)).isEqualTo("unacked");
    assertThat(first.isDuplicate()).isFalse();
    // the callback threw: Paho dropped the connection without sending PUBACK
    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !sub.isConnected());

    fail.set(false);
    assertThat(sub.connectWithResult(cleanSession(false)).getSessionPresent()).isTrue();
    MqttMessage again = receive(in);
    assertThat(text3(again)).isEqualTo("unacked");
    assertThat(again.isDuplicate()).as("DUP flag").isTrue();
    assertThat(again.getId()).as("packet id").isEqualTo(first.getId());
    // acknowledged now: not sent a third time
    publish(pub, "ss9/a/data", "mark", 1, false);
    assertThat(until(in, SessionTest::text3, "mark")).isEmpty();
    pub.disconnect();
    sub.disconnect();
    sub.close();
  }
}
