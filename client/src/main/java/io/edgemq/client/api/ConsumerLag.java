package io.edgemq.client.api;

import java.util.List;

/**
 * A consumer group's lag over every broker group of a topic (or of all its topics).
 *
 * @param group the consumer group
 * @param queues per queue
 * @param totalLag the sum of the queues' lags
 */
public record ConsumerLag(String group, List<QueueLag> queues, long totalLag) {

  /** Copies the list. */
  public ConsumerLag {
    queues = List.copyOf(queues);
  }
}
