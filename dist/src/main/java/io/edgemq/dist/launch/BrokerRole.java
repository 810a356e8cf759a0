package io.edgemq.dist.launch;

import io.edgemq.broker.api.Broker;
import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.dist.config.Keys;
import io.edgemq.dist.config.Settings;
import io.edgemq.store.api.StoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.UnaryOperator;

/** Starts a broker from the {@code broker.*} keys. */
public final class BrokerRole implements RoleStarter {

  @Override
  public void check(Settings s) {
    config(s);
  }

  @Override
  public Started start(Settings s, MeterRegistry registry, Clock clock) throws Exception {
    Broker broker = Broker.start(config(s), clock, registry);
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
        .build();
  }
}
