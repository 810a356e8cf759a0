package io.edgemq.gateway.delivery;

import io.edgemq.gateway.delivery.WillRecord.State;
import io.edgemq.gateway.link.BrokerLink;
import io.edgemq.gateway.link.MqttEnvelope;
import java.time.Clock;
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
 * (PENDING ones when due). A node that never comes back leaves its wills unpublished: nodes do not
 * watch each other.
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
  private Publisher publisher;
  private volatile boolean loaded;
  private BrokerLink.Feed feed;

  /**
   * @param link the brokers
   * @param topic the will topic, or "" to keep wills in this node's memory only
   * @param nodeId this node
   * @param clock the clock
   * @param timer runs delayed wills
   */
  public WillLog(
      BrokerLink link, String topic, String nodeId, Clock clock, ScheduledExecutorService timer) {
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
  }

  private void onEntry(byte[] body) {
    try {
      WillRecord r = WillCodec.decode(body);
      // once loaded, this node's own entries are applied as written: a late echo must not put
      // an older entry back over a newer one
      if (!loaded || !r.nodeId().equals(nodeId)) {
        newest.put(r.clientId(), r);
      }
    } catch (IllegalArgumentException e) {
      LOG.warn("unreadable entry in the will log {}: {}", topic, e.getMessage());
    }
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
    if (topic.isEmpty()) {
      return;
    }
    link.sendRecord(topic, r.clientId(), WillCodec.encode(r))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.warn("will log entry of {} not stored: {}", r.clientId(), e.toString());
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
