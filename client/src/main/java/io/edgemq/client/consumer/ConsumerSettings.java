package io.edgemq.client.consumer;

import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeMode;
import java.time.Duration;
import java.util.Map;

/**
 * A consumer's settings, validated by its builder.
 *
 * @param group the consumer group
 * @param mode clustering or broadcasting
 * @param subscriptions topic to tag expression; empty for a consumer that assigns queues itself
 * @param consumeFrom where to start without a committed offset
 * @param pullBatchSize messages per pull
 * @param longPollTimeout how long the broker may hold a pull
 * @param maxInFlightPerQueue received but unprocessed messages per queue before pulling pauses
 * @param commitInterval how often offsets are committed
 * @param retryBackoff the pause before pulling again after a failed pull
 */
public record ConsumerSettings(
    String group,
    ConsumeMode mode,
    Map<String, String> subscriptions,
    ConsumeFrom consumeFrom,
    int pullBatchSize,
    Duration longPollTimeout,
    int maxInFlightPerQueue,
    Duration commitInterval,
    Duration retryBackoff) {

  /** Copies the map. */
  public ConsumerSettings {
    subscriptions = Map.copyOf(subscriptions);
  }
}
