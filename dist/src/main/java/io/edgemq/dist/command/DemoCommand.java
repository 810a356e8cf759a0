package io.edgemq.dist.command;

import io.edgemq.dist.config.Keys;
import io.edgemq.dist.config.Role;
import io.edgemq.dist.config.Settings;
import io.edgemq.dist.config.SettingsLoader;
import io.edgemq.dist.launch.BrokerRole;
import io.edgemq.dist.launch.GatewayRole;
import io.edgemq.dist.launch.Launched;
import io.edgemq.dist.launch.Launcher;
import io.edgemq.dist.launch.NameServerRole;
import io.edgemq.sim.api.SimCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgemq demo}: a standalone server on free ports with its data in a temporary folder, a
 * short device-sim telemetry run against it (verified end to end), then a clean stop. What a new
 * user runs first: it needs no free well-known port and leaves nothing behind but the reports.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a standalone server on free ports (data in a temporary folder), runs a short"
          + " simulated telemetry fleet against it, prints the verified summary and stops.",
      "Exit status: the simulator's (0 = nothing lost)."
    })
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--devices", defaultValue = "200", description = "devices (default: 200)")
  int devices;

  @Option(
      names = "--duration",
      defaultValue = "20s",
      description = "how long they send (default: ${DEFAULT-VALUE})")
  String duration;

  @Option(
      names = "--report-dir",
      defaultValue = "demo-report",
      description = "where the JSON and HTML reports go (default: ${DEFAULT-VALUE})")
  Path reportDir;

  @Override
  public Integer call() throws Exception {
    Path data = Files.createTempDirectory("edgemq-demo");
    try (Launched server = startServer(data)) {
      int gateway = server.port("gateway").orElseThrow();
      int nameServer = server.port("nameserver").orElseThrow();
      System.out.println("edgemq demo: server up; simulating " + devices + " devices");
      return new CommandLine(new SimCommand())
          .execute(
              "--builtin",
              "telemetry",
              "--devices",
              Integer.toString(devices),
              "--duration",
              duration,
              "--gateway",
              "127.0.0.1:" + gateway,
              "--namesrv",
              "127.0.0.1:" + nameServer,
              "--report-dir",
              reportDir.toString());
    } finally {
      deleteTree(data);
    }
  }

  private static Launched startServer(Path data) throws Exception {
    Map<String, String> settings = new HashMap<>(StandaloneCommand.PROFILE);
    settings.put(Keys.NAMESERVER_KV_FILE.name(), data.resolve("kv.properties").toString());
    settings.put(Keys.BROKER_DATA_DIR.name(), data.resolve("broker").toString());
    settings.put(Keys.NAMESERVER_PORT.name(), "0");
    settings.put(Keys.BROKER_PORT.name(), "0");
    settings.put(Keys.GATEWAY_MQTT_PORT.name(), "0");
    settings.put(Keys.GATEWAY_WS_PORT.name(), "-1");
    settings.put(Keys.HTTP_PORT.name(), "0");
    Settings s =
        new SettingsLoader(EnumSet.of(Role.NAMESERVER, Role.BROKER, Role.GATEWAY), Map.of())
            .load(null, settings);
    return Launcher.start(
        "demo",
        s,
        List.of(new NameServerRole(), new BrokerRole(true), new GatewayRole()),
        Clock.systemUTC(),
        System.out);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
