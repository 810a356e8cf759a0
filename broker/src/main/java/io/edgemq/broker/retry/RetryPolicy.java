package io.edgemq.broker.retry;

import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.protocol.v1.GroupConfig;
import java.time.Duration;
import java.util.List;

/**
 * A group's retry rule: how many retries, and the back-off before each.
 *
 * @param maxRetries retries before the dead-letter topic
 * @param backoffMs back-off before retry n at index n-1; the last repeats
 * @param inPlaceBackoffMs the same for FIFO retries in place, where the whole queue waits
 */
public record RetryPolicy(int maxRetries, List<Long> backoffMs, List<Long> inPlaceBackoffMs) {

  /** Copies the lists. */
  public RetryPolicy {
    backoffMs = List.copyOf(backoffMs);
    inPlaceBackoffMs = List.copyOf(inPlaceBackoffMs);
  }

  /**
   * @param group the group's configuration, or null for an unknown group
   * @param defaults the broker's defaults
   * @return the group's own values where it sets them (its levels then apply to both kinds of
   *     retry), else the defaults
   */
  public static RetryPolicy of(GroupConfig group, DeliveryConfig defaults) {
    int max =
        group != null && group.hasMaxRetries() ? group.getMaxRetries() : defaults.maxRetries();
    if (group != null && group.getRetryBackoffMsCount() > 0) {
      return new RetryPolicy(max, group.getRetryBackoffMsList(), group.getRetryBackoffMsList());
    }
    return new RetryPolicy(
        max,
        defaults.retryBackoff().stream().map(Duration::toMillis).toList(),
        List.of(defaults.fifoRetryBackoff().toMillis()));
  }

  /**
   * @param retry the retry number, 1 for the first retry
   * @param inPlace a FIFO retry in place
   * @return the back-off before it
   */
  public long backoffBefore(int retry, boolean inPlace) {
    List<Long> levels = inPlace ? inPlaceBackoffMs : backoffMs;
    return levels.get(Math.min(Math.max(retry, 1), levels.size()) - 1);
  }
}
