package io.edgemq.sim.bench;

import io.edgemq.sim.api.SimCommand;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs a realistic telemetry load against a standalone server on this machine: a nameserver, a
 * broker (ASYNC flush, 8 queues per topic) and a gateway, each in its own JVM, then the simulator
 * in this JVM — by default 10,000 MQTT 5 devices at QoS 1, one 200-byte JSON reading every 5 s each
 * (2,000 msg/s in all), for 3 minutes after a 20 s connect ramp, verified by a backend consumer.
 * Until the launcher's {@code edgemq standalone} exists, this is the standalone server.
 *
 * <p>Arguments are passed to {@code edgemq sim} after the defaults, so any of them can be changed
 * ({@code --devices=2000 --duration=30s}), or replaced by a file ({@code --scenario
 * scenarios/plant.yaml}); {@code --gateway} and {@code --namesrv} are set here. Exits with the
 * simulator's exit code.
 */
public final class SimBenchmark {
  /** The 10,000-device telemetry load; left out when a {@code --scenario} file is given. */
  private static final List<String> DEFAULTS =
      List.of(
          "--builtin", "telemetry",
          "--devices", "10000",
          "--connect-rate", "500",
          "--rate", "0.2",
          "--qos", "1",
          "--mqtt-version", "5",
          "--payload-size", "200",
          "--duration", "3m");

  private SimBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args extra {@code edgemq sim} options
   * @throws Exception if a server does not start
   */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("edgemq-sim-bench");
    int code;
    try (Server ns =
            Server.start(
                "io.edgemq.nameserver.NameServerMain",
                List.of("-Xmx256m"),
                List.of("--port", "0"),
                "listening on port ");
        Server broker = broker(dir, ns.port());
        Server gateway = gateway(ns.port())) {
      List<String> sim = new ArrayList<>();
      if (!List.of(args).contains("--scenario")) {
        sim.addAll(DEFAULTS);
      }
      sim.addAll(List.of("--source-addresses", "4", "--report-dir", "target/sim-bench"));
      sim.addAll(List.of(args));
      sim.addAll(
          List.of(
              "--gateway", "127.0.0.1:" + gateway.port(),
              "--namesrv", "127.0.0.1:" + ns.port()));
      warmUp(gateway.port(), ns.port());
      System.out.println("edgemq sim " + String.join(" ", sim));
      // later options win, so the arguments given override the defaults above
      code =
          new CommandLine(new SimCommand())
              .setOverwrittenOptionsAllowed(true)
              .execute(sim.toArray(String[]::new));
    } finally {
      deleteTree(dir);
    }
    System.exit(code);
  }

  /**
   * A short unmeasured run first, as the gateway benchmark primes its topics: the broker creates
   * the topic, its consume queues and its index files, and the JVMs compile their hot paths.
   */
  private static void warmUp(int gatewayPort, int nsPort) {
    System.out.println("warm-up (not measured): 200 devices, 15 s");
    int code =
        new CommandLine(new SimCommand())
            .execute(
                "--builtin", "telemetry",
                "--devices", "200",
                "--rate", "5",
                "--duration", "15s",
                "--report-dir", "target/sim-bench-warmup",
                "--gateway", "127.0.0.1:" + gatewayPort,
                "--namesrv", "127.0.0.1:" + nsPort);
    System.out.println("warm-up exit code " + code);
  }

  private static Server broker(Path dir, int nsPort) throws IOException {
    return Server.start(
        "io.edgemq.broker.BrokerMain",
        List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"),
        List.of(
            "--data-dir",
            dir.resolve("broker").toString(),
            "--port",
            "0",
            "--namesrv",
            "127.0.0.1:" + nsPort,
            "--heartbeat-interval-ms",
            "1000",
            "--flush-mode",
            "ASYNC",
            "--auto-create-topics",
            "--default-queue-count",
            "8",
            "--segment-bytes",
            Integer.toString(256 << 20)),
        "edgemq broker listening on port ");
  }

  private static Server gateway(int nsPort) throws IOException {
    return Server.start(
        "io.edgemq.gateway.GatewayMain",
        List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"),
        List.of(
            "--namesrv",
            "127.0.0.1:" + nsPort,
            "--host",
            "0.0.0.0",
            "--mqtt-port",
            "0",
            "--ws-port",
            "-1",
            "--allow-anonymous"),
        "edgemq gateway listening on port ");
  }

  private static void deleteTree(Path dir) throws IOException {
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            Files.delete(f);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
