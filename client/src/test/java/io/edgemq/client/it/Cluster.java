package io.edgemq.client.it;

import static org.awaitility.Awaitility.await;

import io.edgemq.broker.api.Broker;
import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.broker.api.TransactionConfig;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import io.edgemq.store.api.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real nameserver and real brokers in this JVM, on 127.0.0.1 and free ports, with small stores in
 * a test directory and fast heartbeats.
 */
final class Cluster implements AutoCloseable {
  final NameServer nameServer;
  final Path dir;
  final List<Broker> brokers = new ArrayList<>();

  private final DeliveryConfig delivery;
  private final Clock brokerClock;
  private final TransactionConfig transaction;

  Cluster(Path dir, int brokerCount) throws IOException {
    this(dir, brokerCount, DeliveryConfig.defaults());
  }

  /** A cluster whose brokers retry and delay with {@code delivery} (e.g. short test levels). */
  Cluster(Path dir, int brokerCount, DeliveryConfig delivery) throws IOException {
    this(dir, brokerCount, delivery, Clock.systemUTC(), TransactionConfig.defaults());
  }

  /**
   * A cluster whose brokers run on {@code brokerClock} (e.g. a MutableClock, so that invisible
   * times and back-offs pass without waiting); the nameserver keeps the system clock.
   */
  Cluster(Path dir, int brokerCount, DeliveryConfig delivery, Clock brokerClock)
      throws IOException {
    this(dir, brokerCount, delivery, brokerClock, TransactionConfig.defaults());
  }

  /** A cluster whose brokers check transactions with {@code transaction} (e.g. short intervals). */
  Cluster(Path dir, int brokerCount, DeliveryConfig delivery, TransactionConfig transaction)
      throws IOException {
    this(dir, brokerCount, delivery, Clock.systemUTC(), transaction);
  }

  private Cluster(
      Path dir,
      int brokerCount,
      DeliveryConfig delivery,
      Clock brokerClock,
      TransactionConfig transaction)
      throws IOException {
    this.dir = dir;
    this.delivery = delivery;
    this.brokerClock = brokerClock;
    this.transaction = transaction;
    this.nameServer =
        NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC());
    for (int i = 0; i < brokerCount; i++) {
      brokers.add(startBroker("broker-" + (char) ('a' + i)));
    }
    awaitRegistered(brokerCount);
  }

  /**
   * Waits until the nameserver lists {@code n} broker groups (brokers register in the background).
   */
  void awaitRegistered(int n) {
    try (Admin admin = admin()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> admin.brokerNames().size() == n);
    }
  }

  Broker startBroker(String name) throws IOException {
    Path d = dir.resolve(name);
    BrokerConfig config =
        BrokerConfig.builder(d)
            .brokerName(name)
            .listenHost("127.0.0.1")
            .port(0)
            .nameServers(List.of(new InetSocketAddress("127.0.0.1", nameServer.port())))
            .heartbeatInterval(Duration.ofSeconds(1))
            .clientHeartbeatInterval(Duration.ofMillis(300))
            .memberTimeout(Duration.ofSeconds(2))
            .offsetFlushInterval(Duration.ofMillis(200))
            .longPollMax(Duration.ofSeconds(2))
            .delivery(delivery)
            .transaction(transaction)
            .storeConfig(
                StoreConfig.builder(d.resolve("store"))
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
    return Broker.start(config, brokerClock);
  }

  /** Stops broker {@code i} cleanly and starts it again on the same data directory. */
  Broker restart(int i) throws IOException {
    Broker old = brokers.get(i);
    String name = old.config().brokerName();
    old.close();
    Broker b = startBroker(name);
    brokers.set(i, b);
    return b;
  }

  ClientConfig clientConfig() {
    return ClientConfig.builder()
        .nameServers("127.0.0.1:" + nameServer.port())
        .requestTimeout(Duration.ofSeconds(2))
        .routeRefreshInterval(Duration.ofMillis(300))
        .build();
  }

  Admin admin() {
    return Admin.builder().clientConfig(clientConfig()).build();
  }

  @Override
  public void close() throws IOException {
    for (Broker b : brokers) {
      b.close();
    }
    nameServer.close();
  }
}
