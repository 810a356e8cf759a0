package io.edgemq.client.api;

import io.edgemq.client.consumer.PullConsumerImpl;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Fetches messages in the background and returns them from {@link #poll(Duration)}; the application
 * commits explicitly. Its queues are either chosen by the application ({@link #assign(Collection)})
 * or assigned by the brokers (subscriptions given to the builder). Not thread-safe for concurrent
 * {@code poll} calls from several threads.
 */
public interface PullConsumer extends AutoCloseable {

  /**
   * Starts a builder.
   *
   * @return a builder with the defaults
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * The readable queues of a topic, from its route.
   *
   * @param topic the topic
   * @return its queues, ordered
   */
  List<MessageQueue> queues(String topic);

  /**
   * Holds exactly these queues (only without subscriptions). Each starts at its committed offset,
   * or per {@code consumeFrom}, unless {@link #seek} says otherwise.
   *
   * @param queues the queues
   * @throws IllegalStateException when the consumer subscribes
   */
  void assign(Collection<MessageQueue> queues);

  /**
   * @return the queues held now (assigned, or given by the brokers)
   */
  Set<MessageQueue> assignment();

  /**
   * Makes the next {@link #poll} of a queue start at an offset; messages of it already fetched are
   * dropped.
   *
   * @param queue a held queue
   * @param offset the next offset to return
   */
  void seek(MessageQueue queue, long offset);

  /**
   * The next offset {@link #poll} returns of a queue (what {@link #commit()} would commit).
   *
   * @param queue a held queue
   * @return the offset, empty while the start is still being looked up
   */
  OptionalLong position(MessageQueue queue);

  /**
   * Waits up to {@code timeout} for messages of the held queues.
   *
   * @param timeout the longest wait
   * @return the messages (possibly none), in queue order per queue
   */
  List<MessageView> poll(Duration timeout);

  /**
   * Commits the position of every held queue: everything returned by {@link #poll} so far.
   *
   * @throws ClientException when a commit fails
   */
  void commit();

  /**
   * Commits an explicit offset of a queue.
   *
   * @param queue the queue
   * @param offset the next offset to consume
   * @throws ClientException when the broker refuses it
   */
  void commit(MessageQueue queue, long offset);

  /**
   * The group's committed offset of a queue.
   *
   * @param queue the queue
   * @return the offset, or empty when none was committed
   * @throws ClientException when the broker cannot answer
   */
  OptionalLong committed(MessageQueue queue);

  /** Stops fetching and closes the connections; nothing is committed. */
  @Override
  void close();

  /** Builds and starts a {@link PullConsumer}. */
  final class Builder {
    ClientConfig clientConfig;
    String consumerGroup;
    final Map<String, String> subscriptions = new LinkedHashMap<>();
    ConsumeMode consumeMode = ConsumeMode.CLUSTERING;
    ConsumeFrom consumeFrom = ConsumeFrom.LATEST;
    int pullBatchSize = 32;
    Duration longPollTimeout = Duration.ofSeconds(20);
    int maxBufferedPerQueue = 256;
    int maxPollMessages = 256;
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
     * @param group the consumer group (required)
     * @return this
     */
    public Builder consumerGroup(String group) {
      this.consumerGroup = group;
      return this;
    }

    /**
     * @param topic a topic whose queues the brokers assign to this consumer
     * @param tagExpression {@code *} or {@code a || b}
     * @return this
     */
    public Builder subscribe(String topic, String tagExpression) {
      subscriptions.put(
          Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(tagExpression, "tag"));
      return this;
    }

    /**
     * @param mode clustering (default) or broadcasting; used with subscriptions
     * @return this
     */
    public Builder consumeMode(ConsumeMode mode) {
      this.consumeMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * @param from where to start without committed offset (default {@link ConsumeFrom#LATEST})
     * @return this
     */
    public Builder consumeFrom(ConsumeFrom from) {
      this.consumeFrom = Objects.requireNonNull(from, "from");
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
     * @param timeout how long a broker may hold a background pull (default 20 s)
     * @return this
     */
    public Builder longPollTimeout(Duration timeout) {
      this.longPollTimeout = timeout;
      return this;
    }

    /**
     * @param max fetched but not yet polled messages per queue before fetching pauses (default 256)
     * @return this
     */
    public Builder maxBufferedPerQueue(int max) {
      this.maxBufferedPerQueue = max;
      return this;
    }

    /**
     * @param max most messages one {@link #poll} returns (default 256)
     * @return this
     */
    public Builder maxPollMessages(int max) {
      this.maxPollMessages = max;
      return this;
    }

    /**
     * @param trace whether to write a DELIVER trace event for every message {@code poll} returns
     *     (default false); asynchronous, never blocks the poll. See docs/client.md "Message trace"
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
    public PullConsumer build() {
      Validation.common(clientConfig, consumerGroup, pullBatchSize, longPollTimeout);
      Validation.subscriptions(subscriptions);
      Validation.positive(maxBufferedPerQueue, "maxBufferedPerQueue");
      Validation.positive(maxPollMessages, "maxPollMessages");
      return PullConsumerImpl.start(
          clientConfig,
          consumerGroup,
          consumeMode,
          subscriptions,
          consumeFrom,
          pullBatchSize,
          longPollTimeout,
          maxBufferedPerQueue,
          maxPollMessages,
          trace);
    }
  }
}
