package io.edgemq.client.api;

import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.SystemProperties;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable message as delivered by a consumer or found by an admin query: the producer's fields
 * plus where and when the broker stored it.
 */
public final class MessageView {
  private final Message proto;
  private final MessageQueue queue;
  private final int deliveryAttempt;
  private final int reconsumeTimes;
  private final String receiptHandle;
  private final long invisibleUntilMs;

  private MessageView(Message proto, int deliveryAttempt, int reconsumeTimes) {
    this(proto, deliveryAttempt, reconsumeTimes, null, 0);
  }

  private MessageView(
      Message proto,
      int deliveryAttempt,
      int reconsumeTimes,
      String receiptHandle,
      long invisibleUntilMs) {
    this.proto = proto;
    SystemProperties sp = proto.getSystemProperties();
    this.queue = new MessageQueue(proto.getTopic(), sp.getBrokerName(), sp.getQueueId());
    this.deliveryAttempt = deliveryAttempt;
    this.reconsumeTimes = reconsumeTimes;
    this.receiptHandle = receiptHandle;
    this.invisibleUntilMs = invisibleUntilMs;
  }

  /**
   * Wraps a message a broker handed out to a {@link SimpleConsumer}.
   *
   * @param proto the protocol message
   * @param receiptHandle the delivery's receipt handle
   * @param invisibleUntilMs when it becomes visible again unless acked (broker clock)
   * @param deliveryAttempt 1 for the first delivery to the group, one more per expired delivery
   * @return the view
   */
  public static MessageView received(
      Message proto, String receiptHandle, long invisibleUntilMs, int deliveryAttempt) {
    return new MessageView(
        proto,
        deliveryAttempt,
        proto.getSystemProperties().getReconsumeTimes(),
        receiptHandle,
        invisibleUntilMs);
  }

  /**
   * The same delivery under a new receipt handle (after its invisible duration changed).
   *
   * @param handle the new handle
   * @param until the new end of its invisible time
   * @return the view to ack with from now on
   */
  public MessageView withReceiptHandle(String handle, long until) {
    return new MessageView(proto, deliveryAttempt, reconsumeTimes, handle, until);
  }

  /**
   * @return the receipt handle of a message received by a {@link SimpleConsumer}; empty for other
   *     consumers
   */
  public Optional<String> receiptHandle() {
    return Optional.ofNullable(receiptHandle);
  }

  /**
   * @return for a message received by a {@link SimpleConsumer}, when it becomes visible to its
   *     group again unless acked (broker clock, epoch ms); 0 otherwise
   */
  public long invisibleUntilMs() {
    return invisibleUntilMs;
  }

  /**
   * Wraps a message the broker returned (its system properties set).
   *
   * @param proto the protocol message
   * @return the view, delivery attempt 1
   */
  public static MessageView of(Message proto) {
    return new MessageView(proto, 1, proto.getSystemProperties().getReconsumeTimes());
  }

  /**
   * The same message counted as delivered once more (a local redelivery after a failure).
   *
   * @return a view with {@link #deliveryAttempt()} one higher
   */
  public MessageView redelivered() {
    return new MessageView(proto, deliveryAttempt + 1, reconsumeTimes);
  }

  /**
   * The same message delivered again after a retry in place (FIFO groups).
   *
   * @param times the new reconsume count
   * @return a view with that count and {@link #deliveryAttempt()} one higher
   */
  public MessageView reconsumed(int times) {
    return new MessageView(proto, deliveryAttempt + 1, times);
  }

  /**
   * @return on a request or a reply: the request's correlation id (request-reply)
   */
  public Optional<String> correlationId() {
    return proto.getCorrelationId().isEmpty()
        ? Optional.empty()
        : Optional.of(proto.getCorrelationId());
  }

  /**
   * @return on a request: the requesting client's id, where {@link Replier} sends the reply
   */
  public Optional<String> replyToClientId() {
    return proto.getReplyToClientId().isEmpty()
        ? Optional.empty()
        : Optional.of(proto.getReplyToClientId());
  }

  /**
   * @return the message id, 32 hex digits
   */
  public String messageId() {
    return proto.getMessageId();
  }

  /**
   * @return the topic the message was sent to; for a retry or dead letter its original topic (the
   *     topic it was read from is {@code queue().topic()})
   */
  public String topic() {
    String original = proto.getSystemProperties().getOriginalTopic();
    return original.isEmpty() ? proto.getTopic() : original;
  }

  /**
   * @return the tag, if any
   */
  public Optional<String> tag() {
    return proto.getTag().isEmpty() ? Optional.empty() : Optional.of(proto.getTag());
  }

  /**
   * @return the keys
   */
  public List<String> keys() {
    return proto.getKeysList();
  }

  /**
   * @return the user properties (unmodifiable)
   */
  public Map<String, String> properties() {
    return proto.getUserPropertiesMap();
  }

  /**
   * @return a read-only view of the body
   */
  public ByteBuffer body() {
    return proto.getBody().asReadOnlyByteBuffer();
  }

  /**
   * @return a copy of the body
   */
  public byte[] bodyBytes() {
    return proto.getBody().toByteArray();
  }

  /**
   * @return the message group, if any
   */
  public Optional<String> messageGroup() {
    return proto.getMessageGroup().isEmpty()
        ? Optional.empty()
        : Optional.of(proto.getMessageGroup());
  }

  /**
   * @return the queue the message is stored in
   */
  public MessageQueue queue() {
    return queue;
  }

  /**
   * @return its offset in that queue
   */
  public long queueOffset() {
    return proto.getSystemProperties().getQueueOffset();
  }

  /**
   * @return when the producer created it (epoch ms)
   */
  public long bornTimestampMs() {
    return proto.getBornTimestampMs();
  }

  /**
   * @return the producer's host as recorded, or empty
   */
  public String bornHost() {
    return proto.getBornHost().getHost();
  }

  /**
   * @return when the broker stored it (epoch ms)
   */
  public long storeTimestampMs() {
    return proto.getSystemProperties().getStoreTimestampMs();
  }

  /**
   * @return 1 for the first delivery to this consumer, more after local redeliveries
   */
  public int deliveryAttempt() {
    return deliveryAttempt;
  }

  /**
   * @return how often its consumer group failed on it before this delivery (0 = first delivery); it
   *     counts retries through the broker and, in FIFO groups, retries in place
   */
  public int reconsumeTimes() {
    return reconsumeTimes;
  }

  /**
   * @return the group's earlier failed deliveries of this message, oldest first (retry and dead
   *     letter copies only)
   */
  public List<DeliveryFailure> failureHistory() {
    return proto.getSystemProperties().getFailureHistoryList().stream()
        .map(
            f ->
                new DeliveryFailure(
                    f.getTimestampMs(), f.getReconsumeTimes(), f.getClientId(), f.getReason()))
        .toList();
  }

  /**
   * @return for a delay, timer or retry message, when it was due (epoch ms); 0 otherwise
   */
  public long scheduledTimestampMs() {
    return proto.getSystemProperties().getScheduledTimestampMs();
  }

  /**
   * @return the broker's CommitLog offset of this copy (for giving it back after a failure)
   */
  public long commitLogOffset() {
    return proto.getSystemProperties().getCommitLogOffset();
  }

  @Override
  public String toString() {
    return "MessageView{id=" + messageId() + ", queue=" + queue + ", offset=" + queueOffset() + "}";
  }
}
