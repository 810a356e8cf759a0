package io.edgemq.gateway.delivery;

import io.edgemq.gateway.delivery.WillRecord.State;
import io.edgemq.gateway.link.BrokerLink;
import io.edgemq.gateway.link.MqttEnvelope;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wills kept in the brokers. Every connection with a will is written to the will log as ARMED; its
 * end writes NONE (a normal DISCONNECT), or publishes the will, or writes PENDING with the time the
 * delayed will is due. A CONNECT of the same client id on any node writes a newer entry, which
 * cancels a pending will. Every node reads the log whole at start and follows it, keeping the
 * newest entry per client id.
 *
 * <p>A node that starts again finds the entries it wrote in its previous life that are still ARMED
 * or PENDING: those connections ended with the process, abnormally, so it publishes their wills
 * (PENDING ones when due).
 *
 * <p>A node that does not come back is noticed by the others: every node writes an ALIVE entry
 * every sixth of {@code nodeTimeout}, and a node silent for longer than {@code nodeTimeout} is
 * taken for dead. Its ARMED and PENDING entries are then taken over by one surviving node, the one
 * with the smallest node id among those alive in its own view, which writes them again as its own
 * PENDING entries and publishes them when due (an ARMED will at once: when its connection ended is
 * not known, and at least {@code nodeTimeout} has passed since). Nodes that cannot see each other's
 * entries may both take a node over and publish its wills twice.
 */
public final class WillLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WillLog.class);

  /** Publishes a will as its client would have (ACL check, mapping, broker send). */
  @FunctionalInterface
  public interface Publisher {
    /**
     * @param will the will message
     * @param username the user name of its connection, or null
     * @return completes when stored
     */
    CompletableFuture<?> publish(MqttEnvelope will, String username);
  }

  private final BrokerLink link;
  private final String topic;
  private final String nodeId;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final Map<String, WillRecord> newest = new ConcurrentHashMap<>();
  // when this node last read an entry of each other node (its own clock, so no clock skew counts)
  private final Map<String, Long> nodeSeen = new ConcurrentHashMap<>();
  private final Duration nodeTimeout;
  private Publisher publisher;
  private volatile boolean loaded;
  private BrokerLink.Feed feed;

  /**
   * @param link the brokers
   * @param topic the will topic, or "" to keep wills in this node's memory only
   * @param nodeId this node
   * @param clock the clock
   * @param timer runs delayed wills
   * @param nodeTimeout how long a node may be silent in the log before its wills are taken over
   */
  public WillLog(
      BrokerLink link,
      String topic,
      String nodeId,
      Clock clock,
      ScheduledExecutorService timer,
      Duration nodeTimeout) {
    this.nodeTimeout = nodeTimeout;
    this.link = link;
    this.topic = topic;
    this.nodeId = nodeId;
    this.clock = clock;
    this.timer = timer;
  }

  /**
   * Reads the log whole and follows it, then publishes the wills this node left behind.
   *
   * @param p publishes wills
   */
  public void start(Publisher p) {
    this.publisher = p;
    if (topic.isEmpty()) {
      return;
    }
    feed = LogReader.readWholeAndFollow(link, topic, m -> onEntry(m.mqtt().payload()));
    loaded = true;
    for (WillRecord r : newest.values()) {
      if (r.nodeId().equals(nodeId) && r.state() != State.NONE) {
        LOG.info("will of {} left by this node's previous run: published", r.clientId());
        schedule(r, Math.max(0, r.fireAtMillis() - clock.millis()), false);
      }
    }
    long beat = Math.max(1, nodeTimeout.toMillis() / 6);
    timer.scheduleWithFixedDelay(this::heartbeat, 0, beat, TimeUnit.MILLISECONDS);
  }

  private void onEntry(byte[] body) {
    try {
      WillRecord r = WillCodec.decode(body);
      if (!r.nodeId().equals(nodeId)) {
        nodeSeen.put(r.nodeId(), clock.millis());
      }
      if (r.state() == State.ALIVE) {
        return;
      }
      // once loaded, this node's own entries are applied as written: a late echo must not put
      // an older entry back over a newer one
      if (!loaded || !r.nodeId().equals(nodeId)) {
        newest.put(r.clientId(), r);
      }
    } catch (IllegalArgumentException e) {
      LOG.warn("unreadable entry in the will log {}: {}", topic, e.getMessage());
    }
  }

  /** Says this node is alive, and takes over the wills of nodes that are not. */
  private void heartbeat() {
    try {
      long now = clock.millis();
      send(WillRecord.alive(nodeId, now), "node:" + nodeId);
      for (Map.Entry<String, Long> e : nodeSeen.entrySet()) {
        if (now - e.getValue() > nodeTimeout.toMillis() && takesOverFor(now)) {
          takeOver(e.getKey(), now);
          nodeSeen.remove(e.getKey(), e.getValue());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("will log heartbeat failed: {}", e.toString());
    }
  }

  /** Whether this node has the smallest id among the nodes alive in its view. */
  private boolean takesOverFor(long now) {
    for (Map.Entry<String, Long> e : nodeSeen.entrySet()) {
      if (now - e.getValue() <= nodeTimeout.toMillis() && e.getKey().compareTo(nodeId) < 0) {
        return false;
      }
    }
    return true;
  }

  private void takeOver(String deadNode, long now) {
    int n = 0;
    for (WillRecord r : newest.values()) {
      if (r.nodeId().equals(deadNode) && (r.state() == State.ARMED || r.state() == State.PENDING)) {
        WillRecord mine =
            new WillRecord(
                r.clientId(),
                r.connectionId(),
                nodeId,
                r.username(),
                State.PENDING,
                Math.max(now, r.fireAtMillis()),
                r.will());
        write(mine);
        schedule(mine, mine.fireAtMillis() - now, true);
        n++;
      }
    }
    LOG.warn(
        "gateway node {} silent in the will log for over {}: took over its {} will(s)",
        deadNode,
        nodeTimeout,
        n);
  }

  /**
   * A connection was accepted: its will is armed, and any will pending for the client id is
   * cancelled.
   *
   * @param clientId the client id
   * @param username its user name, or null
   * @param will its will, or null
   * @param resuming whether it asked to resume its session (clean start false): a will of its last
   *     connection may be pending on another node that this one has not heard of yet, so an entry
   *     is written anyway
   * @return the connection's id in the log
   */
  public long connected(String clientId, String username, MqttEnvelope will, boolean resuming) {
    long id = ThreadLocalRandom.current().nextLong();
    WillRecord before = newest.get(clientId);
    if (will != null) {
      write(new WillRecord(clientId, id, nodeId, user(username), State.ARMED, 0, will));
    } else if (resuming || (before != null && before.state() != State.NONE)) {
      write(new WillRecord(clientId, id, nodeId, user(username), State.NONE, 0, null));
    }
    return id;
  }

  /**
   * A connection ended.
   *
   * @param clientId the client id
   * @param connectionId its id from {@link #connected}
   * @param username its user name, or null
   * @param will the will to publish, or null (a normal DISCONNECT, or none)
   * @param delayMillis how long to wait first (MQTT 5 Will Delay, capped by session expiry)
   */
  public void ended(
      String clientId, long connectionId, String username, MqttEnvelope will, long delayMillis) {
    WillRecord mine = newest.get(clientId);
    boolean armed =
        mine != null && mine.connectionId() == connectionId && mine.state() != State.NONE;
    if (will == null) {
      if (armed) {
        write(new WillRecord(clientId, connectionId, nodeId, user(username), State.NONE, 0, null));
      }
      return;
    }
    WillRecord pending =
        new WillRecord(
            clientId,
            connectionId,
            nodeId,
            user(username),
            State.PENDING,
            clock.millis() + delayMillis,
            will);
    if (delayMillis > 0) {
      write(pending);
      schedule(pending, delayMillis, true);
    } else {
      // no delay: published even when a new connection took the client id over
      schedule(pending, 0, false);
    }
  }

  private void schedule(WillRecord r, long delayMillis, boolean unlessReconnected) {
    Runnable fire =
        () -> {
          WillRecord now = newest.get(r.clientId());
          if (unlessReconnected && (now == null || now.connectionId() != r.connectionId())) {
            return; // the client connected again before the delay passed
          }
          publisher
              .publish(r.will(), r.username().isEmpty() ? null : r.username())
              .whenComplete(
                  (v, e) -> {
                    if (e != null) {
                      LOG.warn("will of {} not stored: {}", r.clientId(), e.toString());
                      return;
                    }
                    WillRecord latest = newest.get(r.clientId());
                    if (latest != null && latest.connectionId() == r.connectionId()) {
                      write(
                          new WillRecord(
                              r.clientId(),
                              r.connectionId(),
                              nodeId,
                              r.username(),
                              State.NONE,
                              0,
                              null));
                    }
                  });
        };
    if (delayMillis <= 0) {
      fire.run();
      return;
    }
    try {
      timer.schedule(fire, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // this node is stopping: the PENDING entry in the log is published when it starts again
      LOG.info("will of {} left pending in the will log", r.clientId());
    }
  }

  private void write(WillRecord r) {
    newest.put(r.clientId(), r);
    send(r, r.clientId());
  }

  private void send(WillRecord r, String key) {
    if (topic.isEmpty()) {
      return;
    }
    link.sendRecord(topic, key, WillCodec.encode(r))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.warn("will log entry {} not stored: {}", key, e.toString());
              }
            });
  }

  private static String user(String username) {
    return username == null ? "" : username;
  }

  @Override
  public void close() {
    if (feed != null) {
      feed.close();
    }
  }
}
