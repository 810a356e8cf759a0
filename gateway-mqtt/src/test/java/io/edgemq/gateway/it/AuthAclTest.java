package io.edgemq.gateway.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5SubscribeBuilder;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.client.api.QueueLag;
import io.edgemq.gateway.api.Gateway;
import io.edgemq.gateway.auth.AuthenticatorConfig;
import io.edgemq.gateway.auth.PasswordFile;
import io.edgemq.gateway.auth.PasswordHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway with a password file, anonymous access off and an ACL file, seen by HiveMQ (MQTT 5) and
 * Paho (MQTT 3.1.1) devices and by a backend on the broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthAclTest {
  private static final String ACL =
      """
      # alice may use line 1 of the factory; every client its own device subtree
      allow  user:alice  pubsub  factory/line1/#
      allow  user:bob    publish audit/%u/#
      allow  all         pubsub  devices/%c/#
      deny   all         pubsub  #
      """;

  GatewayFixture fx;
  Gateway gw;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path passwd = dir.resolve("passwd");
    // the fewest iterations allowed: the test is about the gateway, not PBKDF2's cost
    PasswordFile.putUser(passwd, "alice", hash("secret"), true);
    PasswordFile.putUser(passwd, "bob", hash("hunter2"), false);
    Path acl = Files.writeString(dir.resolve("acl"), ACL);
    fx = new GatewayFixture(dir);
    gw =
        fx.gateway(
            "gw1",
            b ->
                b.auth(
                        AuthenticatorConfig.builder()
                            .passwordFile(passwd)
                            .allowAnonymous(false)
                            .build())
                    .acl(acl, false));
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  private static PasswordHash hash(String password) {
    return PasswordHash.parse(
        PasswordHash.hash(password.toCharArray(), PasswordHash.MIN_ITERATIONS));
  }

  Mqtt5BlockingClient hive(String id) {
    return Mqtt5Client.builder()
        .identifier(id)
        .serverHost("127.0.0.1")
        .serverPort(gw.port("mqtt"))
        .buildBlocking();
  }

  Mqtt5BlockingClient hiveConnected(String id, String user, String password) {
    Mqtt5BlockingClient c = hive(id);
    c.connectWith()
        .simpleAuth()
        .username(user)
        .password(password.getBytes(UTF_8))
        .applySimpleAuth()
        .send();
    return c;
  }

  MqttClient paho(String id) throws MqttException {
    return new MqttClient("tcp://127.0.0.1:" + gw.port("mqtt"), id, new MemoryPersistence());
  }

  static MqttConnectOptions pahoOptions(String user, String password) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setConnectionTimeout(10);
    if (user != null) {
      o.setUserName(user);
    }
    if (password != null) {
      o.setPassword(password.toCharArray());
    }
    return o;
  }

  /** The PUBACK reason code of a QoS 1 publish (HiveMQ reports a failure as an exception). */
  static int pubAckReason(Mqtt5BlockingClient c, String topic, String payload) {
    try {
      Mqtt5PublishResult r =
          c.publishWith()
              .topic(topic)
              .qos(MqttQos.AT_LEAST_ONCE)
              .payload(payload.getBytes(UTF_8))
              .send();
      assertThat(r.getError()).isEmpty();
      return ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode().getCode();
    } catch (Mqtt5PubAckException e) {
      return e.getMqttMessage().getReasonCode().getCode();
    }
  }

  /** The SUBACK reason codes (HiveMQ reports an all-failed SUBACK as an exception). */
  static List<Integer> subAckCodes(Mqtt5BlockingClient c, String... filters) {
    Mqtt5SubAck ack;
    try {
      Mqtt5SubscribeBuilder.Send.Complete<Mqtt5SubAck> b =
          c.subscribeWith().topicFilter(filters[0]).qos(MqttQos.AT_LEAST_ONCE);
      for (int i = 1; i < filters.length; i++) {
        b =
            b.addSubscription()
                .topicFilter(filters[i])
                .qos(MqttQos.AT_LEAST_ONCE)
                .applySubscription();
      }
      ack = b.send();
    } catch (Mqtt5SubAckException e) {
      ack = e.getMqttMessage();
    }
    return ack.getReasonCodes().stream()
        .map(Mqtt5SubAckReasonCode::getCode)
        .collect(Collectors.toList());
  }

  /** The client gets back what it publishes to a filter it subscribed to. */
  static void assertRoundTrip(Mqtt5BlockingClient c, String filter, String topic) throws Exception {
    assertThat(subAckCodes(c, filter)).containsExactly(1);
    try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
      assertThat(pubAckReason(c, topic, "hello " + topic)).isZero();
      Optional<Mqtt5Publish> p = in.receive(20, TimeUnit.SECONDS);
      assertThat(p).as("round trip on %s", topic).isPresent();
      assertThat(p.get().getTopic().toString()).isEqualTo(topic);
      assertThat(new String(p.get().getPayloadAsBytes(), UTF_8)).isEqualTo("hello " + topic);
    }
  }

  // ---- authentication ----

  @Test
  void theRightPassword_connectsAnMqtt5Client() throws Exception {
    Mqtt5BlockingClient c = hiveConnected("auth-ok-5", "alice", "secret");
    assertRoundTrip(c, "devices/auth-ok-5/#", "devices/auth-ok-5/x");
    c.disconnect();
  }

  @Test
  void theRightPassword_connectsAnMqtt311Client() throws Exception {
    MqttClient c = paho("auth-ok-3");
    c.connect(pahoOptions("bob", "hunter2"));
    assertThat(c.isConnected()).isTrue();
    c.disconnect();
    c.close();
  }

  @Test
  void aWrongPassword_isRefusedWithBadUserNameOrPassword_mqtt5() {
    for (String[] cred : new String[][] {{"alice", "wrong"}, {"bob", "secret"}, {"mallory", "x"}}) {
      Mqtt5BlockingClient c = hive("bad-pw-5");
      Mqtt5ConnAckException e =
          catchThrowableOfType(
              Mqtt5ConnAckException.class,
              () ->
                  c.connectWith()
                      .simpleAuth()
                      .username(cred[0])
                      .password(cred[1].getBytes(UTF_8))
                      .applySimpleAuth()
                      .send());
      assertThat(e).as("%s/%s", cred[0], cred[1]).isNotNull();
      assertThat(e.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
      assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x86);
    }
  }

  @Test
  void aWrongPassword_isRefusedWithReturnCode4_mqtt311() throws Exception {
    for (String[] cred : new String[][] {{"bob", "wrong"}, {"nobody", "hunter2"}}) {
      MqttClient c = paho("bad-pw-3");
      MqttException e =
          catchThrowableOfType(MqttException.class, () -> c.connect(pahoOptions(cred[0], cred[1])));
      assertThat(e).as("%s/%s", cred[0], cred[1]).isNotNull();
      assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);
      assertThat(e.getReasonCode()).isEqualTo(4);
      c.close();
    }
  }

  @Test
  void noCredentials_areRefusedAsNotAuthorized_mqtt5() {
    Mqtt5BlockingClient c = hive("anon-5");
    Mqtt5ConnAckException e = catchThrowableOfType(Mqtt5ConnAckException.class, c::connect);
    assertThat(e).isNotNull();
    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    assertThat(e.getMqttMessage().getReasonCode().getCode()).isEqualTo(0x87);
  }

  @Test
  void noCredentials_areRefusedWithReturnCode5_mqtt311() throws Exception {
    MqttClient c = paho("anon-3");
    MqttException e =
        catchThrowableOfType(MqttException.class, () -> c.connect(pahoOptions(null, null)));
    assertThat(e).isNotNull();
    assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
    assertThat(e.getReasonCode()).isEqualTo(5);
    c.close();
  }

  // ---- publish ACL, checked against what the broker stored ----

  /** Publishes by devices. */
  interface Publishes {
    void run() throws Exception;
  }

  /**
   * Runs the publishes, waits until a backend consumer of the broker topic received the marker
   * message, and checks the broker stored no more than the backend saw.
   *
   * @param brokerTopic a broker topic no other test of the class uses
   * @return every message the backend received
   */
  List<MessageView> storedBy(String brokerTopic, String marker, Publishes publishes)
      throws Exception {
    List<MessageView> seen = new CopyOnWriteArrayList<>();
    String group = "backend-" + brokerTopic;
    try (PushConsumer backend =
            PushConsumer.builder()
                .clientConfig(fx.clientConfig())
                .consumerGroup(group)
                .subscribe(brokerTopic, "*")
                .consumeFrom(ConsumeFrom.EARLIEST)
                .listener(
                    m -> {
                      seen.add(m);
                      return ConsumeResult.SUCCESS;
                    })
                .build();
        Admin admin = Admin.builder().clientConfig(fx.clientConfig()).build()) {
      publishes.run();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> seen.stream().anyMatch(m -> marker.equals(body(m))));
      // every queue of the topic ends where the backend read up to: nothing else was stored
      long stored =
          admin.consumerLag(group, brokerTopic).queues().stream()
              .mapToLong(QueueLag::maxOffset)
              .sum();
      assertThat(stored).isEqualTo(seen.size());
      return List.copyOf(seen);
    }
  }

  static String body(MessageView m) {
    return new String(m.bodyBytes(), UTF_8);
  }

  @Test
  void aDeniedPublish_getsPubackNotAuthorizedAndNeverReachesTheBroker() throws Exception {
    // both map to the broker topic "telemetry", the denied one first
    String denied = "factory/line2/dev-1/telemetry/temp";
    String allowed = "factory/line1/dev-1/telemetry/temp";
    List<MessageView> stored =
        storedBy(
            "telemetry",
            "allowed",
            () -> {
              Mqtt5BlockingClient dev = hiveConnected("dev-1", "alice", "secret");
              assertThat(pubAckReason(dev, denied, "denied")).isEqualTo(0x87);
              assertThat(pubAckReason(dev, allowed, "allowed")).isZero();
              dev.disconnect();
            });
    assertThat(stored).extracting(AuthAclTest::body).containsExactly("allowed");
    assertThat(stored.get(0).properties()).containsEntry("mqtt.topic", allowed);
  }

  @Test
  void aDeniedPublishOfAnMqtt311Client_isAcknowledgedAndDropped() throws Exception {
    List<MessageView> stored =
        storedBy(
            "audit",
            "allowed",
            () -> {
              MqttClient bob = paho("bob-3");
              bob.connect(pahoOptions("bob", "hunter2"));
              // MQTT 3.1.1 has no failure PUBACK: the publish is acknowledged, not stored
              bob.publish("audit/alice/x", "denied".getBytes(UTF_8), 1, false);
              bob.publish("audit/bob/x", "allowed".getBytes(UTF_8), 1, false);
              assertThat(bob.isConnected()).isTrue();
              bob.disconnect();
              bob.close();
            });
    assertThat(stored).extracting(AuthAclTest::body).containsExactly("allowed");
  }

  // ---- subscribe ACL ----

  @Test
  void aDeniedSubscribe_getsSubackNotAuthorized_mqtt5() {
    Mqtt5BlockingClient c = hiveConnected("sub-5", "bob", "hunter2");
    assertThat(subAckCodes(c, "factory/line1/#")).containsExactly(0x87);
    // granted and refused filters in one SUBSCRIBE are answered one by one
    assertThat(subAckCodes(c, "factory/#", "devices/sub-5/cmd")).containsExactly(0x87, 1);
    c.disconnect();
  }

  @Test
  void aDeniedSubscribe_getsGrantedQos128_mqtt311() throws Exception {
    MqttClient c = paho("sub-3");
    c.connect(pahoOptions("bob", "hunter2"));
    int[] qos = {1, 1};
    c.subscribe(new String[] {"factory/line1/#", "devices/sub-3/#"}, qos);
    assertThat(qos).containsExactly(128, 1);
    // a single refused filter: Paho turns the 128 into an exception
    MqttException e = catchThrowableOfType(MqttException.class, () -> c.subscribe("#", 1));
    assertThat(e).isNotNull();
    assertThat(e.getReasonCode()).isEqualTo(128);
    c.disconnect();
    c.close();
  }

  // ---- %c: each client its own subtree ----

  @Test
  void clientIdSubstitution_letsAClientUseOnlyItsOwnSubtree() throws Exception {
    Mqtt5BlockingClient a = hiveConnected("dev-a", "bob", "hunter2");
    assertRoundTrip(a, "devices/dev-a/#", "devices/dev-a/cmd");
    assertThat(pubAckReason(a, "devices/dev-b/cmd", "not mine")).isEqualTo(0x87);
    assertThat(subAckCodes(a, "devices/dev-b/#")).containsExactly(0x87);
    // a filter that also covers other clients' subtrees is refused as a whole
    assertThat(subAckCodes(a, "devices/+/cmd")).containsExactly(0x87);
    assertThat(subAckCodes(a, "devices/#")).containsExactly(0x87);

    // dev-b is granted its own subtree, and gets nothing dev-a tried to send there
    Mqtt5BlockingClient b = hiveConnected("dev-b", "bob", "hunter2");
    assertRoundTrip(b, "devices/dev-b/#", "devices/dev-b/cmd");
    a.disconnect();
    b.disconnect();
  }

  @Test
  void clientIdSubstitution_doesNotApplyToAWildcardClientId() throws Exception {
    // a client id of "+" would turn devices/%c/# into every device's subtree
    Mqtt5BlockingClient c = hiveConnected("+", "bob", "hunter2");
    assertThat(subAckCodes(c, "devices/+/#")).containsExactly(0x87);
    assertThat(pubAckReason(c, "devices/dev-a/cmd", "x")).isEqualTo(0x87);
    c.disconnect();
  }
}
