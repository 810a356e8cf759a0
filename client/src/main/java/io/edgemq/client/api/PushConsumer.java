package io.edgemq.client.api;

import io.edgemq.client.consumer.PushConsumerImpl;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Delivers the messages of its subscriptions to a {@link MessageListener} on a pool of consume
 * threads. The brokers assign its queues; it commits a queue's offset once every message before it
 * was processed with {@link ConsumeResult#SUCCESS}. Delivery is at least once.
 *
 * <pre>{@code
 * PushConsumer c = PushConsumer.builder().clientConfig(config).consumerGroup("billing")
 *     .subscribe("telemetry", "temp || humidity")
 *     .listener(m -> { handle(m); return ConsumeResult.SUCCESS; })
 *     .build();
 * }</pre>
 */
public interface PushConsumer extends AutoCloseable {

  /**
   * Starts a builder.
   *
   * @return a builder with the defaults
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * @return the consumer group
   */
  String consumerGroup();

  /**
   * @return the queues of the subscribed topics the brokers assigned to this consumer at the moment
   *     (the group's retry queues on {@code %RETRY%{group}} are not listed)
   */
  Set<MessageQueue> assignedQueues();

  /**
   * Stops pulling, waits up to the shutdown timeout for listeners running now, commits the offsets
   * and leaves the group. Messages received but not yet given to the listener are not committed and
   * are delivered again to whoever takes the queue.
   */
  @Override
  void close();

  /** Builds and starts a {@link PushConsumer}. */
  final class Builder {
    ClientConfig clientConfig;
    String consumerGroup;
    final Map<String, String> subscriptions = new LinkedHashMap<>();
    MessageListener listener;
    ConsumeMode consumeMode = ConsumeMode.CLUSTERING;
    ConsumeFrom consumeFrom = ConsumeFrom.LATEST;
    int consumeThreads = 8;
    boolean orderly;
    int pullBatchSize = 32;
    Duration longPollTimeout = Duration.ofSeconds(20);
    int maxInFlightPerQueue = 256;
    Duration commitInterval = Duration.ofSeconds(1);
    Duration redeliveryBackoff = Duration.ofSeconds(1);
    Duration shutdownTimeout = Duration.ofSeconds(10);
    Duration consumeTimeout = Duration.ofMinutes(15);
    boolean trace;

    private Builder() {}

    /**
     * @param config nameservers, timeouts, client id (required)
     * @return this
     */
    public Builder clientConfig(ClientConfig config) {
      this.clientConfig = config;
      return this;
    }

    /**
     * @param group the consumer group, 1-120 characters of {@code [A-Za-z0-9_|-]} (required)
     * @return this
     */
    public Builder consumerGroup(String group) {
      this.consumerGroup = group;
      return this;
    }

    /**
     * @param topic a topic to consume
     * @param tagExpression {@code *} for all, or {@code a || b}: messages with one of these tags
     * @return this
     */
    public Builder subscribe(String topic, String tagExpression) {
      subscriptions.put(
          Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(tagExpression, "tag"));
      return this;
    }

    /**
     * @param listener processes each message (required)
     * @return this
     */
    public Builder listener(MessageListener listener) {
      this.listener = listener;
      return this;
    }

    /**
     * @param mode clustering (default) or broadcasting
     * @return this
     */
    public Builder consumeMode(ConsumeMode mode) {
      this.consumeMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * @param from where to start in a queue without committed offset (default {@link
     *     ConsumeFrom#LATEST})
     * @return this
     */
    public Builder consumeFrom(ConsumeFrom from) {
      this.consumeFrom = Objects.requireNonNull(from, "from");
      return this;
    }

    /**
     * @param threads how many messages are processed at once (default 8)
     * @return this
     */
    public Builder consumeThreads(int threads) {
      this.consumeThreads = threads;
      return this;
    }

    /**
     * @param orderly true: the messages of one queue are processed one at a time, in queue order,
     *     and a failed one is retried before the next (FIFO per message group); default false
     * @return this
     */
    public Builder orderly(boolean orderly) {
      this.orderly = orderly;
      return this;
    }

    /**
     * @param size messages per pull, 1-1024 (default 32)
     * @return this
     */
    public Builder pullBatchSize(int size) {
      this.pullBatchSize = size;
      return this;
    }

    /**
     * @param timeout how long a broker may hold a pull waiting for messages (default 20 s; the
     *     broker caps it, 30 s by default)
     * @return this
     */
    public Builder longPollTimeout(Duration timeout) {
      this.longPollTimeout = timeout;
      return this;
    }

    /**
     * @param max received but unprocessed messages per queue before pulling it pauses (default 256)
     * @return this
     */
    public Builder maxInFlightPerQueue(int max) {
      this.maxInFlightPerQueue = max;
      return this;
    }

    /**
     * @param interval how often processed offsets are committed (default 1 s)
     * @return this
     */
    public Builder commitInterval(Duration interval) {
      this.commitInterval = interval;
      return this;
    }

    /**
     * @param backoff the pause before a failed message is delivered again (default 1 s); also the
     *     pause after a failed pull
     * @return this
     */
    public Builder redeliveryBackoff(Duration backoff) {
      this.redeliveryBackoff = backoff;
      return this;
    }

    /**
     * @param timeout how long {@link #close()} waits for running listeners (default 10 s)
     * @return this
     */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = timeout;
      return this;
    }

    /**
     * @param timeout how long the listener may take for one message before the delivery counts as
     *     failed and the listener thread is interrupted (default 15 min)
     * @return this
     */
    public Builder consumeTimeout(Duration timeout) {
      this.consumeTimeout = timeout;
      return this;
    }

    /**
     * @param trace whether to write a DELIVER event before and a CONSUME_OK or CONSUME_FAIL event
     *     (with the listener's run time) after every listener call to the trace topic (default
     *     false); asynchronous, never blocks the listener. See docs/client.md "Message trace"
     * @return this
     */
    public Builder trace(boolean trace) {
      this.trace = trace;
      return this;
    }

    /**
     * @return the running consumer
     * @throws IllegalArgumentException naming a bad or missing value
     */
    public PushConsumer build() {
      Validation.common(clientConfig, consumerGroup, pullBatchSize, longPollTimeout);
      if (subscriptions.isEmpty()) {
        throw new IllegalArgumentException("subscribe to at least one topic");
      }
      Validation.subscriptions(subscriptions);
      if (listener == null) {
        throw new IllegalArgumentException("listener is required");
      }
      Validation.positive(consumeThreads, "consumeThreads");
      Validation.positive(maxInFlightPerQueue, "maxInFlightPerQueue");
      ClientConfig.positive(commitInterval, "commitInterval");
      ClientConfig.positive(redeliveryBackoff, "redeliveryBackoff");
      ClientConfig.positive(shutdownTimeout, "shutdownTimeout");
      ClientConfig.positive(consumeTimeout, "consumeTimeout");
      return PushConsumerImpl.start(
          clientConfig,
          consumerGroup,
          consumeMode,
          subscriptions,
          listener,
          consumeFrom,
          consumeThreads,
          orderly,
          pullBatchSize,
          longPollTimeout,
          maxInFlightPerQueue,
          commitInterval,
          redeliveryBackoff,
          shutdownTimeout,
          consumeTimeout,
          trace);
    }
  }
}
