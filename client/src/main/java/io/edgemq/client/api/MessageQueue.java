package io.edgemq.client.api;

import java.util.Objects;

/**
 * One queue of a topic on one broker group: the unit of order, assignment and offsets.
 *
 * @param topic the topic
 * @param brokerName the broker group holding the queue
 * @param queueId the queue id within the topic on that broker, from 0
 */
public record MessageQueue(String topic, String brokerName, int queueId)
    implements Comparable<MessageQueue> {

  /** Checks the values. */
  public MessageQueue {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(brokerName, "brokerName");
    if (queueId < 0) {
      throw new IllegalArgumentException("queueId must be >= 0, was " + queueId);
    }
  }

  @Override
  public int compareTo(MessageQueue o) {
    int c = topic.compareTo(o.topic);
    if (c == 0) {
      c = brokerName.compareTo(o.brokerName);
    }
    return c != 0 ? c : Integer.compare(queueId, o.queueId);
  }

  @Override
  public String toString() {
    return topic + "@" + brokerName + "#" + queueId;
  }
}
