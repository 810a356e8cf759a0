package io.edgemq.broker.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Transaction check-back settings of a broker. Validated when built; a bad value throws {@link
 * IllegalArgumentException} naming the key.
 *
 * @param checkInterval how long after it was stored a half message without an outcome is first
 *     checked, and the pause between checks (100 ms - 1 day)
 * @param maxChecks how many checks a half message gets before the default outcome applies (1-1000)
 * @param defaultOutcome what the broker does after the last check went unanswered
 */
public record TransactionConfig(Duration checkInterval, int maxChecks, Outcome defaultOutcome) {

  /** What the broker does with a half message whose producers never answered. */
  public enum Outcome {
    /** Store it in its real topic. */
    COMMIT,
    /** Discard it. */
    ROLLBACK
  }

  /** Validates every value. */
  public TransactionConfig {
    Objects.requireNonNull(checkInterval, "transactionCheckInterval");
    if (checkInterval.compareTo(Duration.ofMillis(100)) < 0
        || checkInterval.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "broker config transactionCheckInterval="
              + checkInterval
              + ": must be within [100ms, 1d]");
    }
    if (maxChecks < 1 || maxChecks > 1000) {
      throw new IllegalArgumentException(
          "broker config transactionMaxChecks=" + maxChecks + ": must be within [1, 1000]");
    }
    Objects.requireNonNull(defaultOutcome, "transactionDefaultOutcome");
  }

  /**
   * @return RocketMQ's defaults: a check every 60 s, 15 checks, then rollback
   */
  public static TransactionConfig defaults() {
    return new TransactionConfig(Duration.ofSeconds(60), 15, Outcome.ROLLBACK);
  }
}
