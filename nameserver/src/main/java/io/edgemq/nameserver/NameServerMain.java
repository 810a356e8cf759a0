package io.edgemq.nameserver;

import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs one nameserver in the foreground until the JVM is asked to stop (SIGTERM, Ctrl-C). Public
 * with a no-argument constructor so the {@code edgemq} command can mount it as its {@code
 * nameserver} subcommand.
 */
@Command(
    name = "nameserver",
    mixinStandardHelpOptions = true,
    description = "Runs an edgemq nameserver: broker registration, routes and KV config (gRPC).")
public final class NameServerMain implements Callable<Integer> {

  /** The line printed once the port is bound; tests and scripts read the port from it. */
  public static final String LISTENING_PREFIX = "edgemq nameserver listening on port ";

  /** The process's logging configuration, a class path resource of this module. */
  static final String LOGBACK_CONFIG = "edgemq-nameserver-logback.xml";

  @Option(
      names = "--port",
      defaultValue = "" + NameServerConfig.DEFAULT_PORT,
      description = "gRPC port; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--broker-expiry-seconds",
      defaultValue = "120",
      description =
          "drop a broker silent this long, unless it registered its own timeout"
              + " (default: ${DEFAULT-VALUE})")
  long brokerExpirySeconds;

  @Option(
      names = "--expiry-scan-millis",
      defaultValue = "5000",
      description = "how often to look for silent brokers (default: ${DEFAULT-VALUE})")
  long expiryScanMillis;

  @Option(
      names = "--kv-file",
      description = "file keeping the KV config across restarts (default: in memory only)")
  Path kvFile;

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the options; {@code --help} lists them
   */
  public static void main(String[] args) {
    // before the first logger exists; an operator's own -Dlogback.configurationFile wins
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    }
    int code = new CommandLine(new NameServerMain()).execute(args);
    // on a normal return the JVM ends by itself; System.exit would wait on the shutdown hook
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    NameServerConfig config;
    try {
      config =
          NameServerConfig.builder()
              .port(port)
              .brokerExpiry(Duration.ofSeconds(brokerExpirySeconds))
              .expiryScanInterval(Duration.ofMillis(expiryScanMillis))
              .kvConfigFile(kvFile)
              .build();
    } catch (IllegalArgumentException e) {
      System.err.println("invalid configuration: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    NameServer server;
    try {
      server = NameServer.start(config, Clock.systemUTC());
    } catch (IOException e) {
      // a taken port or a bad KV file is an operator's problem: one line, not a stack trace
      Throwable cause = e.getCause();
      System.err.println(
          "edgemq nameserver could not start: "
              + e.getMessage()
              + (cause == null ? "" : " (" + cause.getMessage() + ")"));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "nameserver-shutdown"));
    System.out.println(LISTENING_PREFIX + server.port());
    System.out.flush();
    stopped.await();
    return CommandLine.ExitCode.OK;
  }
}
