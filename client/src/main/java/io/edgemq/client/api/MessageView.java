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

  private MessageView(Message proto, int deliveryAttempt) {
    this.proto = proto;
    SystemProperties sp = proto.getSystemProperties();
    this.queue = new MessageQueue(proto.getTopic(), sp.getBrokerName(), sp.getQueueId());
    this.deliveryAttempt = deliveryAttempt;
  }

  /**
   * Wraps a message the broker returned (its system properties set).
   *
   * @param proto the protocol message
   * @return the view, delivery attempt 1
   */
  public static MessageView of(Message proto) {
    return new MessageView(proto, 1);
  }

  /**
   * The same message counted as delivered once more (a local redelivery after a failure).
   *
   * @return a view with {@link #deliveryAttempt()} one higher
   */
  public MessageView redelivered() {
    return new MessageView(proto, deliveryAttempt + 1);
  }

  /**
   * @return the message id, 32 hex digits
   */
  public String messageId() {
    return proto.getMessageId();
  }

  /**
   * @return the topic
   */
  public String topic() {
    return proto.getTopic();
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

  @Override
  public String toString() {
    return "MessageView{id=" + messageId() + ", queue=" + queue + ", offset=" + queueOffset() + "}";
  }
}
