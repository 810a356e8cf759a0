package io.edgemq.client.api;

import io.edgemq.client.admin.AdminImpl;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Topic, group, lag and message-query operations across the brokers a nameserver knows.
 * Cluster-wide operations call every master (from the nameserver's broker list) or every broker
 * group of the topic's route. Calls the broker does not implement yet fail with {@code
 * UNSUPPORTED}.
 */
public interface Admin extends AutoCloseable {

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Creates a topic on every master broker.
   *
   * @param topic the topic
   * @param queues its write and read queue count on each broker (0: the broker's default)
   * @return the topic as created on each broker
   * @throws ClientException with the first refusal (e.g. ALREADY_EXISTS, ILLEGAL_TOPIC)
   */
  List<TopicInfo> createTopic(String topic, int queues);

  /**
   * Creates a topic on one broker group.
   *
   * @param brokerName the broker group
   * @param topic the topic
   * @param writeQueues write queue count (0: default)
   * @param readQueues read queue count (0: as write)
   * @param permission what clients may do
   * @return the topic as created
   */
  TopicInfo createTopic(
      String brokerName, String topic, int writeQueues, int readQueues, Permission permission);

  /**
   * Changes a topic on every broker group of its route.
   *
   * @param topic the topic
   * @param writeQueues write queue count
   * @param readQueues read queue count
   * @param permission what clients may do
   * @return the topic as updated on each broker
   */
  List<TopicInfo> updateTopic(String topic, int writeQueues, int readQueues, Permission permission);

  /**
   * Deletes a topic (its config and offsets) on every broker group of its route.
   *
   * @param topic the topic
   */
  void deleteTopic(String topic);

  /**
   * @param topic the topic
   * @return its config on each broker group of its route
   */
  List<TopicInfo> getTopic(String topic);

  /**
   * @return every non-system topic of every master
   */
  List<TopicInfo> listTopics();

  /**
   * @return the broker group names the nameserver knows
   */
  List<String> brokerNames();

  /**
   * Sets a consumer group's retry policy on every master (creating the group where it does not
   * exist yet).
   *
   * @param group the group
   * @param maxRetries retries before a failed message goes to {@code %DLQ%{group}}, 0-64
   * @param backoff the back-off before retry n is {@code backoff[n-1]} (the last repeats); empty
   *     for the broker's default levels
   */
  void setRetryPolicy(String group, int maxRetries, List<java.time.Duration> backoff);

  /**
   * Lists a group's dead letters on every master, oldest first per broker.
   *
   * @param group the group
   * @param maxPerBroker the most to list from each broker, 1-1024
   * @return the dead letters: {@link MessageView#topic()} is the original topic, with {@link
   *     MessageView#reconsumeTimes()} and {@link MessageView#failureHistory()}
   */
  List<MessageView> deadLetters(String group, int maxPerBroker);

  /**
   * Finds one dead letter of a group by message id.
   *
   * @param group the group
   * @param messageId the message id
   * @return the dead letter, if some master holds it
   */
  Optional<MessageView> deadLetter(String group, String messageId);

  /**
   * Sends a copy of a dead letter to its original topic (a new delivery to every group of that
   * topic, reconsume count 0, same message id). The dead letter stays listed.
   *
   * @param group the group
   * @param messageId the dead letter's message id
   * @return the queue the copy went to
   * @throws ClientException MESSAGE_NOT_FOUND when no master holds it
   */
  MessageQueue resendDeadLetter(String group, String messageId);

  /**
   * Creates a consumer group on every master.
   *
   * @param group the group
   */
  void createGroup(String group);

  /**
   * Deletes a consumer group (and its offsets) on every master.
   *
   * @param group the group
   */
  void deleteGroup(String group);

  /**
   * @return the consumer groups of every master, without duplicates, sorted
   */
  List<String> listGroups();

  /**
   * A consumer group's lag on every broker group of the topic.
   *
   * @param group the group
   * @param topic the topic
   * @return per queue, and the total
   */
  ConsumerLag consumerLag(String group, String topic);

  /**
   * Moves a consumer group's committed offsets on a topic to the start or the end of every queue,
   * on every broker group of the topic's route. Consumers running in the group pick the new offsets
   * up on their next pull.
   *
   * @param group the group
   * @param topic the topic
   * @param to {@link ConsumeFrom#EARLIEST} (consume again everything still stored) or {@link
   *     ConsumeFrom#LATEST} (skip everything stored so far)
   * @return the new offset of each queue moved (broadcasting groups: one entry per member and
   *     queue, the last one listed wins)
   * @throws ClientException with the broker's refusal (e.g. GROUP_NOT_FOUND)
   */
  Map<MessageQueue, Long> resetOffset(String group, String topic, ConsumeFrom to);

  /**
   * Moves a consumer group's committed offsets on a topic, in every queue, to the first message
   * stored at or after a time (the queue's end when none is), on every broker group of the topic's
   * route. Consumers running in the group pick the new offsets up on their next pull.
   *
   * @param group the group
   * @param topic the topic
   * @param time the store time to go back (or forward) to
   * @return the new offset of each queue moved
   * @throws ClientException with the broker's refusal (e.g. GROUP_NOT_FOUND)
   */
  Map<MessageQueue, Long> resetOffset(String group, String topic, java.time.Instant time);

  /**
   * Stops or resumes a consumer group on every master (creating the group where it does not exist
   * yet). A stopped group's members get no queues and its pulls are refused with {@code
   * NO_READ_PERMISSION}; push consumers keep heartbeating and resume by themselves.
   *
   * @param group the group
   * @param enabled false to stop its consumption, true to resume it
   */
  void setConsumeEnabled(String group, boolean enabled);

  /**
   * Whether an operator stopped a consumer group (on any master).
   *
   * @param group the group
   * @return false when consumption is disabled on some master
   * @throws ClientException GROUP_NOT_FOUND when no master knows the group
   */
  boolean consumeEnabled(String group);

  /**
   * Finds the messages of a topic stored within a time range, without a key, on every broker group
   * of its route.
   *
   * @param topic the topic
   * @param beginMs earliest store time (0: the oldest kept)
   * @param endMs latest store time (0: now)
   * @param max most messages in all, 1-1024 (0: 32); the oldest are kept
   * @return the messages, oldest first
   */
  List<MessageView> queryMessagesByTime(String topic, long beginMs, long endMs, int max);

  /**
   * Finds a message by id, asking every master.
   *
   * @param messageId 32 hex digits
   * @return the message, if a broker has it
   */
  Optional<MessageView> queryMessageById(String messageId);

  /**
   * Finds the messages of a topic with a key, on every broker group of its route.
   *
   * @param topic the topic
   * @param key the key
   * @param beginMs earliest store time (0: none)
   * @param endMs latest store time (0: now)
   * @param max most messages per broker (0: 32)
   * @return the messages, newest first
   */
  List<MessageView> queryMessageByKey(String topic, String key, long beginMs, long endMs, int max);

  /**
   * The trace of a message (or of every message with a key): its events from the trace topic of
   * every broker group, without duplicates, oldest first. Only traced producers, consumers and
   * brokers write events (see docs/client.md "Message trace").
   *
   * @param messageIdOrKey a message id or one of the messages' keys
   * @return the events in time order (by kind where times are equal); empty when none
   * @throws ClientException when a broker cannot be asked
   */
  List<TraceEntry> trace(String messageIdOrKey);

  @Override
  void close();

  /** Builds an {@link Admin}. */
  final class Builder {
    private ClientConfig clientConfig;

    private Builder() {}

    /**
     * @param config nameservers and timeouts (required)
     * @return this
     */
    public Builder clientConfig(ClientConfig config) {
      this.clientConfig = config;
      return this;
    }

    /**
     * @return the admin client
     */
    public Admin build() {
      if (clientConfig == null) {
        throw new IllegalArgumentException("clientConfig is required");
      }
      return AdminImpl.start(clientConfig);
    }
  }
}
