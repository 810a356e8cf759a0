package io.edgemq.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.edgemq.dist.process.EdgemqProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar itself, run in Maven's integration-test phase (after package, see the pom): it
 * starts with {@code java -jar}, carries an MQTT message from a publisher to a subscriber through
 * its broker (so gRPC found its merged META-INF/services providers) and stops cleanly on SIGTERM.
 */
class ShadedJarTest {
  @TempDir Path dir;

  private static Path jar() {
    Path jar = Path.of(System.getProperty("edgemq.jar", "target/edgemq.jar"));
    assertThat(jar).as("built by mvn package").exists();
    return jar;
  }

  private static List<String> javaJar(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(EdgemqProcess.javaCommand().get(0));
    cmd.add("-Xmx256m");
    cmd.add("-jar");
    cmd.add(jar().toAbsolutePath().toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  @Test
  void shouldPrintItsVersion() throws Exception {
    Process p = new ProcessBuilder(javaJar("version")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(out).startsWith("edgemq " + System.getProperty("edgemq.version", ""));
  }

  @Test
  void shouldCarryAnMqttMessageAndStopCleanly() throws Exception {
    try (EdgemqProcess server =
        EdgemqProcess.start(
            dir,
            javaJar(
                "standalone",
                "--set",
                "nameserver.port=0",
                "--set",
                "broker.port=0",
                "--set",
                "gateway.mqttPort=0",
                "--set",
                "gateway.wsPort=-1",
                "--set",
                "http.port=0",
                "--set",
                "broker.store.segmentBytes=16777216"))) {
      int mqtt = server.awaitPort("gateway", Duration.ofSeconds(90));
      Mqtt5BlockingClient sub = client("sub", mqtt);
      sub.subscribeWith().topicFilter("jar/#").qos(MqttQos.AT_LEAST_ONCE).send();
      try (Mqtt5BlockingClient.Mqtt5Publishes inbox =
          sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
        Mqtt5BlockingClient pub = client("pub", mqtt);
        pub.publishWith()
            .topic("jar/dev-1/t")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload("from the jar".getBytes(StandardCharsets.UTF_8))
            .send();
        Optional<Mqtt5Publish> got = inbox.receive(30, TimeUnit.SECONDS);
        assertThat(got).isPresent();
        assertThat(new String(got.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("from the jar");
        pub.disconnect();
      }
      sub.disconnect();

      assertThat(server.stop(Duration.ofSeconds(60))).isZero();
      assertThat(server.stdout()).contains("edgemq standalone stopped");
      assertThat(Files.exists(dir.resolve("data/broker/store"))).isTrue();
    }
  }

  private static Mqtt5BlockingClient client(String id, int port) {
    Mqtt5BlockingClient c =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildBlocking();
    c.connect();
    return c;
  }
}
