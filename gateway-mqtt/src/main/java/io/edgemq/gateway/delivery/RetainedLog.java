package io.edgemq.gateway.delivery;

import io.edgemq.gateway.link.BrokerLink;
import io.edgemq.gateway.link.LinkException;
import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.mapping.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retained messages kept in the brokers, so that every gateway node, and a node that restarted,
 * knows them: each retained PUBLISH (a set or a clear) is also stored in one broker topic, which
 * every node reads whole at start and follows after, into its {@link RetainedStore}. The newest
 * message per MQTT topic wins; one MQTT topic's messages share a message group, so every node sees
 * them in the same order.
 *
 * <p>The CommitLog deletes old segments (retention), so a node stores again each retained message
 * the brokers hold for longer than {@code refreshAfter} (plus a per-node delay, so that nodes
 * rarely do it twice): keep it well below the brokers' retention.
 */
public final class RetainedLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetainedLog.class);

  private final BrokerLink link;
  private final String topic;
  private final RetainedStore store;
  private final Clock clock;
  private final long refreshAfterMillis;
  private BrokerLink.Feed feed;

  /**
   * @param link the brokers
   * @param topic the retained topic, or "" to keep retained messages in this node's memory only
   * @param store this node's view
   * @param clock the clock
   * @param refreshAfter how old a retained message gets before it is stored again
   * @param nodeId spreads the nodes' refresh times
   */
  public RetainedLog(
      BrokerLink link,
      String topic,
      RetainedStore store,
      Clock clock,
      Duration refreshAfter,
      String nodeId) {
    this.link = link;
    this.topic = topic;
    this.store = store;
    this.clock = clock;
    // up to an hour later per node, so nodes rarely store the same message again twice
    long spread = Math.floorMod(nodeId.hashCode(), 3_600_000L);
    this.refreshAfterMillis = refreshAfter.toMillis() + spread;
  }

  /**
   * Reads the retained topic whole (waiting up to 30 s for the brokers) and follows it from then
   * on.
   *
   * @throws LinkException when the brokers cannot be reached
   */
  public void start() {
    if (topic.isEmpty()) {
      return;
    }
    feed = LogReader.readWholeAndFollow(link, topic, m -> store.put(m.mqtt(), m.storedAtMillis()));
    LOG.info("{} retained messages read from {}", store.size(), topic);
  }

  /**
   * Stores a retained PUBLISH (set or clear).
   *
   * @param m the message, with the retain flag
   * @return completes once the brokers stored it (and this node's view has it), or exceptionally
   *     with {@link LinkException}
   */
  public CompletableFuture<Void> append(MqttEnvelope m) {
    if (topic.isEmpty()) {
      store.put(m, clock.millis());
      return CompletableFuture.completedFuture(null);
    }
    return link.send(new Route(topic, null, List.of()), m, m.topic())
        .thenAccept(id -> store.put(m, clock.millis()));
  }

  /** Stores again the retained messages older than the refresh age. */
  public void refresh() {
    if (topic.isEmpty()) {
      return;
    }
    for (MqttEnvelope m : store.storedBefore(clock.millis() - refreshAfterMillis)) {
      append(m)
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  LOG.warn("retained message of {} not stored again: {}", m.topic(), e.toString());
                }
              });
    }
  }

  @Override
  public void close() {
    if (feed != null) {
      feed.close();
    }
  }
}
