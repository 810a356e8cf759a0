package io.edgemq.broker.send;

/**
 * Told about every send the store answered, for metrics. Called on the thread that completes the
 * append (the sender's, or the store's flush thread under SYNC): must be quick and never block.
 */
@FunctionalInterface
public interface SendObserver {
  /** Observes nothing. */
  SendObserver NONE = (topic, messages, bodyBytes, sendNanos, appendNanos, written) -> {};

  /**
   * @param topic the topic
   * @param messages messages of the send (more than one for a batch)
   * @param bodyBytes their body bytes
   * @param sendNanos from the request reaching the broker to the store's answer
   * @param appendNanos from the store append call to its answer (includes a SYNC flush)
   * @param written whether the store took the messages
   */
  void appended(
      String topic,
      int messages,
      long bodyBytes,
      long sendNanos,
      long appendNanos,
      boolean written);
}
