package io.edgemq.client.api;

/**
 * A stored half message waiting for its outcome, from {@link TransactionProducer#sendHalf}. Ending
 * it twice with the same outcome is harmless; the other outcome after the first fails with {@code
 * TRANSACTION_ALREADY_ENDED}.
 */
public interface Transaction {
  /**
   * @return the message id (the same once committed)
   */
  String messageId();

  /**
   * @return where the half message will go on commit: real topic, broker and queue
   */
  MessageQueue queue();

  /**
   * Makes the message visible, exactly once.
   *
   * @throws ClientException when the broker did not apply it (the check-back decides later)
   */
  void commit();

  /**
   * Discards the message.
   *
   * @throws ClientException when the broker did not apply it (the check-back decides later)
   */
  void rollback();
}
