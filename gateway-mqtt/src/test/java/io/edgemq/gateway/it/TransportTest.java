package io.edgemq.gateway.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.gateway.api.Gateway;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over TLS, WebSocket and secure WebSocket with a self-signed certificate made at test time
 * (the JDK's keytool, exported to PEM): HiveMQ and Paho clients on each listener exchange messages
 * both ways with a client on plain TCP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransportTest {
  private static final char[] STORE_PASSWORD = "changeit".toCharArray();

  GatewayFixture fx;
  Gateway gw;
  Certificate cert;
  TrustManagerFactory trust;
  Mqtt5BlockingClient tcp;
  Mqtt5BlockingClient.Mqtt5Publishes tcpIn;
  final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path certPem = dir.resolve("server.crt");
    Path keyPem = dir.resolve("server.key");
    selfSigned(dir, certPem, keyPem);
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("gateway", cert);
    trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);

    fx = new GatewayFixture(dir);
    gw = fx.gateway("gw1", b -> b.tls(certPem, keyPem, null).tlsPort(0).wssPort(0));
    tcp =
        Mqtt5Client.builder()
            .identifier("tcp")
            .serverHost("127.0.0.1")
            .serverPort(gw.port("mqtt"))
            .buildBlocking();
    tcp.connect();
    tcp.subscribeWith().topicFilter("up/#").qos(MqttQos.AT_LEAST_ONCE).send();
    tcpIn = tcp.publishes(MqttGlobalPublishFilter.ALL);
  }

  @AfterAll
  void stop() throws Exception {
    if (tcp != null && tcp.getState().isConnected()) {
      tcp.disconnect();
    }
    fx.close();
  }

  /**
   * A certificate for 127.0.0.1 and localhost with an EC key, made by keytool in a PKCS#12 store,
   * written as PEM certificate and PEM PKCS#8 key (what the gateway reads).
   */
  void selfSigned(Path dir, Path certPem, Path keyPem) throws Exception {
    Path store = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "gateway",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(STORE_PASSWORD),
                "-noprompt")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool: %s", output).isZero();

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, STORE_PASSWORD);
    }
    cert = ks.getCertificate("gateway");
    PrivateKey key = (PrivateKey) ks.getKey("gateway", STORE_PASSWORD);
    assertThat(key.getFormat()).isEqualTo("PKCS#8");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()), US_ASCII);
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()), US_ASCII);
    // the PEM reads back as the same certificate
    Certificate back =
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certPem)));
    assertThat(back).isEqualTo(cert);
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  SSLContext sslContext() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, trust.getTrustManagers(), null);
    return ctx;
  }

  // ---- the round trip ----

  /** What one device client on a transport does, so that each library can be driven the same. */
  interface Device {
    void subscribe(String filter) throws Exception;

    void publish(String topic, String payload) throws Exception;

    /** The next message received, or null. */
    String receive() throws Exception;
  }

  /** The device gets what the TCP client publishes, and the TCP client what the device does. */
  void assertRoundTrip(String name, Device device) throws Exception {
    device.subscribe("down/" + name);
    tcp.publishWith()
        .topic("down/" + name)
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(("to " + name).getBytes(UTF_8))
        .send();
    assertThat(device.receive()).as("%s received", name).isEqualTo("to " + name);

    device.publish("up/" + name, "from " + name);
    Optional<Mqtt5Publish> p = tcpIn.receive(20, TimeUnit.SECONDS);
    assertThat(p).as("sent by %s", name).isPresent();
    assertThat(p.get().getTopic().toString()).isEqualTo("up/" + name);
    assertThat(new String(p.get().getPayloadAsBytes(), UTF_8)).isEqualTo("from " + name);
  }

  Mqtt5ClientBuilder hiveBuilder(String id, String listener) {
    return Mqtt5Client.builder()
        .identifier(id)
        .serverHost("127.0.0.1")
        .serverPort(gw.port(listener));
  }

  Device hive(Mqtt5BlockingClient c) {
    c.connect();
    Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL);
    return new Device() {
      @Override
      public void subscribe(String filter) {
        c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
      }

      @Override
      public void publish(String topic, String payload) {
        c.publishWith()
            .topic(topic)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(payload.getBytes(UTF_8))
            .send();
      }

      @Override
      public String receive() throws InterruptedException {
        Optional<Mqtt5Publish> p = in.receive(20, TimeUnit.SECONDS);
        return p.map(m -> new String(m.getPayloadAsBytes(), UTF_8)).orElse(null);
      }
    };
  }

  Device paho(MqttClient c, MqttConnectOptions o) throws Exception {
    BlockingQueue<String> in = new ArrayBlockingQueue<>(16);
    o.setCleanSession(true);
    o.setConnectionTimeout(10);
    c.connect(o);
    return new Device() {
      @Override
      public void subscribe(String filter) throws Exception {
        c.subscribe(filter, 1, (topic, m) -> in.add(new String(m.getPayload(), UTF_8)));
      }

      @Override
      public void publish(String topic, String payload) throws Exception {
        c.publish(topic, payload.getBytes(UTF_8), 1, false);
      }

      @Override
      public String receive() throws InterruptedException {
        return in.poll(20, TimeUnit.SECONDS);
      }
    };
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
  }

  Mqtt5BlockingClient track(Mqtt5BlockingClient c) {
    opened.add(
        () -> {
          if (c.getState().isConnected()) {
            c.disconnect();
          }
        });
    return c;
  }

  MqttClient track(MqttClient c) {
    opened.add(
        () -> {
          if (c.isConnected()) {
            c.disconnect();
          }
          c.close();
        });
    return c;
  }

  // ---- HiveMQ ----

  @Test
  void hiveMqOverTls_roundTrips() throws Exception {
    Mqtt5BlockingClient c =
        track(
            hiveBuilder("hive-tls", "tls")
                .sslConfig()
                .trustManagerFactory(trust)
                .applySslConfig()
                .buildBlocking());
    assertRoundTrip("hive-tls", hive(c));
  }

  @Test
  void hiveMqOverWebSocket_roundTrips() throws Exception {
    Mqtt5BlockingClient c =
        track(
            hiveBuilder("hive-ws", "ws")
                .webSocketConfig()
                .serverPath("mqtt")
                .applyWebSocketConfig()
                .buildBlocking());
    assertRoundTrip("hive-ws", hive(c));
  }

  @Test
  void hiveMqOverSecureWebSocket_roundTrips() throws Exception {
    Mqtt5BlockingClient c =
        track(
            hiveBuilder("hive-wss", "wss")
                .sslConfig()
                .trustManagerFactory(trust)
                .applySslConfig()
                .webSocketConfig()
                .serverPath("mqtt")
                .applyWebSocketConfig()
                .buildBlocking());
    assertRoundTrip("hive-wss", hive(c));
  }

  @Test
  void aTlsClientThatDoesNotTrustTheCertificate_cannotConnect() {
    Mqtt5BlockingClient c =
        track(hiveBuilder("untrusting", "tls").sslWithDefaultConfig().buildBlocking());
    assertThatThrownBy(c::connect).isNotNull();
    assertThat(c.getState().isConnected()).isFalse();
  }

  @Test
  void plainMqttOnTheTlsPort_getsNoConnack() throws IOException {
    try (RawMqtt c = RawMqtt.open(gw.port("tls"))) {
      c.write(RawMqtt.connect(4, "plain-on-tls", 60, null));
      List<RawMqtt.Packet> got;
      try {
        got = c.packetsUntilClosed();
      } catch (IOException e) {
        got = List.of(); // a TLS alert need not parse as MQTT packets
      }
      assertThat(got).noneMatch(p -> p.type() == RawMqtt.CONNACK);
    }
  }

  // ---- Paho (MQTT 3.1.1) ----

  @Test
  void pahoOverWebSocket_roundTrips() throws Exception {
    MqttClient c =
        track(
            new MqttClient(
                "ws://127.0.0.1:" + gw.port("ws") + "/mqtt", "paho-ws", new MemoryPersistence()));
    assertRoundTrip("paho-ws", paho(c, new MqttConnectOptions()));
  }

  @Test
  void pahoOverTls_roundTrips() throws Exception {
    MqttClient c =
        track(
            new MqttClient(
                "ssl://127.0.0.1:" + gw.port("tls"), "paho-tls", new MemoryPersistence()));
    MqttConnectOptions o = new MqttConnectOptions();
    o.setSocketFactory(sslContext().getSocketFactory());
    assertRoundTrip("paho-tls", paho(c, o));
  }

  @Test
  void pahoOverSecureWebSocket_roundTrips() throws Exception {
    MqttClient c =
        track(
            new MqttClient(
                "wss://127.0.0.1:" + gw.port("wss") + "/mqtt",
                "paho-wss",
                new MemoryPersistence()));
    MqttConnectOptions o = new MqttConnectOptions();
    o.setSocketFactory(sslContext().getSocketFactory());
    assertRoundTrip("paho-wss", paho(c, o));
  }
}
