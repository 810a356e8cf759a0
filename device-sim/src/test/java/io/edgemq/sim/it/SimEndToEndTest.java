package io.edgemq.sim.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.MessageView;
import io.edgemq.sim.api.SimCommand;
import io.edgemq.sim.stream.Envelope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Short scenarios through a real gateway, broker and nameserver (in this JVM), verified by the
 * simulator's own backend consumer; each asserts the exit code and the report's figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  private SimCluster cluster;

  @BeforeAll
  void start() throws Exception {
    cluster = new SimCluster(dir.resolve("cluster"));
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Runs the command; returns exit code, output and the JSON report (if written). */
  private Result sim(String reportName, String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Path reports = dir.resolve(reportName);
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--gateway")) {
      all.addAll(List.of("--gateway", cluster.gatewayAddress()));
    }
    if (!all.contains("--namesrv")) {
      all.addAll(List.of("--namesrv", cluster.nameServerAddress()));
    }
    all.addAll(List.of("--report-dir", reports.toString()));
    int code =
        new CommandLine(new SimCommand(Clock.systemUTC(), out)).execute(all.toArray(String[]::new));
    String text = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(text); // kept in the surefire report for reading a failure
    Path json = reports.resolve("report.json");
    JsonNode report = Files.exists(json) ? JSON.readTree(json.toFile()) : null;
    if (report != null) {
      whereAreTheLost(report);
    }
    return new Result(code, text, report, reports);
  }

  /**
   * For each lost message the report names, asks the broker (index lookup by the device's key)
   * whether it stored it, and prints the answer: it tells a loss in the gateway or broker from one
   * on the consuming side.
   */
  private void whereAreTheLost(JsonNode report) {
    Matcher m = LOST.matcher(report.get("notes").toString());
    String runId = report.get("runId").asText();
    try (Admin admin = Admin.builder().clientConfig(cluster.clientConfig()).build()) {
      while (m.find()) {
        String device = m.group(1);
        long seq = Long.parseLong(m.group(2));
        boolean stored = storedInBroker(admin, runId, device, seq);
        // control: the first message of the same device arrived, so the lookup must find it
        boolean control = storedInBroker(admin, runId, device, 0);
        System.out.println(
            "lost "
                + device
                + "#"
                + seq
                + ": stored in the broker: "
                + stored
                + " (lookup control, "
                + device
                + "#0 found: "
                + control
                + ")");
      }
    } catch (RuntimeException e) {
      System.out.println("broker lookup failed: " + e);
    }
  }

  private static boolean storedInBroker(Admin admin, String runId, String device, long seq) {
    boolean stored = false;
    for (String topic : List.of("factory", "devices")) {
      try {
        for (MessageView v : admin.queryMessageByKey(topic, device, 0, 0, 1024)) {
          stored |=
              Envelope.read(v.bodyBytes())
                  .filter(e -> e.seq() == seq && e.deviceId().equals(device))
                  .filter(e -> String.format("%016x", e.runId()).equals(runId))
                  .isPresent();
        }
      } catch (RuntimeException notThere) {
        // the topic does not exist in this cluster
      }
    }
    return stored;
  }

  private static final Pattern LOST = Pattern.compile("([A-Za-z0-9_.:-]+)/\\d+#(\\d+) \\(QoS");

  private record Result(int code, String out, JsonNode report, Path dir) {}

  private static JsonNode tally(JsonNode report, String list, int qos) {
    for (JsonNode t : report.get(list)) {
      if (t.get("qos").asInt() == qos) {
        return t;
      }
    }
    throw new AssertionError("no QoS " + qos + " tally in " + list);
  }

  @Test
  void shouldLoseNothingAtQos1AndWriteBothReports() throws Exception {
    Result r =
        sim(
            "qos1",
            "--builtin",
            "telemetry",
            "--devices",
            "30",
            "--rate",
            "10",
            "--duration",
            "3s",
            "--qos",
            "1",
            "--mqtt-version",
            "5",
            "--payload-size",
            "256");
    assertThat(r.code()).as(r.out()).isEqualTo(SimCommand.PASS);
    JsonNode t = tally(r.report(), "telemetry", 1);
    assertThat(t.get("acked").asLong()).isGreaterThan(150);
    assertThat(t.get("lost").asLong()).isZero();
    assertThat(t.get("received").asLong()).isEqualTo(t.get("acked").asLong());
    assertThat(r.report().get("ackLatency").get("count").asLong()).isPositive();
    assertThat(r.report().get("endToEndLatency").get("p99").asDouble()).isPositive();
    assertThat(r.report().get("connectOk").asLong()).isEqualTo(30);
    assertThat(r.out()).contains("RESULT: PASS").contains("latency PUBLISH→ack");
    String html = Files.readString(r.dir().resolve("report.html"));
    assertThat(html)
        .contains("<svg")
        .contains("<polyline")
        .doesNotContain("<script")
        .doesNotContain("src=")
        .contains("PASS");
  }

  @Test
  void shouldLoseAndDuplicateNothingAtQos2OverMqtt3() throws Exception {
    Result r =
        sim(
            "qos2",
            "--builtin",
            "telemetry",
            "--devices",
            "20",
            "--rate",
            "10",
            "--duration",
            "3s",
            "--qos",
            "2",
            "--mqtt-version",
            "3",
            "--payload-format",
            "BINARY");
    assertThat(r.code()).as(r.out()).isEqualTo(SimCommand.PASS);
    JsonNode t = tally(r.report(), "telemetry", 2);
    assertThat(t.get("acked").asLong()).isGreaterThan(100);
    assertThat(t.get("lost").asLong()).isZero();
    assertThat(t.get("duplicates").asLong()).isZero();
  }

  @Test
  void shouldDeliverEveryCommandAcrossChurnWithPersistentSessions() throws Exception {
    Path file = dir.resolve("churn.yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "name: churn-it",
            "duration: 8s",
            "fleets:",
            "  - name: churn",
            "    count: 20",
            "    mqttVersion: 5",
            "    qos: 1",
            "    cleanSession: false",
            "    sessionExpiry: 10m",
            "    receiveCommands: true",
            "    churn: {every: 2s, offline: 1s}",
            "    streams:",
            "      - topic: devices/{device}/status",
            "        rate: {perSecond: 2}",
            "        payload: {kind: status}",
            "commands: {perSecond: 40, qos: 1}",
            ""));
    Result r = sim("churn", "--scenario", file.toString());
    assertThat(r.code()).as(r.out()).isEqualTo(SimCommand.PASS);
    assertThat(r.report().get("reconnects").asLong()).isGreaterThan(5);
    JsonNode c = tally(r.report(), "commands", 1);
    assertThat(c.get("acked").asLong()).isGreaterThan(40);
    assertThat(c.get("lost").asLong()).isZero();
    assertThat(tally(r.report(), "telemetry", 1).get("lost").asLong()).isZero();
  }

  @Test
  void shouldReportQos0WithoutOwingIt() throws Exception {
    Result r =
        sim(
            "qos0",
            "--builtin",
            "burst",
            "--devices",
            "10",
            "--rate",
            "2",
            "--duration",
            "3s",
            "--qos",
            "0",
            "--payload-format",
            "BINARY");
    assertThat(r.code()).as(r.out()).isEqualTo(SimCommand.PASS);
    JsonNode t = tally(r.report(), "telemetry", 0);
    // 10 devices, 2/s base and 40/s for the first 2 s of each 10 s period (how much of it is
    // sent depends on when the devices connect on a loaded machine)
    assertThat(t.get("sent").asLong()).isPositive();
    assertThat(t.get("received").asLong() + t.get("lost").asLong())
        .isEqualTo(t.get("sent").asLong());
  }

  @Test
  void shouldDeliverCommandsToEveryDeviceExactlyOnceAtQos2() throws Exception {
    Result r =
        sim(
            "commands",
            "--builtin",
            "commands",
            "--devices",
            "20",
            "--rate",
            "2",
            "--duration",
            "3s",
            "--qos",
            "2");
    assertThat(r.code()).as(r.out()).isEqualTo(SimCommand.PASS);
    JsonNode c = tally(r.report(), "commands", 2);
    assertThat(c.get("streams").asLong()).isEqualTo(20);
    assertThat(c.get("acked").asLong()).isGreaterThan(20);
    assertThat(c.get("lost").asLong()).isZero();
    assertThat(c.get("duplicates").asLong()).isZero();
    assertThat(r.report().get("commandLatency").get("count").asLong())
        .isEqualTo(c.get("received").asLong());
  }

  @Test
  void shouldConnectAStormOfDevicesAtOnce() throws Exception {
    Result r =
        sim(
            "storm",
            "--builtin",
            "connect-storm",
            "--devices",
            "300",
            "--duration",
            "2s",
            "--rate",
            "1");
    assertThat(r.code()).as(r.out()).isEqualTo(SimCommand.PASS);
    assertThat(r.report().get("connectOk").asLong()).isEqualTo(300);
    assertThat(r.report().get("connectLatency").get("count").asLong()).isEqualTo(300);
  }

  @Test
  void shouldCheckAScenarioWithoutRunningIt() throws Exception {
    Result r = sim("check", "--builtin", "churn", "--check");
    assertThat(r.code()).isEqualTo(SimCommand.PASS);
    assertThat(r.out()).contains("scenario 'churn' is valid: 100 devices");
    assertThat(r.report()).isNull();
  }

  @Test
  void shouldFailTheRunWhenThePipelineDropsMessages() throws Exception {
    Result r =
        sim(
            "broken",
            "--builtin",
            "telemetry",
            "--devices",
            "10",
            "--rate",
            "10",
            "--duration",
            "2s",
            "--qos",
            "1",
            "--drop-every",
            "25");
    assertThat(r.code()).as(r.out()).isEqualTo(SimCommand.BROKEN);
    JsonNode t = tally(r.report(), "telemetry", 1);
    assertThat(t.get("lost").asLong())
        .isEqualTo(r.report().get("droppedByFaultInjection").asLong())
        .isPositive();
    assertThat(r.out())
        .contains("BROKEN: QoS 1:")
        .contains("acknowledged messages lost")
        .contains("RESULT: FAIL");
  }

  @Test
  void shouldEndAtOnceWhenTheGatewayIsUnreachable() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    long t0 = System.nanoTime();
    Result r =
        sim(
            "unreachable",
            "--gateway",
            "127.0.0.1:" + closed,
            "--devices",
            "5",
            "--duration",
            "5s");
    assertThat(r.code()).isEqualTo(SimCommand.UNREACHABLE);
    assertThat(r.out()).contains("gateway 127.0.0.1:" + closed + " is unreachable");
    assertThat(System.nanoTime() - t0).isLessThan(15_000_000_000L);
  }

  @Test
  void shouldEndAtOnceWhenTheBackendIsUnreachable() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    long t0 = System.nanoTime();
    Result r =
        sim("no-backend", "--namesrv", "127.0.0.1:" + closed, "--devices", "5", "--duration", "5s");
    assertThat(r.code()).as(r.out()).isEqualTo(SimCommand.UNREACHABLE);
    assertThat(r.out()).contains("backend (nameservers").contains("unreachable");
    assertThat(System.nanoTime() - t0).isLessThan(20_000_000_000L);
  }

  @Test
  void shouldRejectABadScenarioBeforeConnecting() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "duration: 5s\nfleets:\n  - count: 2\n    qos: 1\n    colour: red\n");
    Result r = sim("bad", "--scenario", file.toString());
    assertThat(r.code()).isEqualTo(SimCommand.BAD_INPUT);
    assertThat(r.out()).contains(file + ":5: fleets[0].colour: unknown key 'colour'");
    assertThat(r.report()).isNull();
  }
}
