package io.edgemq.broker.api;

import io.edgemq.protocol.Ports;
import io.edgemq.store.api.StoreConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything a broker needs to start. Every value is validated when the record is built; a bad
 * value throws {@link IllegalArgumentException} naming the key, the value and the rule.
 *
 * @param brokerName the broker group's name (unique in the deployment), 1-127 of {@code
 *     [A-Za-z0-9_-]}
 * @param clusterName the cluster's name, same rule
 * @param brokerId the id within the broker group; 0 is the master
 * @param listenHost the address the gRPC server binds ({@code 0.0.0.0} for all)
 * @param port the gRPC port, 0 for an ephemeral one (default 10911)
 * @param advertisedHost the host registered with nameservers (clients connect to it)
 * @param nameServers the nameservers to register with; may be empty
 * @param heartbeatInterval how often the broker heartbeats (and re-registers) to nameservers
 * @param autoCreateTopics whether an unknown topic is created on its first send
 * @param defaultQueueCount queue count of auto-created topics and of topics created with 0
 * @param dataDir the broker's directory: topics and offsets files
 * @param storeConfig the message store's configuration (by default under {@code dataDir/store})
 * @param longPollMax the longest a pull is held waiting for messages
 * @param clientHeartbeatInterval the interval clients are told to heartbeat at
 * @param memberTimeout how long a silent consumer stays a group member
 * @param offsetFlushInterval how often changed consumer offsets are written to disk
 * @param delivery retry, dead-letter and scheduled-delivery settings
 * @param transaction transaction check-back settings
 */
public record BrokerConfig(
    String brokerName,
    String clusterName,
    long brokerId,
    String listenHost,
    int port,
    String advertisedHost,
    List<InetSocketAddress> nameServers,
    Duration heartbeatInterval,
    boolean autoCreateTopics,
    int defaultQueueCount,
    Path dataDir,
    StoreConfig storeConfig,
    Duration longPollMax,
    Duration clientHeartbeatInterval,
    Duration memberTimeout,
    Duration offsetFlushInterval,
    DeliveryConfig delivery,
    TransactionConfig transaction) {

  /** The largest queue count of a topic. */
  public static final int MAX_QUEUE_COUNT = 1024;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,127}");

  /** Validates every value. */
  public BrokerConfig {
    require(
        brokerName != null && NAME.matcher(brokerName).matches(),
        "brokerName",
        brokerName,
        "1-127 characters of [A-Za-z0-9_-]");
    require(
        clusterName != null && NAME.matcher(clusterName).matches(),
        "clusterName",
        clusterName,
        "1-127 characters of [A-Za-z0-9_-]");
    require(brokerId >= 0, "brokerId", brokerId, "must be >= 0 (0 = master)");
    require(listenHost != null && !listenHost.isBlank(), "listenHost", listenHost, "required");
    require(port >= 0 && port <= 65535, "port", port, "must be within [0, 65535]");
    require(
        advertisedHost != null && !advertisedHost.isBlank(),
        "advertisedHost",
        advertisedHost,
        "required");
    require(nameServers != null, "nameServers", null, "required (may be empty)");
    nameServers = List.copyOf(nameServers);
    requirePositive(heartbeatInterval, "heartbeatInterval");
    require(
        defaultQueueCount >= 1 && defaultQueueCount <= MAX_QUEUE_COUNT,
        "defaultQueueCount",
        defaultQueueCount,
        "must be within [1, 1024]");
    require(dataDir != null, "dataDir", null, "required");
    require(storeConfig != null, "storeConfig", null, "required");
    requirePositive(longPollMax, "longPollMax");
    requirePositive(clientHeartbeatInterval, "clientHeartbeatInterval");
    requirePositive(memberTimeout, "memberTimeout");
    require(
        memberTimeout.compareTo(clientHeartbeatInterval) >= 0,
        "memberTimeout",
        memberTimeout,
        "must be >= clientHeartbeatInterval");
    requirePositive(offsetFlushInterval, "offsetFlushInterval");
    require(delivery != null, "delivery", null, "required");
    require(transaction != null, "transaction", null, "required");
    // a scheduled message's record must outlive its wait until it is rolled or delivered
    require(
        delivery.timerRollWindow().plusHours(1).compareTo(storeConfig.retention()) <= 0,
        "timerRollWindow",
        delivery.timerRollWindow(),
        "must be at least 1 h below the store's retention " + storeConfig.retention());
  }

  private static void require(boolean ok, String key, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("broker config " + key + "=" + value + ": " + rule);
    }
  }

  private static void requirePositive(Duration d, String key) {
    require(d != null && !d.isNegative() && !d.isZero(), key, d, "must be positive");
  }

  /**
   * A builder with the documented defaults.
   *
   * @param dataDir the broker's data directory
   * @return the builder
   */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /**
   * @return whether this broker is the master of its group (broker id 0)
   */
  public boolean isMaster() {
    return brokerId == 0;
  }

  /** Builds a {@link BrokerConfig}; unset values keep their defaults. */
  public static final class Builder {
    private final Path dataDir;
    private String brokerName = "broker-a";
    private String clusterName = "DefaultCluster";
    private long brokerId;
    private String listenHost = "0.0.0.0";
    private int port = Ports.BROKER;
    private String advertisedHost = "127.0.0.1";
    private List<InetSocketAddress> nameServers = new ArrayList<>();
    private Duration heartbeatInterval = Duration.ofSeconds(30);
    private boolean autoCreateTopics;
    private int defaultQueueCount = 8;
    private StoreConfig storeConfig;
    private Duration longPollMax = Duration.ofSeconds(30);
    private Duration clientHeartbeatInterval = Duration.ofSeconds(10);
    private Duration memberTimeout;
    private Duration offsetFlushInterval = Duration.ofSeconds(5);
    private DeliveryConfig delivery = DeliveryConfig.defaults();
    private TransactionConfig transaction = TransactionConfig.defaults();

    private Builder(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    }

    /**
     * @param v the broker group's name (default {@code broker-a})
     * @return this
     */
    public Builder brokerName(String v) {
      this.brokerName = v;
      return this;
    }

    /**
     * @param v the cluster's name (default {@code DefaultCluster})
     * @return this
     */
    public Builder clusterName(String v) {
      this.clusterName = v;
      return this;
    }

    /**
     * @param v the id within the broker group (default 0, the master)
     * @return this
     */
    public Builder brokerId(long v) {
      this.brokerId = v;
      return this;
    }

    /**
     * @param v the bind address (default {@code 0.0.0.0})
     * @return this
     */
    public Builder listenHost(String v) {
      this.listenHost = v;
      return this;
    }

    /**
     * @param v the gRPC port (default 10911; 0 = ephemeral)
     * @return this
     */
    public Builder port(int v) {
      this.port = v;
      return this;
    }

    /**
     * @param v the host registered with nameservers (default {@code 127.0.0.1})
     * @return this
     */
    public Builder advertisedHost(String v) {
      this.advertisedHost = v;
      return this;
    }

    /**
     * @param v the nameservers (default none)
     * @return this
     */
    public Builder nameServers(List<InetSocketAddress> v) {
      this.nameServers = v;
      return this;
    }

    /**
     * @param v nameserver heartbeat interval (default 30 s)
     * @return this
     */
    public Builder heartbeatInterval(Duration v) {
      this.heartbeatInterval = v;
      return this;
    }

    /**
     * @param v whether unknown topics are created on first send (default false)
     * @return this
     */
    public Builder autoCreateTopics(boolean v) {
      this.autoCreateTopics = v;
      return this;
    }

    /**
     * @param v queue count of auto-created topics (default 8)
     * @return this
     */
    public Builder defaultQueueCount(int v) {
      this.defaultQueueCount = v;
      return this;
    }

    /**
     * @param v the store's configuration (default: the store defaults under {@code dataDir/store})
     * @return this
     */
    public Builder storeConfig(StoreConfig v) {
      this.storeConfig = v;
      return this;
    }

    /**
     * @param v the longest a pull is held (default 30 s)
     * @return this
     */
    public Builder longPollMax(Duration v) {
      this.longPollMax = v;
      return this;
    }

    /**
     * @param v the client heartbeat interval announced to clients (default 10 s)
     * @return this
     */
    public Builder clientHeartbeatInterval(Duration v) {
      this.clientHeartbeatInterval = v;
      return this;
    }

    /**
     * @param v how long a silent member stays (default 3 x client heartbeat interval)
     * @return this
     */
    public Builder memberTimeout(Duration v) {
      this.memberTimeout = v;
      return this;
    }

    /**
     * @param v how often changed offsets are persisted (default 5 s)
     * @return this
     */
    public Builder offsetFlushInterval(Duration v) {
      this.offsetFlushInterval = v;
      return this;
    }

    /**
     * @param v retry, dead-letter and scheduled-delivery settings (default {@link
     *     DeliveryConfig#defaults()})
     * @return this
     */
    public Builder delivery(DeliveryConfig v) {
      this.delivery = v;
      return this;
    }

    /**
     * @param v transaction check-back settings (default {@link TransactionConfig#defaults()})
     * @return this
     */
    public Builder transaction(TransactionConfig v) {
      this.transaction = v;
      return this;
    }

    /**
     * @return the validated config
     * @throws IllegalArgumentException naming the bad key
     */
    public BrokerConfig build() {
      StoreConfig store =
          storeConfig != null ? storeConfig : StoreConfig.builder(dataDir.resolve("store")).build();
      Duration timeout =
          memberTimeout != null
              ? memberTimeout
              : clientHeartbeatInterval == null ? null : clientHeartbeatInterval.multipliedBy(3);
      return new BrokerConfig(
          brokerName,
          clusterName,
          brokerId,
          listenHost,
          port,
          advertisedHost,
          nameServers,
          heartbeatInterval,
          autoCreateTopics,
          defaultQueueCount,
          dataDir,
          store,
          longPollMax,
          clientHeartbeatInterval,
          timeout,
          offsetFlushInterval,
          delivery,
          transaction);
    }
  }
}
