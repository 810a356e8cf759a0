package io.edgemq.broker.api;

import java.time.Duration;
import java.util.List;

/**
 * Retry, dead-letter and scheduled-delivery settings of a broker. Validated when built; a bad value
 * throws {@link IllegalArgumentException} naming the key.
 *
 * @param maxRetries retries of a failed message before it goes to {@code %DLQ%{group}}, for groups
 *     that do not set their own (0-64)
 * @param retryBackoff back-off before retry n ({@code retryBackoff[n-1]}, the last repeating), for
 *     groups that do not set their own
 * @param fifoRetryBackoff the pause before a FIFO (orderly) group retries a failed message in
 *     place, for groups that do not set their own levels: its queue waits meanwhile, so this is
 *     short
 * @param delayLevels the delay of level n ({@code delayLevels[n-1]}), 1-64 levels
 * @param timerMaxDelay the furthest ahead a delay or timer message may be due
 * @param timerRollWindow a scheduled message due further ahead than this is written again when this
 *     much time has passed, so its CommitLog record is never older than the window (must stay below
 *     the store's retention)
 */
public record DeliveryConfig(
    int maxRetries,
    List<Duration> retryBackoff,
    Duration fifoRetryBackoff,
    List<Duration> delayLevels,
    Duration timerMaxDelay,
    Duration timerRollWindow) {

  /** RocketMQ's retry back-off: 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h. */
  public static final List<Duration> DEFAULT_RETRY_BACKOFF =
      List.of(
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          Duration.ofMinutes(2),
          Duration.ofMinutes(3),
          Duration.ofMinutes(4),
          Duration.ofMinutes(5),
          Duration.ofMinutes(6),
          Duration.ofMinutes(7),
          Duration.ofMinutes(8),
          Duration.ofMinutes(9),
          Duration.ofMinutes(10),
          Duration.ofMinutes(20),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2));

  /** RocketMQ's delay levels 1-18: 1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h. */
  public static final List<Duration> DEFAULT_DELAY_LEVELS =
      List.of(
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          Duration.ofMinutes(2),
          Duration.ofMinutes(3),
          Duration.ofMinutes(4),
          Duration.ofMinutes(5),
          Duration.ofMinutes(6),
          Duration.ofMinutes(7),
          Duration.ofMinutes(8),
          Duration.ofMinutes(9),
          Duration.ofMinutes(10),
          Duration.ofMinutes(20),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2));

  /** The most retries a group may ask for. */
  public static final int MAX_RETRIES_LIMIT = 64;

  /** The longest single back-off or delay level. */
  public static final Duration MAX_LEVEL = Duration.ofDays(1);

  /** Validates every value. */
  public DeliveryConfig {
    check(
        maxRetries >= 0 && maxRetries <= MAX_RETRIES_LIMIT,
        "maxRetries",
        maxRetries,
        "must be within [0, 64]");
    retryBackoff = levels(retryBackoff, "retryBackoff");
    check(
        positive(fifoRetryBackoff) && fifoRetryBackoff.compareTo(MAX_LEVEL) <= 0,
        "fifoRetryBackoff",
        fifoRetryBackoff,
        "must be within (0, 1 day]");
    delayLevels = levels(delayLevels, "delayLevels");
    check(positive(timerMaxDelay), "timerMaxDelay", timerMaxDelay, "must be positive");
    check(
        positive(timerRollWindow) && timerRollWindow.compareTo(Duration.ofMinutes(1)) >= 0,
        "timerRollWindow",
        timerRollWindow,
        "must be at least 1 minute");
  }

  /**
   * @return the defaults
   */
  public static DeliveryConfig defaults() {
    return builder().build();
  }

  /**
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  private static List<Duration> levels(List<Duration> v, String key) {
    check(v != null && !v.isEmpty() && v.size() <= 64, key, v, "1-64 durations required");
    for (Duration d : v) {
      check(
          positive(d) && d.compareTo(MAX_LEVEL) <= 0,
          key,
          v,
          "every level must be within (0, 1 day]");
    }
    return List.copyOf(v);
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void check(boolean ok, String key, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("broker config " + key + "=" + value + ": " + rule);
    }
  }

  /** Builds a {@link DeliveryConfig}; unset values keep their defaults. */
  public static final class Builder {
    private int maxRetries = 16;
    private List<Duration> retryBackoff = DEFAULT_RETRY_BACKOFF;
    private Duration fifoRetryBackoff = Duration.ofSeconds(1);
    private List<Duration> delayLevels = DEFAULT_DELAY_LEVELS;
    private Duration timerMaxDelay = Duration.ofDays(3);
    private Duration timerRollWindow = Duration.ofDays(1);

    private Builder() {}

    /**
     * @param v default retries before the dead-letter topic (default 16)
     * @return this
     */
    public Builder maxRetries(int v) {
      this.maxRetries = v;
      return this;
    }

    /**
     * @param v default retry back-off levels (default 10s 30s 1m ... 2h)
     * @return this
     */
    public Builder retryBackoff(List<Duration> v) {
      this.retryBackoff = v;
      return this;
    }

    /**
     * @param v the pause before a FIFO group's retry in place (default 1 s)
     * @return this
     */
    public Builder fifoRetryBackoff(Duration v) {
      this.fifoRetryBackoff = v;
      return this;
    }

    /**
     * @param v delay levels 1..n (default 1s 5s 10s 30s 1m ... 2h)
     * @return this
     */
    public Builder delayLevels(List<Duration> v) {
      this.delayLevels = v;
      return this;
    }

    /**
     * @param v the furthest ahead a scheduled message may be due (default 3 days)
     * @return this
     */
    public Builder timerMaxDelay(Duration v) {
      this.timerMaxDelay = v;
      return this;
    }

    /**
     * @param v how old a scheduled message's record may get before it is written again (default 1
     *     day)
     * @return this
     */
    public Builder timerRollWindow(Duration v) {
      this.timerRollWindow = v;
      return this;
    }

    /**
     * @return the validated config
     */
    public DeliveryConfig build() {
      return new DeliveryConfig(
          maxRetries, retryBackoff, fifoRetryBackoff, delayLevels, timerMaxDelay, timerRollWindow);
    }
  }
}
