package io.edgemq.broker.registry;

import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.broker.topic.Topic;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.BrokerRole;
import io.edgemq.protocol.v1.RegisterBrokerRequest;
import io.edgemq.protocol.v1.UnregisterBrokerRequest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every configured nameserver informed. All calls run on one scheduled thread, so links need
 * no locking; a topic change schedules an immediate round.
 */
public final class Registrar {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

  private final BrokerConfig config;
  private final int port;
  private final TopicTable topics;
  private final ScheduledExecutorService thread;
  private final List<NameServerLink> links = new ArrayList<>();

  /**
   * @param config the broker's config (names, nameservers, interval)
   * @param port the bound gRPC port, advertised with {@code advertisedHost}
   * @param topics the topic table
   * @param thread a single-thread scheduler for the calls (shut down by the caller)
   * @param grpcExecutor the executor for the channels' callbacks
   */
  public Registrar(
      BrokerConfig config,
      int port,
      TopicTable topics,
      ScheduledExecutorService thread,
      ExecutorService grpcExecutor) {
    this.config = config;
    this.port = port;
    this.topics = topics;
    this.thread = thread;
    for (InetSocketAddress a : config.nameServers()) {
      links.add(new NameServerLink(a, grpcExecutor, CALL_TIMEOUT));
    }
  }

  /** Registers now and then heartbeats every interval; re-registers at once on topic changes. */
  public void start() {
    if (links.isEmpty()) {
      return;
    }
    long every = config.heartbeatInterval().toMillis();
    thread.scheduleWithFixedDelay(this::round, 0, every, TimeUnit.MILLISECONDS);
    topics.addListener(() -> thread.execute(this::round));
  }

  private void round() {
    long version = topics.dataVersion();
    for (NameServerLink l : links) {
      l.round(version, () -> registration(version));
    }
  }

  private RegisterBrokerRequest registration(long version) {
    RegisterBrokerRequest.Builder b =
        RegisterBrokerRequest.newBuilder()
            .setClusterName(config.clusterName())
            .setBrokerName(config.brokerName())
            .setBrokerId(config.brokerId())
            .setRole(
                config.isMaster() ? BrokerRole.BROKER_ROLE_MASTER : BrokerRole.BROKER_ROLE_REPLICA)
            .setAddress(Address.newBuilder().setHost(config.advertisedHost()).setPort(port))
            .setDataVersion(version)
            .setHeartbeatTimeoutMs(config.heartbeatInterval().toMillis() * 4)
            .setAutoCreateTopics(config.autoCreateTopics())
            .setDefaultQueueCount(config.defaultQueueCount());
    for (Topic t : topics.all()) {
      b.addTopics(t.toProto());
    }
    return b.build();
  }

  /**
   * Stops the rounds, unregisters from every nameserver and closes the channels. The scheduler
   * thread is shut down here.
   */
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    UnregisterBrokerRequest r =
        UnregisterBrokerRequest.newBuilder()
            .setClusterName(config.clusterName())
            .setBrokerName(config.brokerName())
            .setBrokerId(config.brokerId())
            .build();
    for (NameServerLink l : links) {
      l.unregister(r);
      l.close();
    }
  }
}
