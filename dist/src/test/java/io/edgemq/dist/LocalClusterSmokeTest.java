package io.edgemq.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.dist.process.EdgemqProcess;
import io.edgemq.dist.process.FreePorts;
import io.edgemq.dist.process.Traffic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/local/cluster.sh as an operator runs it: six real processes (2 nameservers, 2 brokers, 2
 * gateways) on free ports; MQTT devices publish through both gateways and a backend consumer must
 * receive every message; then the script stops them all cleanly. The script runs {@code bin/edgemq}
 * with {@code EDGEMQ_CLASSPATH} set to this test's class path, since the shaded jar is only built
 * after the test phase.
 */
class LocalClusterSmokeTest {
  private static final int PER_GATEWAY = 200;

  @TempDir Path dir;

  private final Map<String, String> env = new java.util.HashMap<>();

  @AfterEach
  void stopWhateverRuns() throws Exception {
    script("stop");
    // a process the script lost track of would outlive the build: end it by its pid file
    Path pids = dir.resolve("pids");
    if (Files.isDirectory(pids)) {
      try (Stream<Path> files = Files.list(pids)) {
        for (Path f : files.toList()) {
          long pid = Long.parseLong(Files.readString(f).trim());
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
  }

  @Test
  void shouldRunSixProcessesCarryEveryMessageThroughBothGatewaysAndStopCleanly() throws Exception {
    FreePorts ports = new FreePorts();
    for (String key :
        List.of(
            "NS1_PORT",
            "NS2_PORT",
            "BROKER_A_PORT",
            "BROKER_B_PORT",
            "GW1_MQTT_PORT",
            "GW2_MQTT_PORT",
            "NS1_HTTP",
            "NS2_HTTP",
            "BROKER_A_HTTP",
            "BROKER_B_HTTP",
            "GW1_HTTP",
            "GW2_HTTP")) {
      env.put(key, Integer.toString(ports.next()));
    }
    env.put("GW1_WS_PORT", "-1");
    env.put("GW2_WS_PORT", "-1");

    Result start = script("start");
    assertThat(start.status()).as(start.output()).isZero();
    Result status = script("status");
    assertThat(status.status()).as(status.output()).isZero();
    assertThat(status.output().lines().filter(l -> l.contains("health UP"))).hasSize(6);

    String[] nameServers = {"127.0.0.1:" + env.get("NS1_PORT"), "127.0.0.1:" + env.get("NS2_PORT")};
    try (Admin admin =
        Admin.builder()
            .clientConfig(ClientConfig.builder().nameServers(nameServers).build())
            .build()) {
      // the cluster creates no topic by itself; it goes on both brokers
      assertThat(admin.createTopic("telemetry", 4)).hasSize(2);
    }
    Set<String> sent = new HashSet<>();
    try (Traffic.Backend backend = new Traffic.Backend(nameServers, "smoke", "telemetry")) {
      Traffic.publish(port("GW1_MQTT_PORT"), "dev-1", "telemetry/dev-1/temp", "gw1", PER_GATEWAY);
      Traffic.publish(port("GW2_MQTT_PORT"), "dev-2", "telemetry/dev-2/temp", "gw2", PER_GATEWAY);
      for (int i = 0; i < PER_GATEWAY; i++) {
        sent.add("gw1-" + i);
        sent.add("gw2-" + i);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> assertThat(backend.bodies()).containsExactlyInAnyOrderElementsOf(sent));
    }

    Result stop = script("stop");
    assertThat(stop.status()).as(stop.output()).isZero();
    assertThat(stop.output().lines().filter(l -> l.matches("\\S+: edgemq \\w+ stopped")))
        .as(stop.output())
        .hasSize(6);
    assertThat(script("status").status()).isEqualTo(3);
    for (String broker : List.of("broker-a", "broker-b")) {
      assertThat(Files.readString(dir.resolve("logs/" + broker + ".log")))
          .contains("closed cleanly");
    }
  }

  private int port(String key) {
    return Integer.parseInt(env.get(key));
  }

  private record Result(int status, String output) {}

  private Result script(String command) throws IOException, InterruptedException {
    Path repo = Path.of(System.getProperty("edgemq.repo.dir", "..")).toAbsolutePath().normalize();
    List<String> cmd =
        new ArrayList<>(
            List.of("bash", repo.resolve("deploy/local/cluster.sh").toString(), command));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    List<String> java = EdgemqProcess.javaCommand();
    pb.environment().put("JAVA", java.get(0));
    pb.environment().put("EDGEMQ_JAVA_OPTS", java.get(1));
    pb.environment().put("EDGEMQ_CLASSPATH", java.get(3));
    pb.environment().put("EDGEMQ_CLUSTER_DIR", dir.toString());
    pb.environment().put("START_TIMEOUT", "120");
    Path out = dir.resolve("script-" + command + ".out");
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("cluster.sh " + command + " hung");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
