package io.edgemq.dist.launch;

import io.edgemq.broker.api.Broker;
import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.broker.api.TransactionConfig;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.dist.config.Keys;
import io.edgemq.dist.config.Settings;
import io.edgemq.store.api.StoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a broker from the {@code broker.*} keys. In one JVM with the gateway (standalone) it also
 * waits until the nameserver lists it: a gateway started before that cannot create topics or open
 * feeds, and under load the first registration can miss its deadline and wait for the next
 * heartbeat.
 */
public final class BrokerRole implements RoleStarter {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerRole.class);
  private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(60);

  private final boolean awaitRegistration;

  /** A broker that returns as soon as it serves (a cluster node). */
  public BrokerRole() {
    this(false);
  }

  /**
   * @param awaitRegistration whether start returns only once a nameserver lists the broker (or
   *     after 60 s, with a warning)
   */
  public BrokerRole(boolean awaitRegistration) {
    this.awaitRegistration = awaitRegistration;
  }

  @Override
  public void check(Settings s) {
    config(s);
  }

  @Override
  public Started start(Settings s, MeterRegistry registry, Clock clock) throws Exception {
    BrokerConfig config = config(s);
    Broker broker = Broker.start(config, clock, registry);
    if (awaitRegistration && !config.nameServers().isEmpty()) {
      awaitRegistration(config);
    }
    Running running = new Running();
    return new Started(
        "broker",
        broker.port(),
        () -> {
          running.stop();
          broker.close();
        },
        running::isRunning,
        UnaryOperator.identity());
  }

  private static void awaitRegistration(BrokerConfig config) throws InterruptedException {
    ClientConfig.Builder client = ClientConfig.builder();
    config.nameServers().forEach(client::nameServer);
    long end = System.nanoTime() + REGISTRATION_WAIT.toNanos();
    try (Admin admin = Admin.builder().clientConfig(client.build()).build()) {
      while (System.nanoTime() < end) {
        try {
          if (admin.brokerNames().contains(config.brokerName())) {
            return;
          }
        } catch (ClientException e) {
          // the nameserver is busy or not answering yet: ask again
        }
        Thread.sleep(200);
      }
    }
    LOG.warn(
        "broker {} is not registered with {} after {}; starting the rest anyway",
        config.brokerName(),
        config.nameServers(),
        REGISTRATION_WAIT);
  }

  /**
   * @param s the settings
   * @return the broker's typed config
   * @throws IllegalArgumentException when the values do not fit together
   */
  static BrokerConfig config(Settings s) {
    Path dataDir = s.get(Keys.BROKER_DATA_DIR);
    StoreConfig store =
        StoreConfig.builder(dataDir.resolve("store"))
            .flushMode(s.get(Keys.STORE_FLUSH_MODE))
            .flushInterval(s.get(Keys.STORE_FLUSH_INTERVAL))
            .commitLogSegmentBytes(s.get(Keys.STORE_SEGMENT_BYTES))
            .preallocateSegments(s.get(Keys.STORE_PREALLOCATE))
            .maxMessageBytes(s.get(Keys.STORE_MAX_MESSAGE))
            .retention(s.get(Keys.STORE_RETENTION))
            .diskCleanRatio(s.get(Keys.STORE_DISK_CLEAN))
            .diskRefuseWritesRatio(s.get(Keys.STORE_DISK_REFUSE))
            .build();
    return BrokerConfig.builder(dataDir)
        .brokerName(s.get(Keys.BROKER_NAME))
        .clusterName(s.get(Keys.BROKER_CLUSTER))
        .brokerId(s.get(Keys.BROKER_ID))
        .listenHost(s.get(Keys.BROKER_LISTEN_HOST))
        .port(s.get(Keys.BROKER_PORT))
        .advertisedHost(s.get(Keys.BROKER_ADVERTISED_HOST))
        .nameServers(s.get(Keys.BROKER_NAMESRV))
        .heartbeatInterval(s.get(Keys.BROKER_HEARTBEAT))
        .autoCreateTopics(s.get(Keys.BROKER_AUTO_CREATE))
        .defaultQueueCount(s.get(Keys.BROKER_QUEUES))
        .storeConfig(store)
        .longPollMax(s.get(Keys.BROKER_LONG_POLL))
        .clientHeartbeatInterval(s.get(Keys.BROKER_CLIENT_HEARTBEAT))
        .memberTimeout(s.get(Keys.BROKER_MEMBER_TIMEOUT))
        .offsetFlushInterval(s.get(Keys.BROKER_OFFSET_FLUSH))
        .delivery(
            DeliveryConfig.builder()
                .maxRetries(s.get(Keys.BROKER_MAX_RETRIES))
                .retryBackoff(s.get(Keys.BROKER_RETRY_BACKOFF))
                .fifoRetryBackoff(s.get(Keys.BROKER_FIFO_RETRY_BACKOFF))
                .delayLevels(s.get(Keys.BROKER_DELAY_LEVELS))
                .timerMaxDelay(s.get(Keys.BROKER_TIMER_MAX_DELAY))
                .timerRollWindow(s.get(Keys.BROKER_TIMER_ROLL_WINDOW))
                .build())
        .transaction(
            new TransactionConfig(
                s.get(Keys.BROKER_TX_CHECK_INTERVAL),
                s.get(Keys.BROKER_TX_MAX_CHECKS),
                s.get(Keys.BROKER_TX_DEFAULT_OUTCOME)))
        .build();
  }
}
