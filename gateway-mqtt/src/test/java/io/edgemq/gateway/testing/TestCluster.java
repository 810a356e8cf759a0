package io.edgemq.gateway.testing;

import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.edgemq.broker.api.Broker;
import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * A real nameserver and real brokers in the test JVM, on 127.0.0.1 and free ports, with small
 * stores under a test directory and fast heartbeats, so gateway tests run against the real thing.
 *
 * <pre>{@code
 * @TempDir Path dir;
 * try (TestCluster cluster = TestCluster.builder(dir).brokers(2).autoCreateTopics(true).start()) {
 *   cluster.createTopic("telemetry", 4);
 *   ClientConfig config = cluster.clientConfig();
 * }
 * }</pre>
 */
public final class TestCluster implements AutoCloseable {
  /** How long the cluster's waits last before a test fails. */
  public static final Duration WAIT = Duration.ofSeconds(15);

  static {
    quietLogs();
  }

  private final Builder options;
  private final NameServer nameServer;
  private final List<Broker> brokers = new ArrayList<>();
  private final List<Boolean> running = new ArrayList<>();

  private TestCluster(Builder options) throws IOException {
    this.options = options;
    this.nameServer =
        NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC());
    try {
      for (int i = 0; i < options.brokerCount; i++) {
        brokers.add(startBroker(brokerName(i)));
        running.add(true);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    awaitRegistered(options.brokerCount);
  }

  /**
   * Starts a builder: one broker, 4 queues per auto-created topic, no auto-creation, ASYNC flush.
   *
   * @param dir the test's own directory (JUnit {@code @TempDir})
   * @return the builder
   */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /**
   * @param index a broker's index, from 0
   * @return its broker group name: {@code broker-a}, {@code broker-b}, ...
   */
  public static String brokerName(int index) {
    return "broker-" + (char) ('a' + index);
  }

  private Broker startBroker(String name) throws IOException {
    Path d = options.dir.resolve(name);
    BrokerConfig config =
        BrokerConfig.builder(d)
            .brokerName(name)
            .listenHost("127.0.0.1")
            .port(0)
            .nameServers(List.of(new InetSocketAddress("127.0.0.1", nameServer.port())))
            .autoCreateTopics(options.autoCreateTopics)
            .defaultQueueCount(options.defaultQueueCount)
            .heartbeatInterval(Duration.ofSeconds(1))
            .clientHeartbeatInterval(Duration.ofMillis(300))
            .memberTimeout(Duration.ofSeconds(2))
            .offsetFlushInterval(Duration.ofMillis(200))
            .longPollMax(Duration.ofSeconds(2))
            .storeConfig(
                StoreConfig.builder(d.resolve("store"))
                    .flushMode(options.flushMode)
                    .commitLogSegmentBytes(1 << 20)
                    .maxMessageBytes(64 * 1024)
                    .consumeQueueUnitsPerFile(1024)
                    .indexSlotCount(1024)
                    .indexEntriesPerFile(4096)
                    .flushInterval(Duration.ofMillis(20))
                    .diskCleanRatio(1.0)
                    .diskRefuseWritesRatio(1.0)
                    .build())
            .build();
    return Broker.start(config, Clock.systemUTC());
  }

  /** Waits until the nameserver lists {@code n} broker groups (brokers register in background). */
  private void awaitRegistered(int n) {
    try (Admin admin = admin()) {
      await().atMost(WAIT).ignoreExceptions().until(() -> admin.brokerNames().size() == n);
    }
  }

  /**
   * A client config for this cluster: 2 s request timeout, routes refreshed every 300 ms, a new
   * client id per client instance.
   *
   * @return the config
   */
  public ClientConfig clientConfig() {
    return ClientConfig.builder()
        .nameServers(nameServerAddress())
        .requestTimeout(Duration.ofSeconds(2))
        .routeRefreshInterval(Duration.ofMillis(300))
        .build();
  }

  /**
   * @return {@code 127.0.0.1:port} of the nameserver
   */
  public String nameServerAddress() {
    return "127.0.0.1:" + nameServer.port();
  }

  /**
   * @return a new admin client; the caller closes it
   */
  public Admin admin() {
    return Admin.builder().clientConfig(clientConfig()).build();
  }

  /**
   * Creates a topic on every broker and waits until its route lists every broker.
   *
   * @param topic the topic
   * @param queues queues per broker
   */
  public void createTopic(String topic, int queues) {
    try (Admin admin = admin()) {
      admin.createTopic(topic, queues);
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(() -> admin.getTopic(topic).size() == runningBrokers());
    }
  }

  private long runningBrokers() {
    return running.stream().filter(r -> r).count();
  }

  /**
   * @param index a broker's index
   * @return the broker
   */
  public Broker broker(int index) {
    return brokers.get(index);
  }

  /**
   * Stops a broker cleanly (it unregisters from the nameserver).
   *
   * @param index the broker's index
   */
  public void stopBroker(int index) {
    try {
      brokers.get(index).close();
      running.set(index, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops every broker, then the nameserver. */
  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Broker b : brokers) {
      try {
        b.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    nameServer.close();
    if (first != null) {
      throw first;
    }
  }

  // gateway-mqtt has no logback-test.xml yet, and logback's default logs DEBUG from every gRPC
  // and broker thread; keep the gateway's own INFO and everybody else's warnings
  private static void quietLogs() {
    if (TestCluster.class.getResource("/logback-test.xml") != null
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    context.getLogger("io.edgemq.gateway").setLevel(Level.INFO);
  }

  /** Options of a {@link TestCluster}. */
  public static final class Builder {
    private final Path dir;
    private int brokerCount = 1;
    private boolean autoCreateTopics;
    private int defaultQueueCount = 4;
    private FlushMode flushMode = FlushMode.ASYNC;

    private Builder(Path dir) {
      this.dir = dir;
    }

    /**
     * @param n how many broker groups (one master each), default 1
     * @return this
     */
    public Builder brokers(int n) {
      this.brokerCount = n;
      return this;
    }

    /**
     * @param on whether brokers create a topic on its first send (default false)
     * @return this
     */
    public Builder autoCreateTopics(boolean on) {
      this.autoCreateTopics = on;
      return this;
    }

    /**
     * @param n queues of an auto-created topic (default 4)
     * @return this
     */
    public Builder defaultQueueCount(int n) {
      this.defaultQueueCount = n;
      return this;
    }

    /**
     * @param mode the stores' flush mode (default ASYNC)
     * @return this
     */
    public Builder flushMode(FlushMode mode) {
      this.flushMode = mode;
      return this;
    }

    /**
     * Starts the nameserver and the brokers and waits until every broker registered.
     *
     * @return the running cluster
     * @throws IOException when a store cannot be opened
     */
    public TestCluster start() throws IOException {
      return new TestCluster(this);
    }
  }
}
