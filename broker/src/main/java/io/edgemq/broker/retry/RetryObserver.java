package io.edgemq.broker.retry;

/**
 * Told when a failed message was stored for a retry or dead-lettered, for metrics. Called on a
 * broker worker once the store took the copy: must be quick and never block.
 */
public interface RetryObserver {
  /** Observes nothing. */
  RetryObserver NONE =
      new RetryObserver() {
        @Override
        public void retried(String group) {}

        @Override
        public void deadLettered(String group) {}
      };

  /**
   * A copy of a failed message went to {@code %RETRY%{group}}, or a FIFO group was told to retry in
   * place.
   *
   * @param group the consumer group
   */
  void retried(String group);

  /**
   * A failed message went to {@code %DLQ%{group}}: its retries were used up.
   *
   * @param group the consumer group
   */
  void deadLettered(String group);
}
