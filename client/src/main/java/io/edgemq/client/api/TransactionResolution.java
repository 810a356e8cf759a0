package io.edgemq.client.api;

/** The outcome of a local transaction, as a {@link TransactionProducer} tells the broker. */
public enum TransactionResolution {
  /** Make the message visible to consumers. */
  COMMIT,
  /** Discard the message. */
  ROLLBACK,
  /** Not known yet: the broker asks the producer group again later (check-back). */
  UNKNOWN
}
