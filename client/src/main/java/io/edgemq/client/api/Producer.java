package io.edgemq.client.api;

import io.edgemq.client.producer.ProducerImpl;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sends messages to the brokers of their topics' routes. Thread-safe; share one per application.
 *
 * <pre>{@code
 * try (Producer p = Producer.builder().clientConfig(config).producerGroup("orders").build()) {
 *   SendResult r = p.send(Message.builder().topic("telemetry").body(bytes).build());
 * }
 * }</pre>
 */
public interface Producer extends AutoCloseable {

  /**
   * Starts a builder.
   *
   * @return a builder with the defaults
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Sends one message and waits for the broker's answer, retrying on another broker group when
   * allowed.
   *
   * @param message the message
   * @return where it was stored
   * @throws ClientException when it was not stored
   */
  SendResult send(Message message);

  /**
   * Sends one message without blocking.
   *
   * @param message the message
   * @return completes with where it was stored, or exceptionally with a {@link ClientException};
   *     completed on a client thread, so keep callbacks short
   */
  CompletableFuture<SendResult> sendAsync(Message message);

  /**
   * Sends one message and does not wait for, or retry on, the answer.
   *
   * @param message the message
   */
  void sendOneway(Message message);

  /**
   * Sends a request and waits for its reply (request-reply): the message carries a new correlation
   * id and this client's id; a consumer answers it with {@link Replier#reply}, and the broker that
   * stored the request routes the reply back here.
   *
   * @param message the request
   * @param timeout how long to wait for the reply
   * @return the reply
   * @throws ClientException with code {@code REQUEST_TIMEOUT} when no reply came in time, or the
   *     send's code when the request was not stored
   */
  MessageView request(Message message, Duration timeout);

  /**
   * The asynchronous form of {@link #request(Message, Duration)}.
   *
   * @param message the request
   * @param timeout how long to wait for the reply
   * @return completes with the reply, or exceptionally with a {@link ClientException}
   */
  CompletableFuture<MessageView> requestAsync(Message message, Duration timeout);

  /**
   * Sends messages of one topic (and at most one message group) to one queue, all or nothing, at
   * consecutive offsets.
   *
   * @param messages 1-1024 messages
   * @return one result per message, in order
   * @throws ClientException when the batch was not stored
   * @throws IllegalArgumentException when the messages mix topics or message groups
   */
  List<SendResult> sendBatch(List<Message> messages);

  /**
   * The asynchronous form of {@link #sendBatch(List)}.
   *
   * @param messages 1-1024 messages
   * @return completes with the results
   */
  CompletableFuture<List<SendResult>> sendBatchAsync(List<Message> messages);

  /** Waits up to the request timeout for sends in flight, then closes the connections. */
  @Override
  void close();

  /** Builds and starts a {@link Producer}. */
  final class Builder {
    private ClientConfig clientConfig;
    private String producerGroup = "";
    private int maxRetries = 2;
    private List<String> topics = List.of();
    private boolean trace;

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
     * @param group the producer group sent with every message (default empty)
     * @return this
     */
    public Builder producerGroup(String group) {
      this.producerGroup = Objects.requireNonNull(group, "group");
      return this;
    }

    /**
     * @param retries how many times a retryable failure is tried again, on another broker group
     *     when there is one (default 2)
     * @return this
     */
    public Builder maxRetries(int retries) {
      this.maxRetries = retries;
      return this;
    }

    /**
     * @param topics topics whose routes are fetched at start (default none: fetched on first send)
     * @return this
     */
    public Builder topics(String... topics) {
      this.topics = List.of(topics);
      return this;
    }

    /**
     * @param trace whether to trace every message this producer sends (default false): the messages
     *     are marked so brokers write their STORE, RETRY and DEAD_LETTER events, and the producer
     *     writes a SEND event per message to the trace topic, asynchronously (a full trace queue
     *     drops events, it never blocks or fails a send). See docs/client.md "Message trace"
     * @return this
     */
    public Builder trace(boolean trace) {
      this.trace = trace;
      return this;
    }

    /**
     * @return the running producer
     * @throws IllegalArgumentException when a value is bad
     */
    public Producer build() {
      if (clientConfig == null) {
        throw new IllegalArgumentException("clientConfig is required");
      }
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries=" + maxRetries + ": must be >= 0");
      }
      return ProducerImpl.start(clientConfig, producerGroup, maxRetries, topics, trace);
    }
  }
}
