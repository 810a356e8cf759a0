package io.edgemq.gateway.delivery;

import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.topic.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last retained message per topic, as this node knows it (every node reads the retained log,
 * see {@link RetainedLog}). A retained PUBLISH with an empty payload clears its topic. Matching a
 * new subscription scans the stored topics: retained topics are few next to messages, and a
 * subscription is rare next to a PUBLISH.
 */
public final class RetainedStore {
  private final Map<String, Entry> byTopic = new ConcurrentHashMap<>();
  private final Clock clock;

  /** A retained message and when the brokers stored it. */
  record Entry(MqttEnvelope message, long storedAtMillis) {}

  /**
   * @param clock for message expiry
   */
  public RetainedStore(Clock clock) {
    this.clock = clock;
  }

  /**
   * Sets, replaces or (empty payload) clears the retained message of a topic.
   *
   * @param m a message published with the retain flag
   * @param storedAtMillis when the brokers stored it
   */
  public void put(MqttEnvelope m, long storedAtMillis) {
    if (m.payload().length == 0) {
      byTopic.remove(m.topic());
    } else {
      byTopic.put(m.topic(), new Entry(m, storedAtMillis));
    }
  }

  /**
   * @param filter a topic filter
   * @return the unexpired retained messages it matches
   */
  public List<MqttEnvelope> matching(String filter) {
    long now = clock.millis();
    List<MqttEnvelope> out = new ArrayList<>();
    for (Entry e : byTopic.values()) {
      MqttEnvelope m = e.message();
      if (m.expired(now)) {
        byTopic.remove(m.topic(), e);
      } else if (Topics.matches(filter, m.topic())) {
        out.add(m);
      }
    }
    return out;
  }

  /**
   * @param cutoffMillis a time
   * @return the unexpired retained messages the brokers stored before it
   */
  List<MqttEnvelope> storedBefore(long cutoffMillis) {
    long now = clock.millis();
    List<MqttEnvelope> out = new ArrayList<>();
    for (Entry e : byTopic.values()) {
      if (e.storedAtMillis() < cutoffMillis && !e.message().expired(now)) {
        out.add(e.message());
      }
    }
    return out;
  }

  /**
   * @return how many topics hold a retained message
   */
  public int size() {
    return byTopic.size();
  }
}
