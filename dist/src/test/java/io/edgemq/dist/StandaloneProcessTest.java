package io.edgemq.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.dist.process.EdgemqProcess;
import io.edgemq.dist.process.Traffic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgemq standalone} as a real process: MQTT in, a backend consumer out, SIGTERM stops it
 * with status 0 and a clean store, and a restart finds every message without a recovery scan.
 */
class StandaloneProcessTest {
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void shouldCarryMessagesStopCleanlyOnSigtermAndRestartWithoutRecovery() throws Exception {
    Set<String> sent = new HashSet<>();
    try (EdgemqProcess first = start()) {
      int mqtt = first.awaitPort("gateway", START);
      int ns = first.awaitPort("nameserver", START);
      Traffic.publish(mqtt, "dev-1", "sensors/dev-1/temp", "m", 50);
      for (int i = 0; i < 50; i++) {
        sent.add("m-" + i);
      }
      try (Traffic.Backend backend = backend(ns, "backend")) {
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.bodies().containsAll(sent));
      }

      assertThat(first.stop(Duration.ofSeconds(30))).isZero();
      assertThat(first.stdout()).as(first.stderr()).contains("edgemq standalone stopped");
      assertThat(first.stderr()).contains("closed cleanly");
    }

    try (EdgemqProcess second = start()) {
      second.awaitPort("gateway", START); // the last role: the store is open
      int ns = second.awaitPort("nameserver", START);
      assertThat(second.stderr())
          .contains("cleanShutdown=true")
          .contains("recordsScanned=0")
          .doesNotContain("not closed cleanly");
      // a new group reads from the earliest message: all 50 are still there
      try (Traffic.Backend backend = backend(ns, "after-restart")) {
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.bodies().containsAll(sent));
      }
      assertThat(second.stop(Duration.ofSeconds(30))).isZero();
    }
  }

  @Test
  void shouldRefuseABadConfigurationWithKeyAndReasonAndStatus2() throws Exception {
    try (EdgemqProcess p =
        EdgemqProcess.start(dir, "standalone", "--set", "broker.port=x", "--set", "brokr.id=1")) {
      assertThat(p.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(p.stderr())
          .contains("command line: broker.port=x: a port 0-65535")
          .contains("command line: brokr.id: unknown key");
    }
  }

  @Test
  void shouldExitWith1AndOneLineWhenAPortIsTakenLeavingNoRoleRunning() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0);
        EdgemqProcess p =
            EdgemqProcess.start(
                dir,
                "standalone",
                "--set",
                "nameserver.port=0",
                "--set",
                "broker.port=" + taken.getLocalPort(),
                "--set",
                "gateway.mqttPort=0",
                "--set",
                "gateway.wsPort=-1",
                "--set",
                "http.port=0")) {
      assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(p.stderr())
          .contains(
              "edgemq standalone could not start: cannot listen on 0.0.0.0:" + taken.getLocalPort())
          .contains("nameserver on port"); // the nameserver that did start was stopped again
    }
  }

  private EdgemqProcess start() throws Exception {
    // every port picked by the system; the lines on stdout say which
    return EdgemqProcess.start(
        dir,
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
        "broker.store.segmentBytes=16777216");
  }

  private static Traffic.Backend backend(int nameServerPort, String group) {
    return new Traffic.Backend(new String[] {"127.0.0.1:" + nameServerPort}, group, "sensors");
  }
}
