package io.edgemq.dist.process;

import io.edgemq.dist.command.StandaloneCommand;
import io.edgemq.dist.config.Role;
import io.edgemq.dist.config.Settings;
import io.edgemq.dist.config.SettingsLoader;
import io.edgemq.dist.launch.BrokerRole;
import io.edgemq.dist.launch.GatewayRole;
import io.edgemq.dist.launch.Launched;
import io.edgemq.dist.launch.Launcher;
import io.edgemq.dist.launch.NameServerRole;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * A standalone server (nameserver, broker, gateway, HTTP endpoint) started in the test's JVM
 * through the same {@link Launcher} as {@code edgemq standalone}, every port free, data in a
 * temporary directory.
 */
public final class InProcessStandalone implements AutoCloseable {
  private final Launched server;

  private InProcessStandalone(Launched server) {
    this.server = server;
  }

  /**
   * @param dir data directory
   * @return the running server
   */
  public static InProcessStandalone start(Path dir) throws Exception {
    Settings s =
        new SettingsLoader(
                EnumSet.of(Role.NAMESERVER, Role.BROKER, Role.GATEWAY), StandaloneCommand.PROFILE)
            .load(
                null,
                Map.of(
                    "nameserver.port", "0",
                    "nameserver.kvFile", dir.resolve("kv").toString(),
                    "broker.port", "0",
                    "broker.dataDir", dir.resolve("broker").toString(),
                    "broker.store.segmentBytes", "16777216",
                    "gateway.mqttPort", "0",
                    "gateway.wsPort", "-1",
                    "http.port", "0",
                    "http.host", "127.0.0.1"));
    return new InProcessStandalone(
        Launcher.start(
            "standalone",
            s,
            List.of(new NameServerRole(), new BrokerRole(true), new GatewayRole()),
            Clock.systemUTC(),
            new PrintStream(OutputStream.nullOutputStream())));
  }

  /**
   * @return the HTTP endpoint's port
   */
  public int httpPort() {
    return server.httpPort().orElseThrow();
  }

  /**
   * @return the gateway's MQTT port
   */
  public int mqttPort() {
    return server.port("gateway").orElseThrow();
  }

  /**
   * @return {@code 127.0.0.1:<nameserver port>}
   */
  public String nameServer() {
    return "127.0.0.1:" + server.port("nameserver").orElseThrow();
  }

  @Override
  public void close() {
    server.stop();
  }
}
