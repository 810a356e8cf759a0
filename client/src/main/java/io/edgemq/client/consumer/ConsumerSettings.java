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
 * @param retryTopic whether the group also consumes its retry topic {@code %RETRY%{group}} (push
 *     consumers in clustering mode)
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
    Duration retryBackoff,
    boolean retryTopic) {

  /** Prefix of a group's retry topic. */
  public static final String RETRY_PREFIX = "%RETRY%";

  /** Copies the map. */
  public ConsumerSettings {
    subscriptions = Map.copyOf(subscriptions);
  }

  /**
   * Settings without the retry topic.
   *
   * @param group the consumer group
   * @param mode clustering or broadcasting
   * @param subscriptions topic to tag expression
   * @param consumeFrom where to start without a committed offset
   * @param pullBatchSize messages per pull
   * @param longPollTimeout how long the broker may hold a pull
   * @param maxInFlightPerQueue unprocessed messages per queue before pulling pauses
   * @param commitInterval how often offsets are committed
   * @param retryBackoff the pause after a failed pull
   */
  public ConsumerSettings(
      String group,
      ConsumeMode mode,
      Map<String, String> subscriptions,
      ConsumeFrom consumeFrom,
      int pullBatchSize,
      Duration longPollTimeout,
      int maxInFlightPerQueue,
      Duration commitInterval,
      Duration retryBackoff) {
    this(
        group,
        mode,
        subscriptions,
        consumeFrom,
        pullBatchSize,
        longPollTimeout,
        maxInFlightPerQueue,
        commitInterval,
        retryBackoff,
        false);
  }

  /**
   * @return the group's retry topic
   */
  public String retryTopicName() {
    return RETRY_PREFIX + group;
  }

  /**
   * @param topic a topic of an assigned queue
   * @return whether this consumer reads it: a subscribed topic, or its retry topic
   */
  public boolean reads(String topic) {
    return subscriptions.containsKey(topic) || (retryTopic && topic.equals(retryTopicName()));
  }
}
