package io.edgemq.client.api;

/** Runs the local transaction that belongs to a half message. */
@FunctionalInterface
public interface LocalTransactionExecutor {
  /**
   * Called after the half message is stored, on the sending thread.
   *
   * @param message the message as sent
   * @param messageId its id (what the {@link TransactionChecker} will be asked about)
   * @return the outcome; UNKNOWN (or an exception) leaves it to the check-back
   */
  TransactionResolution execute(Message message, String messageId);
}
