package io.edgemq.gateway.session;

import java.util.Objects;

/**
 * One queue of a broker topic, as the gateway names the source of a message it delivers: a
 * persistent session remembers, per queue, the offset up to which it has everything.
 *
 * @param topic the broker topic
 * @param broker the broker holding the queue
 * @param queueId the queue id on that broker
 */
public record QueueRef(String topic, String broker, int queueId) {
  /** Checks the fields. */
  public QueueRef {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(broker, "broker");
    if (queueId < 0) {
      throw new IllegalArgumentException("queueId " + queueId);
    }
  }
}
