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
 */
public record RetryPolicy(int maxRetries, List<Long> backoffMs) {

  /** Copies the list. */
  public RetryPolicy {
    backoffMs = List.copyOf(backoffMs);
  }

  /**
   * @param group the group's configuration, or null for an unknown group
   * @param defaults the broker's defaults
   * @return the group's own values where it sets them, else the defaults
   */
  public static RetryPolicy of(GroupConfig group, DeliveryConfig defaults) {
    int max =
        group != null && group.hasMaxRetries() ? group.getMaxRetries() : defaults.maxRetries();
    List<Long> levels =
        group != null && group.getRetryBackoffMsCount() > 0
            ? group.getRetryBackoffMsList()
            : defaults.retryBackoff().stream().map(Duration::toMillis).toList();
    return new RetryPolicy(max, levels);
  }

  /**
   * @param retry the retry number, 1 for the first retry
   * @return the back-off before it
   */
  public long backoffBefore(int retry) {
    return backoffMs.get(Math.min(Math.max(retry, 1), backoffMs.size()) - 1);
  }
}
