package io.edgemq.client.producer;

import io.edgemq.client.api.MessageQueue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the queue of a send: round-robin over the topic's writable queues across broker groups, or
 * a stable hash of the message group.
 */
public final class QueueSelector {
  private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();

  /**
   * The next queue in round-robin order, skipping broker groups that already failed this send.
   *
   * @param topic the topic (each has its own counter)
   * @param queues the writable queues, ordered
   * @param excludedBrokers broker groups not to use; ignored when they hold every queue
   * @return the queue
   * @throws IllegalArgumentException when {@code queues} is empty
   */
  public MessageQueue next(String topic, List<MessageQueue> queues, Set<String> excludedBrokers) {
    if (queues.isEmpty()) {
      throw new IllegalArgumentException("no writable queue of " + topic);
    }
    AtomicInteger counter = counters.computeIfAbsent(topic, t -> new AtomicInteger());
    int n = queues.size();
    for (int i = 0; i < n; i++) {
      MessageQueue q = queues.get(Math.floorMod(counter.getAndIncrement(), n));
      if (!excludedBrokers.contains(q.brokerName())) {
        return q;
      }
    }
    return queues.get(Math.floorMod(counter.getAndIncrement(), n));
  }

  /**
   * The queue of a message group: the same group always gets the same queue while the list of
   * writable queues stays the same. The hash is {@link String#hashCode()}, fixed by the language
   * specification, so every producer process agrees.
   *
   * @param queues the writable queues, ordered
   * @param messageGroup the group
   * @return the queue
   * @throws IllegalArgumentException when {@code queues} is empty
   */
  public static MessageQueue forGroup(List<MessageQueue> queues, String messageGroup) {
    if (queues.isEmpty()) {
      throw new IllegalArgumentException("no writable queue for message group " + messageGroup);
    }
    return queues.get(Math.floorMod(messageGroup.hashCode(), queues.size()));
  }
}
