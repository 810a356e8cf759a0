package io.edgemq.store.api;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message to append: immutable, built with {@link #builder()}. The store assigns the queue
 * offset, physical offset and store time; the id is assigned when not given.
 */
public final class Message {
  private final String topic;
  private final int queueId;
  private final String tags;
  private final List<String> keys;
  private final Map<String, String> properties;
  private final byte[] body;
  private final long bornTimestamp;
  private final InetSocketAddress bornHost;
  private final int flags;
  private final MessageId messageId;

  private Message(Builder b) {
    this.topic = Objects.requireNonNull(b.topic, "topic");
    this.queueId = b.queueId;
    this.tags = b.tags == null ? "" : b.tags;
    this.keys = List.copyOf(b.keys);
    this.properties =
        b.properties.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    this.body = b.body == null ? new byte[0] : b.body.clone();
    this.bornTimestamp = b.bornTimestamp;
    this.bornHost = b.bornHost;
    this.flags = b.flags;
    this.messageId = b.messageId;
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the topic
   */
  public String topic() {
    return topic;
  }

  /**
   * @return the queue id within the topic
   */
  public int queueId() {
    return queueId;
  }

  /**
   * @return the tag, empty when none
   */
  public String tags() {
    return tags;
  }

  /**
   * @return the keys, indexed for lookup
   */
  public List<String> keys() {
    return keys;
  }

  /**
   * @return the user and system properties, in insertion order
   */
  public Map<String, String> properties() {
    return properties;
  }

  /**
   * @return a copy of the body
   */
  public byte[] body() {
    return body.clone();
  }

  /**
   * @return the body length in bytes
   */
  public int bodyLength() {
    return body.length;
  }

  /**
   * @return a read-only view of the body, without copying
   */
  public ByteBuffer bodyBuffer() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  /**
   * @return when the producer created the message, epoch ms
   */
  public long bornTimestamp() {
    return bornTimestamp;
  }

  /**
   * @return the producer's address, or null
   */
  public InetSocketAddress bornHost() {
    return bornHost;
  }

  /**
   * @return application flags, stored as given
   */
  public int flags() {
    return flags;
  }

  /**
   * @return the id given by the caller, or null to let the store assign one
   */
  public MessageId messageId() {
    return messageId;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Message m)) {
      return false;
    }
    return queueId == m.queueId
        && bornTimestamp == m.bornTimestamp
        && flags == m.flags
        && topic.equals(m.topic)
        && tags.equals(m.tags)
        && keys.equals(m.keys)
        && properties.equals(m.properties)
        && Arrays.equals(body, m.body)
        && Objects.equals(bornHost, m.bornHost)
        && Objects.equals(messageId, m.messageId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, queueId, tags, keys, Arrays.hashCode(body), messageId);
  }

  @Override
  public String toString() {
    return "Message{topic="
        + topic
        + ", queueId="
        + queueId
        + ", tags="
        + tags
        + ", keys="
        + keys
        + ", bodyLength="
        + body.length
        + "}";
  }

  /** Builds a {@link Message}. Not thread-safe. */
  public static final class Builder {
    private String topic;
    private int queueId;
    private String tags;
    private List<String> keys = List.of();
    private Map<String, String> properties = Map.of();
    private byte[] body;
    private long bornTimestamp;
    private InetSocketAddress bornHost;
    private int flags;
    private MessageId messageId;

    private Builder() {}

    /**
     * @param topic the topic @return this
     */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /**
     * @param queueId the queue id, 0 or more @return this
     */
    public Builder queueId(int queueId) {
      this.queueId = queueId;
      return this;
    }

    /**
     * @param tags the tag, or null for none @return this
     */
    public Builder tags(String tags) {
      this.tags = tags;
      return this;
    }

    /**
     * @param keys the keys to index @return this
     */
    public Builder keys(List<String> keys) {
      this.keys = keys;
      return this;
    }

    /**
     * @param properties the properties @return this
     */
    public Builder properties(Map<String, String> properties) {
      this.properties = properties;
      return this;
    }

    /**
     * @param body the body; copied @return this
     */
    public Builder body(byte[] body) {
      this.body = body;
      return this;
    }

    /**
     * @param bornTimestamp producer time, epoch ms @return this
     */
    public Builder bornTimestamp(long bornTimestamp) {
      this.bornTimestamp = bornTimestamp;
      return this;
    }

    /**
     * @param bornHost the producer's address @return this
     */
    public Builder bornHost(InetSocketAddress bornHost) {
      this.bornHost = bornHost;
      return this;
    }

    /**
     * @param flags application flags @return this
     */
    public Builder flags(int flags) {
      this.flags = flags;
      return this;
    }

    /**
     * @param messageId the id, or null to let the store assign one @return this
     */
    public Builder messageId(MessageId messageId) {
      this.messageId = messageId;
      return this;
    }

    /**
     * @return the message
     */
    public Message build() {
      return new Message(this);
    }
  }
}
