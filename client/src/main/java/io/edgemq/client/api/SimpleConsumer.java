package io.edgemq.client.api;

import io.edgemq.client.consumer.SimpleConsumerImpl;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Pop consumption (RocketMQ 5's simple consumer): the application receives messages with an
 * invisible duration and acks each one when done. There is no queue ownership: any number of simple
 * consumers of a group share a topic's queues, and each message is with at most one of them while
 * it is invisible. A message not acked in time comes back (to any consumer of the group) with its
 * {@link MessageView#deliveryAttempt()} one higher; after the group's retries it goes to the
 * group's dead-letter topic. Thread-safe.
 *
 * <pre>{@code
 * try (SimpleConsumer c = SimpleConsumer.builder().clientConfig(cfg).consumerGroup("billing")
 *     .subscribe("orders", "*").build()) {
 *   for (MessageView m : c.receive(16, Duration.ofSeconds(30))) {
 *     handle(m);
 *     c.ack(m);
 *   }
 * }
 * }</pre>
 */
public interface SimpleConsumer extends AutoCloseable {

  /** The shortest invisible duration a receive may ask for. */
  Duration MIN_INVISIBLE_DURATION = Duration.ofSeconds(1);

  /** The longest invisible duration. */
  Duration MAX_INVISIBLE_DURATION = Duration.ofHours(12);

  /**
   * Starts a builder.
   *
   * @return a builder with the defaults
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Receives up to {@code maxMessages} messages from the next broker of the subscribed topics
   * (round-robin over topics and brokers), waiting up to the await duration when it has none.
   *
   * @param maxMessages 1-1024
   * @param invisibleDuration how long the messages stay invisible to the group, 1 s - 12 h
   * @return the messages, possibly none
   * @throws ClientException when the broker refuses the receive or does not answer
   */
  List<MessageView> receive(int maxMessages, Duration invisibleDuration);

  /**
   * As {@link #receive}, without blocking.
   *
   * @param maxMessages 1-1024
   * @param invisibleDuration 1 s - 12 h
   * @return completes with the messages, or with a {@link ClientException}
   */
  CompletableFuture<List<MessageView>> receiveAsync(int maxMessages, Duration invisibleDuration);

  /**
   * Acks a received message: it never comes back to the group.
   *
   * @param message a message from {@link #receive} (or from {@link #changeInvisibleDuration})
   * @throws ClientException RECEIPT_HANDLE_EXPIRED when its invisible time ended first,
   *     RECEIPT_HANDLE_NOT_FOUND when it was acked already or received again since
   */
  void ack(MessageView message);

  /**
   * As {@link #ack}, without blocking.
   *
   * @param message a received message
   * @return completes when acked, or with a {@link ClientException}
   */
  CompletableFuture<Void> ackAsync(MessageView message);

  /**
   * Makes a received message invisible for {@code duration} from now (longer to keep working on it,
   * zero to give it back at once).
   *
   * @param message a received message
   * @param duration 0 - 12 h
   * @return the same message with its new receipt handle: ack that one, the old one is retired
   * @throws ClientException as {@link #ack}
   */
  MessageView changeInvisibleDuration(MessageView message, Duration duration);

  /**
   * As {@link #changeInvisibleDuration}, without blocking.
   *
   * @param message a received message
   * @param duration 0 - 12 h
   * @return completes with the message under its new handle, or with a {@link ClientException}
   */
  CompletableFuture<MessageView> changeInvisibleDurationAsync(
      MessageView message, Duration duration);

  /** Closes the connections; messages held and not acked come back after their invisible time. */
  @Override
  void close();

  /** Builds and starts a {@link SimpleConsumer}. */
  final class Builder {
    ClientConfig clientConfig;
    String consumerGroup;
    final Map<String, String> subscriptions = new LinkedHashMap<>();
    Duration awaitDuration = Duration.ofSeconds(20);

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
     * @param topic a topic to receive from (at least one)
     * @param tagExpression {@code *} or {@code a || b}, evaluated on the broker
     * @return this
     */
    public Builder subscribe(String topic, String tagExpression) {
      subscriptions.put(
          Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(tagExpression, "tag"));
      return this;
    }

    /**
     * @param duration how long a receive may wait for a message at the broker (default 20 s, capped
     *     by the broker's long-poll maximum); zero answers at once
     * @return this
     */
    public Builder awaitDuration(Duration duration) {
      this.awaitDuration = Objects.requireNonNull(duration, "awaitDuration");
      return this;
    }

    /**
     * @return the running consumer
     * @throws IllegalArgumentException naming a bad or missing value
     */
    public SimpleConsumer build() {
      Validation.common(clientConfig, consumerGroup, 1, Duration.ofSeconds(1));
      if (subscriptions.isEmpty()) {
        throw new IllegalArgumentException("subscribe to at least one topic");
      }
      Validation.subscriptions(subscriptions);
      if (awaitDuration.isNegative()) {
        throw new IllegalArgumentException("awaitDuration=" + awaitDuration + ": must be >= 0");
      }
      return SimpleConsumerImpl.start(clientConfig, consumerGroup, subscriptions, awaitDuration);
    }
  }
}
