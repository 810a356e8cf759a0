package io.edgemq.broker;

import io.edgemq.broker.api.Broker;
import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.protocol.Ports;
import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs one broker until SIGTERM/SIGINT, then closes it cleanly. Prints one line {@code edgemq
 * broker listening on port N} to standard output once it accepts calls.
 */
@Command(
    name = "edgemq-broker",
    mixinStandardHelpOptions = true,
    description = "Runs an edgemq broker (gRPC edgemq.v1 Broker and Admin).")
public final class BrokerMain implements Callable<Integer> {

  @Option(names = "--data-dir", required = true, description = "broker data directory")
  Path dataDir;

  @Option(names = "--store-dir", description = "store directory (default: <data-dir>/store)")
  Path storeDir;

  @Option(
      names = "--broker-name",
      defaultValue = "broker-a",
      description = "default: ${DEFAULT-VALUE}")
  String brokerName;

  @Option(
      names = "--cluster-name",
      defaultValue = "DefaultCluster",
      description = "default: ${DEFAULT-VALUE}")
  String clusterName;

  @Option(names = "--broker-id", defaultValue = "0", description = "0 = master (default)")
  long brokerId;

  @Option(
      names = "--listen-host",
      defaultValue = "0.0.0.0",
      description = "default: ${DEFAULT-VALUE}")
  String listenHost;

  @Option(
      names = "--port",
      defaultValue = "" + Ports.BROKER,
      description = "0 = ephemeral; default: ${DEFAULT-VALUE}")
  int port;

  @Option(
      names = "--advertised-host",
      defaultValue = "127.0.0.1",
      description = "default: ${DEFAULT-VALUE}")
  String advertisedHost;

  @Option(names = "--namesrv", split = ",", description = "nameservers, host:port[,host:port...]")
  List<String> nameServers = new ArrayList<>();

  @Option(
      names = "--heartbeat-interval-ms",
      defaultValue = "30000",
      description = "default: ${DEFAULT-VALUE}")
  long heartbeatIntervalMs;

  @Option(
      names = "--auto-create-topics",
      defaultValue = "false",
      description = "default: ${DEFAULT-VALUE}")
  boolean autoCreateTopics;

  @Option(
      names = "--default-queue-count",
      defaultValue = "8",
      description = "default: ${DEFAULT-VALUE}")
  int defaultQueueCount;

  @Option(
      names = "--flush-mode",
      defaultValue = "ASYNC",
      description = "ASYNC or SYNC; default: ${DEFAULT-VALUE}")
  FlushMode flushMode;

  @Option(names = "--segment-bytes", description = "CommitLog segment size (store default: 1 GiB)")
  Integer segmentBytes;

  @Option(
      names = "--long-poll-max-ms",
      defaultValue = "30000",
      description = "default: ${DEFAULT-VALUE}")
  long longPollMaxMs;

  @Option(
      names = "--client-heartbeat-interval-ms",
      defaultValue = "10000",
      description = "default: ${DEFAULT-VALUE}")
  long clientHeartbeatMs;

  @Option(names = "--member-timeout-ms", description = "default: 3 x client heartbeat interval")
  Long memberTimeoutMs;

  @Option(names = "--max-retries", defaultValue = "16", description = "default: ${DEFAULT-VALUE}")
  int maxRetries;

  @Option(
      names = "--retry-backoff-ms",
      split = ",",
      description = "back-off levels, ms[,ms...] (default: 10s 30s 1m ... 2h)")
  List<Long> retryBackoffMs = new ArrayList<>();

  @Option(
      names = "--fifo-retry-backoff-ms",
      defaultValue = "1000",
      description = "pause before a FIFO group's retry in place, default: ${DEFAULT-VALUE}")
  long fifoRetryBackoffMs;

  @Option(
      names = "--delay-levels-ms",
      split = ",",
      description = "delay levels, ms[,ms...] (default: 1s 5s 10s 30s 1m ... 2h)")
  List<Long> delayLevelsMs = new ArrayList<>();

  @Option(
      names = "--timer-max-delay-ms",
      defaultValue = "259200000",
      description = "default: ${DEFAULT-VALUE} (3 days)")
  long timerMaxDelayMs;

  @Override
  public Integer call() throws IOException, InterruptedException {
    BrokerConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      System.err.println("edgemq broker: " + e.getMessage());
      return 2;
    }
    Broker broker = Broker.start(config, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  int status = 0;
                  try {
                    broker.close();
                    System.out.println("edgemq broker stopped");
                  } catch (IOException | RuntimeException e) {
                    System.err.println("edgemq broker: unclean close: " + e);
                    status = 1;
                  } finally {
                    stopped.countDown();
                  }
                  System.out.flush();
                  // A JVM stopped by a signal exits with 128 + signal; after a clean close we
                  // report success instead, so supervisors can tell it from a failed close.
                  Runtime.getRuntime().halt(status);
                },
                "broker-shutdown"));
    System.out.println("edgemq broker listening on port " + broker.port());
    System.out.flush();
    stopped.await();
    return 0;
  }

  BrokerConfig config() {
    StoreConfig.Builder store =
        StoreConfig.builder(storeDir != null ? storeDir : dataDir.resolve("store"))
            .flushMode(flushMode);
    if (segmentBytes != null) {
      store.commitLogSegmentBytes(segmentBytes);
    }
    BrokerConfig.Builder b =
        BrokerConfig.builder(dataDir)
            .brokerName(brokerName)
            .clusterName(clusterName)
            .brokerId(brokerId)
            .listenHost(listenHost)
            .port(port)
            .advertisedHost(advertisedHost)
            .nameServers(parse(nameServers))
            .heartbeatInterval(Duration.ofMillis(heartbeatIntervalMs))
            .autoCreateTopics(autoCreateTopics)
            .defaultQueueCount(defaultQueueCount)
            .storeConfig(store.build())
            .longPollMax(Duration.ofMillis(longPollMaxMs))
            .clientHeartbeatInterval(Duration.ofMillis(clientHeartbeatMs));
    if (memberTimeoutMs != null) {
      b.memberTimeout(Duration.ofMillis(memberTimeoutMs));
    }
    DeliveryConfig.Builder d =
        DeliveryConfig.builder()
            .maxRetries(maxRetries)
            .fifoRetryBackoff(Duration.ofMillis(fifoRetryBackoffMs))
            .timerMaxDelay(Duration.ofMillis(timerMaxDelayMs));
    if (!retryBackoffMs.isEmpty()) {
      d.retryBackoff(retryBackoffMs.stream().map(Duration::ofMillis).toList());
    }
    if (!delayLevelsMs.isEmpty()) {
      d.delayLevels(delayLevelsMs.stream().map(Duration::ofMillis).toList());
    }
    return b.delivery(d.build()).build();
  }

  private static List<InetSocketAddress> parse(List<String> addresses) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String a : addresses) {
      int colon = a.lastIndexOf(':');
      if (colon <= 0 || colon == a.length() - 1) {
        throw new IllegalArgumentException(
            "broker config nameServers=" + a + ": expected host:port");
      }
      try {
        out.add(
            InetSocketAddress.createUnresolved(
                a.substring(0, colon), Integer.parseInt(a.substring(colon + 1))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "broker config nameServers=" + a + ": expected host:port", e);
      }
    }
    return out;
  }

  /**
   * @param args the command line
   */
  public static void main(String[] args) {
    int code = new CommandLine(new BrokerMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
