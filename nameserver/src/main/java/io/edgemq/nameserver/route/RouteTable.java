package io.edgemq.nameserver.route;

import io.edgemq.protocol.v1.BrokerGroup;
import io.edgemq.protocol.v1.ClusterInfo;
import io.edgemq.protocol.v1.TopicRoute;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered brokers and the routes derived from them.
 *
 * <p>Thread safety: every write holds {@link #writeLock}; registration, unregistration and expiry
 * publish a new {@link RouteSnapshot}, heartbeats only touch the member's heartbeat time. Reads
 * take the current snapshot without locking and so always see one consistent state.
 */
public final class RouteTable {
  private static final Logger LOG = LoggerFactory.getLogger(RouteTable.class);

  private final Clock clock;
  private final long defaultTimeoutMs;
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile RouteSnapshot snapshot = RouteSnapshot.EMPTY;

  /**
   * Creates an empty table.
   *
   * @param clock the time of registrations and heartbeats, and of expiry
   * @param defaultExpiry how long a broker may stay silent when it names no timeout of its own
   */
  public RouteTable(Clock clock, Duration defaultExpiry) {
    this.clock = clock;
    this.defaultTimeoutMs = defaultExpiry.toMillis();
  }

  /**
   * Registers a broker, replacing an earlier registration of the same key. Refused when its broker
   * name belongs to a group of another cluster, because routes name groups by broker name alone.
   *
   * @param registration the validated registration
   * @return whether it was taken and the group's master afterwards
   */
  public RegisterOutcome register(BrokerRegistration registration) {
    BrokerKey key = registration.key();
    long timeoutMs =
        registration.heartbeatTimeoutMs() == 0
            ? defaultTimeoutMs
            : registration.heartbeatTimeoutMs();
    writeLock.lock();
    try {
      RouteSnapshot current = snapshot;
      Optional<GroupView> group = current.group(key.brokerName());
      Optional<String> otherCluster =
          group
              .filter(g -> !g.clusterName().equals(key.clusterName()))
              .filter(g -> g.members().stream().anyMatch(m -> m.key().brokerId() != key.brokerId()))
              .map(GroupView::clusterName);
      if (otherCluster.isPresent()) {
        return RegisterOutcome.refused(
            "broker name '"
                + key.brokerName()
                + "' is registered in cluster '"
                + otherCluster.get()
                + "'");
      }
      Map<BrokerKey, RegisteredBroker> next = new HashMap<>(current.brokers());
      // the same process may come back under another cluster name: it replaces itself
      boolean known =
          next.keySet()
              .removeIf(
                  k -> k.brokerName().equals(key.brokerName()) && k.brokerId() == key.brokerId());
      next.put(key, new RegisteredBroker(registration, clock.millis(), timeoutMs));
      RouteSnapshot published = publish(next);
      LOG.info(
          "broker {} {}: {} at {}:{}, {} topics, data version {}",
          key,
          known ? "registered again" : "registered",
          registration.role(),
          registration.address().getHost(),
          registration.address().getPort(),
          registration.topics().size(),
          registration.dataVersion());
      RegisteredBroker master =
          published.group(key.brokerName()).flatMap(GroupView::master).orElse(null);
      return new RegisterOutcome(null, master == null ? null : master.registration());
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Records that a broker is alive.
   *
   * @param key who
   * @param dataVersion the data version it holds now
   * @return whether it is known and whether its topic list is current
   */
  public HeartbeatOutcome heartbeat(BrokerKey key, long dataVersion) {
    writeLock.lock();
    try {
      RegisteredBroker broker = snapshot.brokers().get(key);
      if (broker == null) {
        return HeartbeatOutcome.NOT_FOUND;
      }
      broker.heardAt(clock.millis());
      return broker.registration().dataVersion() == dataVersion
          ? HeartbeatOutcome.OK
          : HeartbeatOutcome.REGISTER_REQUIRED;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Removes a broker at once.
   *
   * @param key who
   * @return false if it was not registered
   */
  public boolean unregister(BrokerKey key) {
    writeLock.lock();
    try {
      Map<BrokerKey, RegisteredBroker> next = new HashMap<>(snapshot.brokers());
      if (next.remove(key) == null) {
        return false;
      }
      publish(next);
      LOG.info("broker {} unregistered", key);
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Drops every broker silent for its whole timeout, as of the clock's time now.
   *
   * @return the brokers dropped
   */
  public List<BrokerKey> expireSilentBrokers() {
    long now = clock.millis();
    // a lock-free look first: most scans find nothing and should not contend with heartbeats
    if (snapshot.brokers().values().stream().noneMatch(b -> b.isExpiredAt(now))) {
      return List.of();
    }
    writeLock.lock();
    try {
      Map<BrokerKey, RegisteredBroker> next = new HashMap<>(snapshot.brokers());
      List<BrokerKey> expired = new ArrayList<>();
      next.values()
          .removeIf(
              b -> {
                boolean silent = b.isExpiredAt(now);
                if (silent) {
                  expired.add(b.key());
                  LOG.info(
                      "broker {} expired: silent for {} ms", b.key(), now - b.lastHeartbeatMs());
                }
                return silent;
              });
      if (!expired.isEmpty()) {
        publish(next);
      }
      return expired;
    } finally {
      writeLock.unlock();
    }
  }

  private RouteSnapshot publish(Map<BrokerKey, RegisteredBroker> brokers) {
    RouteSnapshot next = new RouteSnapshot(brokers);
    snapshot = next;
    return next;
  }

  /**
   * The route of a topic held by at least one registered broker.
   *
   * @param topic the topic
   * @return its route, empty if no broker holds it
   */
  public Optional<TopicRoute> route(String topic) {
    return snapshot.route(topic);
  }

  /**
   * A provisional route of a topic no broker holds yet: the groups whose master creates topics on
   * their first send.
   *
   * @param topic the topic
   * @return the route with {@code provisional} set, empty if no master auto-creates topics
   */
  public Optional<TopicRoute> provisionalRoute(String topic) {
    return snapshot.provisionalRoute(topic);
  }

  /**
   * Lists the clusters.
   *
   * @return every cluster with a registered broker, by name, with its sorted broker names
   */
  public List<ClusterInfo> clusters() {
    return snapshot.clusters();
  }

  /**
   * Lists broker groups with each member's last heartbeat.
   *
   * @param cluster a cluster name, or "" for all
   * @return the groups by cluster and name; empty if the cluster has no broker
   */
  public List<BrokerGroup> brokers(String cluster) {
    return snapshot.groupsOf(cluster).stream().map(GroupView::listedGroup).toList();
  }

  /**
   * Lists topic names held by registered brokers.
   *
   * @param cluster a cluster name, or "" for all
   * @param includeSystemTopics whether names starting with '%' are listed
   * @return the names, sorted, each once; empty if the cluster has no broker
   */
  public List<String> topicNames(String cluster, boolean includeSystemTopics) {
    TreeSet<String> names = new TreeSet<>();
    for (GroupView group : snapshot.groupsOf(cluster)) {
      group.members().forEach(m -> names.addAll(m.registration().topics().keySet()));
    }
    if (!includeSystemTopics) {
      names.removeIf(n -> n.startsWith("%"));
    }
    return List.copyOf(names);
  }

  /**
   * Tells whether a cluster has a registered broker.
   *
   * @param cluster a cluster name
   * @return true if at least one broker of it is registered
   */
  public boolean hasCluster(String cluster) {
    return !snapshot.groupsOf(cluster).isEmpty();
  }
}
