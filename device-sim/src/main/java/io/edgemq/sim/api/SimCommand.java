package io.edgemq.sim.api;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.sim.fleet.Fleet;
import io.edgemq.sim.report.ReportWriter;
import io.edgemq.sim.report.RunReport;
import io.edgemq.sim.report.Summary;
import io.edgemq.sim.run.SimRun;
import io.edgemq.sim.run.UnreachableException;
import io.edgemq.sim.scenario.BuiltIns;
import io.edgemq.sim.scenario.Scenario;
import io.edgemq.sim.scenario.ScenarioException;
import io.edgemq.sim.scenario.ScenarioLoader;
import io.edgemq.sim.stream.PayloadFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The simulator command: simulated MQTT devices publish through a gateway while a backend consumer
 * verifies delivery; prints a live progress line and a summary, writes {@code report.json} and
 * {@code report.html}, and exits 0 when every guarantee held.
 *
 * <p>Exit codes: 0 pass; 1 a delivery guarantee was broken (or the run failed midway); 2 bad input
 * (scenario, options); 3 the gateway or the backend is unreachable.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
      "Simulates MQTT devices against an edgemq gateway and verifies end to end that nothing"
          + " acknowledged was lost, duplicated beyond its QoS or reordered.",
      "Exit codes: 0 pass, 1 guarantee broken, 2 bad input, 3 unreachable gateway/backend."
    })
public final class SimCommand implements Callable<Integer> {
  /** Every guarantee held. */
  public static final int PASS = 0;

  /** A guarantee was broken or the run failed midway. */
  public static final int BROKEN = 1;

  /** Bad scenario or options. */
  public static final int BAD_INPUT = 2;

  /** Gateway or backend unreachable. */
  public static final int UNREACHABLE = 3;

  @Option(names = "--scenario", paramLabel = "FILE", description = "scenario file (YAML or JSON)")
  private Path scenarioFile;

  @Option(
      names = "--builtin",
      paramLabel = "NAME",
      description =
          "built-in scenario: telemetry (default), commands, connect-storm, churn, burst, soak")
  private String builtin;

  @Option(
      names = "--gateway",
      defaultValue = "127.0.0.1:1883",
      description = "gateway MQTT address (default: ${DEFAULT-VALUE})")
  private String gateway;

  @Option(
      names = "--namesrv",
      defaultValue = "127.0.0.1:9876",
      description =
          "nameserver(s) for the verifier and commands, comma-separated (default: "
              + "${DEFAULT-VALUE})")
  private String nameServers;

  @Option(names = "--no-verify", description = "load only: no backend consumer, no verdict")
  private boolean noVerify;

  @Option(names = "--devices", description = "devices (built-ins)")
  private Integer devices;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "sending phase after the connect ramp, e.g. 30s, 5m (overrides the scenario)")
  private Duration duration;

  @Option(names = "--rate", description = "messages per second per device (built-ins)")
  private Double rate;

  @Option(names = "--qos", description = "QoS 0, 1 or 2 (built-ins)")
  private Integer qos;

  @Option(names = "--mqtt-version", description = "3 or 5 (built-ins)")
  private Integer mqttVersion;

  @Option(names = "--payload-size", description = "payload bytes (built-ins)")
  private Integer payloadSize;

  @Option(names = "--payload-format", description = "JSON or BINARY (built-ins)")
  private PayloadFormat payloadFormat;

  @Option(names = "--connect-rate", description = "connects per second (built-ins)")
  private Double connectRate;

  @Option(
      names = "--report-dir",
      defaultValue = "sim-report",
      description = "folder for report.json and report.html (default: ${DEFAULT-VALUE})")
  private Path reportDir;

  @Option(
      names = "--source-addresses",
      defaultValue = "0",
      description =
          "spread connections over 127.0.0.1..127.0.0.N (more ephemeral ports); 0 = system choice")
  private int sourceAddresses;

  @Option(
      names = "--connect-timeout",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "per connect (default: ${DEFAULT-VALUE})")
  private Duration connectTimeout;

  @Option(
      names = "--event-loops",
      defaultValue = "0",
      description = "Netty threads shared by all devices; 0 = number of CPUs")
  private int eventLoops;

  @Option(
      names = "--drop-every",
      defaultValue = "0",
      description = "fault injection: the verifier ignores every N-th arrival (must then FAIL)")
  private int dropEvery;

  @Option(names = "--check", description = "only check the scenario and print it")
  private boolean checkOnly;

  private final Clock clock;
  private final PrintStream out;

  /** A command on the system clock, printing to standard output. */
  public SimCommand() {
    this(Clock.systemUTC(), System.out);
  }

  /**
   * A command with its clock and output given (tests, embedding).
   *
   * @param clock the clock for pacing and timestamps
   * @param out where the progress and summary go
   */
  public SimCommand(Clock clock, PrintStream out) {
    this.clock = clock;
    this.out = out;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Scenario scenario;
    InetSocketAddress gw;
    try {
      scenario = scenario();
      gw = address(gateway, "--gateway");
    } catch (ScenarioException | IllegalArgumentException e) {
      out.println("edgemq sim: " + e.getMessage());
      return BAD_INPUT;
    }
    if (checkOnly) {
      out.printf(
          "scenario '%s' is valid: %,d devices, sending %d s, verifier reads %s%n",
          scenario.name(),
          scenario.deviceCount(),
          scenario.duration().toSeconds(),
          scenario.verifyTopics());
      return PASS;
    }
    Optional<ClientConfig> backend =
        noVerify
            ? Optional.empty()
            : Optional.of(ClientConfig.builder().nameServers(nameServers.split(",")).build());
    Fleet.Target target =
        new Fleet.Target(
            gw,
            sources(),
            connectTimeout,
            eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors());
    out.printf(
        "edgemq sim: %s — %,d devices, sending %d s after the connect ramp, gateway %s%n",
        scenario.name(), scenario.deviceCount(), scenario.duration().toSeconds(), gateway);
    RunReport report;
    try {
      report =
          SimRun.run(
              new SimRun.Settings(scenario, target, backend, clock, out, System.console() != null));
    } catch (UnreachableException e) {
      out.println("edgemq sim: " + e.getMessage());
      return UNREACHABLE;
    } catch (IOException e) {
      out.println("edgemq sim: cannot read a file the scenario names: " + e);
      return BAD_INPUT;
    } catch (IllegalArgumentException e) {
      out.println("edgemq sim: " + e.getMessage());
      return BAD_INPUT;
    }
    Summary.print(report, out);
    ReportWriter.write(report, reportDir);
    out.println(
        "reports: " + reportDir.resolve("report.json") + ", " + reportDir.resolve("report.html"));
    return report.passed() ? PASS : BROKEN;
  }

  private Scenario scenario() throws ScenarioException {
    if (scenarioFile != null && builtin != null) {
      throw new IllegalArgumentException("give --scenario or --builtin, not both");
    }
    Scenario s;
    if (scenarioFile != null) {
      s = new ScenarioLoader().load(scenarioFile);
      if (duration != null) {
        s = new Scenario(s.name(), duration, s.seed(), s.fleets(), s.commands(), s.verify());
      }
    } else {
      s =
          BuiltIns.get(
              builtin == null ? "telemetry" : builtin,
              new BuiltIns.Knobs(
                  devices,
                  duration,
                  rate,
                  qos,
                  mqttVersion,
                  payloadSize,
                  connectRate,
                  payloadFormat));
    }
    if (dropEvery < 0) {
      throw new IllegalArgumentException("--drop-every must be 0 or positive");
    }
    if (dropEvery > 0) {
      s =
          new Scenario(
              s.name(),
              s.duration(),
              s.seed(),
              s.fleets(),
              s.commands(),
              s.verify().withDropEvery(dropEvery));
    }
    return s;
  }

  private List<String> sources() {
    if (sourceAddresses < 0 || sourceAddresses > 254) {
      throw new IllegalArgumentException("--source-addresses must be 0..254");
    }
    List<String> hosts = new ArrayList<>();
    for (int i = 1; i <= sourceAddresses; i++) {
      hosts.add("127.0.0." + i);
    }
    return hosts;
  }

  private static InetSocketAddress address(String hostPort, String option) {
    int colon = hostPort.lastIndexOf(':');
    try {
      int port = Integer.parseInt(hostPort.substring(colon + 1));
      if (colon <= 0 || port < 1 || port > 65_535) {
        throw new IllegalArgumentException();
      }
      return new InetSocketAddress(hostPort.substring(0, colon), port);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(option + " '" + hostPort + "' is not host:port");
    }
  }

  /** Reads {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h} or ISO-8601. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    /** Creates the converter (picocli instantiates it). */
    public DurationConverter() {}

    @Override
    public Duration convert(String value) {
      return ScenarioLoader.parseDuration(value);
    }
  }
}
