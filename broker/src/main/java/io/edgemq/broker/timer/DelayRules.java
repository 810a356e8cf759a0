package io.edgemq.broker.timer;

import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Message;
import java.time.Duration;
import java.util.List;

/**
 * When a sent message is due: {@code delay_level} n means {@code delayLevels[n-1]} after now,
 * {@code delivery_timestamp_ms} is taken as given (a time not after now means now), up to {@code
 * maxDelay} ahead.
 *
 * @param delayLevels the delay of each level, level 1 first
 * @param maxDelay the furthest ahead a message may be due
 */
public record DelayRules(List<Duration> delayLevels, Duration maxDelay) {

  /** Copies the list. */
  public DelayRules {
    delayLevels = List.copyOf(delayLevels);
  }

  /**
   * @param m a message as sent
   * @return whether it asks for a delay or a delivery time
   */
  public static boolean isScheduled(Message m) {
    return m.getDelayLevel() != 0 || m.getDeliveryTimestampMs() != 0;
  }

  /**
   * @param m a message as sent
   * @param now the broker's time
   * @return when it is due; at most {@code now} for a message that is due at once
   * @throws Rejection ILLEGAL_MESSAGE for a bad level or time, or a delay on a FIFO message
   */
  public long deliverAt(Message m, long now) {
    if (!isScheduled(m)) {
      return now;
    }
    if (m.getDelayLevel() != 0 && m.getDeliveryTimestampMs() != 0) {
      throw new Rejection(
          Code.ILLEGAL_MESSAGE, "set delay_level or delivery_timestamp_ms, not both");
    }
    if (!m.getMessageGroup().isEmpty()) {
      // a delayed message would overtake or fall behind its group's other messages
      throw new Rejection(
          Code.ILLEGAL_MESSAGE, "a FIFO message (message_group set) cannot be delayed");
    }
    if (m.getDelayLevel() != 0) {
      int level = m.getDelayLevel();
      if (level < 1 || level > delayLevels.size()) {
        throw new Rejection(
            Code.ILLEGAL_MESSAGE,
            "delay_level " + level + " is not within [1, " + delayLevels.size() + "]");
      }
      return now + delayLevels.get(level - 1).toMillis();
    }
    long at = m.getDeliveryTimestampMs();
    if (at < 0) {
      throw new Rejection(Code.ILLEGAL_MESSAGE, "delivery_timestamp_ms " + at + " is negative");
    }
    if (at - now > maxDelay.toMillis()) {
      throw new Rejection(
          Code.ILLEGAL_MESSAGE,
          "delivery_timestamp_ms "
              + at
              + " is more than the broker's maximum delay "
              + maxDelay
              + " ahead");
    }
    return at;
  }
}
