package io.edgemq.broker.pop;

/**
 * One message of a queue handed out to a group and not acked yet.
 *
 * @param offset its queue offset
 * @param seq the current delivery's number (the receipt handle's seq)
 * @param invisibleUntilMs when the current delivery's invisible time ends (broker clock)
 * @param attempt the current delivery's reconsume count (0 = first delivery)
 * @param commitLogOffset where the message is stored, to read it again for a redelivery
 */
record InFlight(long offset, long seq, long invisibleUntilMs, int attempt, long commitLogOffset) {

  /**
   * @param now the broker clock
   * @return whether the delivery's invisible time has ended
   */
  boolean expired(long now) {
    return now >= invisibleUntilMs;
  }

  /**
   * @param newSeq the new delivery's number
   * @param until its invisible time's end
   * @param newAttempt its reconsume count
   * @return the same message delivered again
   */
  InFlight redeliver(long newSeq, long until, int newAttempt) {
    return new InFlight(offset, newSeq, until, newAttempt, commitLogOffset);
  }
}
