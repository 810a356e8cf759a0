package io.edgemq.broker.send;

import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.topic.Topic;
import io.edgemq.protocol.v1.Code;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Picks the queue of a send: explicit, by message-group hash, or round-robin per topic. */
final class QueueSelector {
  private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();

  /**
   * @param topic the topic
   * @param explicit the requested queue, or null
   * @param messageGroup the message group, empty for none
   * @return a queue below the topic's write queue count
   * @throws Rejection QUEUE_NOT_FOUND for an explicit queue outside the write queues
   */
  int select(Topic topic, Integer explicit, String messageGroup) {
    int n = topic.writeQueues();
    if (explicit != null) {
      if (explicit < 0 || explicit >= n) {
        throw new Rejection(
            Code.QUEUE_NOT_FOUND,
            "queue "
                + explicit
                + " of topic "
                + topic.name()
                + " does not take sends (write queues: "
                + n
                + ")");
      }
      return explicit;
    }
    if (!messageGroup.isEmpty()) {
      // String.hashCode is specified by the JLS, so the choice is stable across JVMs and restarts.
      return Math.floorMod(messageGroup.hashCode(), n);
    }
    return Math.floorMod(
        counters.computeIfAbsent(topic.name(), k -> new AtomicInteger()).getAndIncrement(), n);
  }
}
