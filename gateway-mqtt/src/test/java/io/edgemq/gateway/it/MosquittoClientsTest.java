package io.edgemq.gateway.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.gateway.api.Gateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code mosquitto_pub} and {@code mosquitto_sub} against the gateway, MQTT 3.1.1 and 5.
 * Skipped, with a printed reason, where the tools are not installed ({@code .ci/run} installs
 * them).
 */
class MosquittoClientsTest {
  @TempDir Path dir;
  GatewayFixture fx;
  Gateway gw;
  final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    boolean present = onPath("mosquitto_pub") && onPath("mosquitto_sub");
    if (!present) {
      System.out.println("SKIPPED MosquittoClientsTest: mosquitto_pub/mosquitto_sub not installed");
    }
    Assumptions.assumeTrue(present, "mosquitto-clients not installed");
    fx = new GatewayFixture(dir);
    gw = fx.gateway("gw1");
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    if (fx != null) {
      fx.close();
    }
  }

  static boolean onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }

  private Process run(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    processes.add(p);
    return p;
  }

  @Test
  void mosquittoSubReceivesWhatMosquittoPubSends() throws Exception {
    for (String version : List.of("mqttv311", "mqttv5")) {
      String port = Integer.toString(gw.port("mqtt"));
      Path out = dir.resolve("sub-" + version + ".txt");
      Process sub =
          new ProcessBuilder(
                  "mosquitto_sub",
                  "-h",
                  "127.0.0.1",
                  "-p",
                  port,
                  "-V",
                  version,
                  "-q",
                  "1",
                  "-i",
                  "msub-" + version,
                  "-t",
                  "plant/+/status",
                  "-C",
                  "3",
                  "-v")
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      processes.add(sub);
      // mosquitto_sub prints nothing when subscribed: wait until the gateway has its session
      await().atMost(Duration.ofSeconds(10)).until(() -> gw.sessions() >= 1);
      // the SUBACK is sent after the broker feed is open; give the subscription a moment to land
      await().pollDelay(Duration.ofMillis(300)).until(() -> true);
      for (int i = 0; i < 3; i++) {
        Process pub =
            run(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                port,
                "-V",
                version,
                "-q",
                "1",
                "-i",
                "mpub-" + version,
                "-t",
                "plant/p" + i + "/status",
                "-m",
                "ok-" + i);
        assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(pub.exitValue())
            .as(new String(pub.getInputStream().readAllBytes(), UTF_8))
            .isZero();
      }
      assertThat(sub.waitFor(30, TimeUnit.SECONDS)).as("mosquitto_sub got 3 messages").isTrue();
      assertThat(Files.readAllLines(out))
          .containsExactly("plant/p0/status ok-0", "plant/p1/status ok-1", "plant/p2/status ok-2");
      await().atMost(Duration.ofSeconds(10)).until(() -> gw.sessions() == 0);
    }
  }

  @Test
  void mosquittoPubGetsRetainedMessageBack() throws Exception {
    String port = Integer.toString(gw.port("mqtt"));
    Process pub =
        run(
            "mosquitto_pub",
            "-h",
            "127.0.0.1",
            "-p",
            port,
            "-q",
            "1",
            "-r",
            "-t",
            "cfg/dev1",
            "-m",
            "v42");
    assertThat(pub.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(pub.exitValue()).isZero();
    Process sub =
        run(
            "mosquitto_sub",
            "-h",
            "127.0.0.1",
            "-p",
            port,
            "-t",
            "cfg/#",
            "-C",
            "1",
            "-v",
            "-W",
            "20");
    assertThat(sub.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(sub.getInputStream().readAllBytes(), UTF_8).trim())
        .isEqualTo("cfg/dev1 v42");
  }
}
