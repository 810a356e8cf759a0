package io.edgemq.client.api;

/**
 * Answers a broker's check of a transaction whose outcome never arrived (the producer crashed, or
 * its local transaction said {@link TransactionResolution#UNKNOWN}). Any member of the producer
 * group may be asked, so the answer must come from shared state (e.g. the application's database).
 */
@FunctionalInterface
public interface TransactionChecker {
  /**
   * @param message the half message as it will be delivered (real topic; its id is the one the
   *     producer got from sending it)
   * @return the outcome; UNKNOWN (or an exception) means "ask again later"
   */
  TransactionResolution check(MessageView message);
}
