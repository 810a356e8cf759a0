package io.edgemq.client.api;

import io.edgemq.client.transaction.TransactionProducerImpl;
import java.util.List;
import java.util.Objects;

/**
 * Sends transactional messages: a half message (invisible to consumers), then the local
 * transaction, then commit or rollback. If the outcome never reaches the broker, the broker asks a
 * live member of the producer group through its {@link TransactionChecker}. Thread-safe.
 *
 * <pre>{@code
 * try (TransactionProducer p = TransactionProducer.builder()
 *     .clientConfig(config).producerGroup("orders-tx").checker(m -> lookUp(m)).topics("orders")
 *     .build()) {
 *   p.send(message, (m, id) -> saveOrder(m, id) ? COMMIT : ROLLBACK);
 * }
 * }</pre>
 */
public interface TransactionProducer extends AutoCloseable {

  /**
   * @return a builder
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Stores a half message; end it with {@link Transaction#commit()} or {@link
   * Transaction#rollback()}.
   *
   * @param message the message (no delay or delivery time)
   * @return the pending transaction
   * @throws ClientException when the half message was not stored
   */
  Transaction sendHalf(Message message);

  /**
   * Stores a half message, runs the local transaction and sends its outcome.
   *
   * @param message the message
   * @param executor the local transaction
   * @return the half message's result (its id and real queue); whether it was committed is the
   *     executor's answer
   * @throws ClientException when the half message was not stored (the executor did not run)
   */
  SendResult send(Message message, LocalTransactionExecutor executor);

  /** Closes the command channels (brokers stop asking this client) and the connections. */
  @Override
  void close();

  /** Builds and starts a {@link TransactionProducer}. */
  final class Builder {
    private ClientConfig clientConfig;
    private String producerGroup;
    private TransactionChecker checker;
    private List<String> topics = List.of();

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
     * @param group the producer group whose members answer each other's checks (required)
     * @return this
     */
    public Builder producerGroup(String group) {
      this.producerGroup = Objects.requireNonNull(group, "group");
      return this;
    }

    /**
     * @param checker answers the brokers' checks (required)
     * @return this
     */
    public Builder checker(TransactionChecker checker) {
      this.checker = Objects.requireNonNull(checker, "checker");
      return this;
    }

    /**
     * @param topics topics whose brokers get this producer's command channel at start, so it
     *     answers checks of half messages other members of the group sent (the brokers of topics it
     *     sends to are added on first send)
     * @return this
     */
    public Builder topics(String... topics) {
      this.topics = List.of(topics);
      return this;
    }

    /**
     * @return the running producer
     * @throws IllegalArgumentException when a required value is missing
     */
    public TransactionProducer build() {
      if (clientConfig == null || producerGroup == null || producerGroup.isEmpty()) {
        throw new IllegalArgumentException("clientConfig and a producerGroup are required");
      }
      if (checker == null) {
        throw new IllegalArgumentException("checker is required");
      }
      return TransactionProducerImpl.start(clientConfig, producerGroup, checker, topics);
    }
  }
}
