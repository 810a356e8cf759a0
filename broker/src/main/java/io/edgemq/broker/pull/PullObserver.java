package io.edgemq.broker.pull;

/**
 * Told about every pull answered with messages, for metrics. Called on the thread that read them (a
 * gRPC thread, or a broker worker for a woken long poll): must be quick and never block.
 */
@FunctionalInterface
public interface PullObserver {
  /** Observes nothing. */
  PullObserver NONE = (group, topic, messages, bodyBytes, readNanos) -> {};

  /**
   * @param group the consumer group
   * @param topic the topic
   * @param messages messages in the answer
   * @param bodyBytes their body bytes
   * @param readNanos from the store read to the built answer (a long-poll wait is not included)
   */
  void delivered(String group, String topic, int messages, long bodyBytes, long readNanos);
}
