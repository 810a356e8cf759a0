package io.edgemq.client.api;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable message to send: topic, at most one tag, keys, user properties, body and an optional
 * message group (FIFO sharding key). Built with {@link #builder()}, which checks the broker's rules
 * so a bad message fails at once with {@link IllegalArgumentException}.
 *
 * <pre>{@code
 * Message m = Message.builder().topic("telemetry").tag("temp").keys("dev-42")
 *     .messageGroup("dev-42").property("unit", "C").body("21.5".getBytes(UTF_8)).build();
 * }</pre>
 */
public final class Message {
  /** Longest tag, key and message group in UTF-8 bytes. */
  public static final int MAX_TAG_BYTES = 1024;

  /** Most keys per message. */
  public static final int MAX_KEYS = 64;

  /** Most bytes of property names and values together (UTF-8). */
  public static final int MAX_PROPERTIES_BYTES = 32 * 1024;

  private final String topic;
  private final String tag;
  private final List<String> keys;
  private final Map<String, String> properties;
  private final byte[] body;
  private final String messageGroup;
  private final String messageId;
  private final long deliverAtMs;
  private final int delayLevel;

  private Message(Builder b) {
    this.deliverAtMs = b.deliverAtMs;
    this.delayLevel = b.delayLevel;
    this.topic = b.topic;
    this.tag = b.tag;
    this.keys = List.copyOf(b.keys);
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    this.body = b.body.clone();
    this.messageGroup = b.messageGroup;
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
   * Starts a builder with every field of this message.
   *
   * @return a builder holding a copy of this message
   */
  public Builder toBuilder() {
    Builder b = builder().topic(topic).tag(tag).keys(keys).body(body).messageGroup(messageGroup);
    b.properties.putAll(properties);
    b.messageId = messageId;
    b.deliverAtMs = deliverAtMs;
    b.delayLevel = delayLevel;
    return b;
  }

  /**
   * @return the topic
   */
  public String topic() {
    return topic;
  }

  /**
   * @return the tag, if any
   */
  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /**
   * @return the keys, in the order given (unmodifiable)
   */
  public List<String> keys() {
    return keys;
  }

  /**
   * @return the user properties (unmodifiable)
   */
  public Map<String, String> properties() {
    return properties;
  }

  /**
   * @return a read-only view of the body
   */
  public ByteBuffer body() {
    return ByteBuffer.wrap(body).asReadOnlyBuffer();
  }

  /**
   * @return a copy of the body
   */
  public byte[] bodyBytes() {
    return body.clone();
  }

  /**
   * @return the body's length in bytes
   */
  public int bodySize() {
    return body.length;
  }

  /**
   * @return the message group (FIFO sharding key), if any
   */
  public Optional<String> messageGroup() {
    return Optional.ofNullable(messageGroup);
  }

  /**
   * @return the message id chosen by the application, if any (the producer assigns one otherwise)
   */
  public Optional<String> messageId() {
    return Optional.ofNullable(messageId);
  }

  /**
   * @return when the broker is to deliver it (a timer message), if set
   */
  public Optional<Instant> deliverAt() {
    return deliverAtMs == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(deliverAtMs));
  }

  /**
   * @return its delay level (1 = 1 s, 2 = 5 s, ... 18 = 2 h with the broker's defaults), 0 for none
   */
  public int delayLevel() {
    return delayLevel;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Message m)) {
      return false;
    }
    return topic.equals(m.topic)
        && Objects.equals(tag, m.tag)
        && keys.equals(m.keys)
        && properties.equals(m.properties)
        && Arrays.equals(body, m.body)
        && Objects.equals(messageGroup, m.messageGroup)
        && Objects.equals(messageId, m.messageId)
        && deliverAtMs == m.deliverAtMs
        && delayLevel == m.delayLevel;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        topic,
        tag,
        keys,
        properties,
        Arrays.hashCode(body),
        messageGroup,
        messageId,
        deliverAtMs,
        delayLevel);
  }

  @Override
  public String toString() {
    return "Message{topic="
        + topic
        + (tag == null ? "" : ", tag=" + tag)
        + (keys.isEmpty() ? "" : ", keys=" + keys)
        + (messageGroup == null ? "" : ", group=" + messageGroup)
        + ", body="
        + body.length
        + " bytes}";
  }

  /** Builds a {@link Message}; {@link #build()} checks the broker's rules. */
  public static final class Builder {
    private String topic;
    private String tag;
    private final List<String> keys = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private long deliverAtMs;
    private int delayLevel;
    private byte[] body;
    private String messageGroup;
    private String messageId;

    private Builder() {}

    /**
     * @param topic the topic: 1-127 characters of {@code [A-Za-z0-9_|%-]} (required)
     * @return this
     */
    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    /**
     * @param tag the tag: at most 1 KiB, not {@code *}, without {@code ||}; null or empty for none
     * @return this
     */
    public Builder tag(String tag) {
      this.tag = tag == null || tag.isEmpty() ? null : tag;
      return this;
    }

    /**
     * @param keys business keys indexed for lookup (replacing earlier ones)
     * @return this
     */
    public Builder keys(String... keys) {
      return keys(Arrays.asList(keys));
    }

    /**
     * @param keys business keys indexed for lookup (replacing earlier ones); at most 64 of at most
     *     1 KiB each
     * @return this
     */
    public Builder keys(List<String> keys) {
      this.keys.clear();
      this.keys.addAll(keys);
      return this;
    }

    /**
     * @param name a user property name (not empty, not starting with {@code %sys.})
     * @param value its value
     * @return this
     */
    public Builder property(String name, String value) {
      properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * @param body the payload (copied; required, may be empty)
     * @return this
     */
    public Builder body(byte[] body) {
      this.body = body == null ? null : body.clone();
      return this;
    }

    /**
     * @param messageGroup the FIFO sharding key: messages of one group go to one queue, in send
     *     order; null or empty for none
     * @return this
     */
    public Builder messageGroup(String messageGroup) {
      this.messageGroup = messageGroup == null || messageGroup.isEmpty() ? null : messageGroup;
      return this;
    }

    /**
     * @param messageId 32 hex digits chosen by the application (kept across retries); null lets the
     *     producer assign one
     * @return this
     */
    public Builder messageId(String messageId) {
      this.messageId = messageId;
      return this;
    }

    /**
     * Makes this a timer message: the broker keeps it invisible until this time (about 1 s
     * precision), up to its maximum delay ahead (3 days by default). A time in the past delivers at
     * once. Not with {@link #delayLevel(int)} or a message group.
     *
     * @param at when to deliver it, or null for at once
     * @return this
     */
    public Builder deliverAt(Instant at) {
      this.deliverAtMs = at == null ? 0 : Math.max(1, at.toEpochMilli());
      return this;
    }

    /**
     * Makes this a delay message: level n waits the broker's n-th delay level (by default 1s 5s 10s
     * 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h). Not with {@link #deliverAt(Instant)} or a
     * message group.
     *
     * @param level 1 or more, 0 for none
     * @return this
     */
    public Builder delayLevel(int level) {
      this.delayLevel = level;
      return this;
    }

    /**
     * Checks the fields and builds the message.
     *
     * @return the message
     * @throws IllegalArgumentException naming the field and value that break a rule
     */
    public Message build() {
      require(Validation.isTopicName(topic), "topic", topic, "1-127 characters of [A-Za-z0-9_|%-]");
      require(body != null, "body", null, "required (may be empty)");
      if (tag != null) {
        require(utf8(tag) <= MAX_TAG_BYTES, "tag", tag, "at most 1 KiB");
        require(!tag.equals("*") && !tag.contains("||"), "tag", tag, "must not be * or contain ||");
      }
      require(keys.size() <= MAX_KEYS, "keys", keys.size() + " keys", "at most 64");
      for (String k : keys) {
        require(k != null && !k.isEmpty() && utf8(k) <= MAX_TAG_BYTES, "key", k, "1 byte to 1 KiB");
      }
      int propertyBytes = 0;
      for (Map.Entry<String, String> e : properties.entrySet()) {
        require(
            !e.getKey().isEmpty() && !e.getKey().startsWith("%sys."),
            "property",
            e.getKey(),
            "name must be non-empty and not start with %sys.");
        propertyBytes += utf8(e.getKey()) + utf8(e.getValue());
      }
      require(
          propertyBytes <= MAX_PROPERTIES_BYTES,
          "properties",
          propertyBytes + " bytes",
          "at most 32 KiB of names and values");
      if (messageGroup != null) {
        require(utf8(messageGroup) <= MAX_TAG_BYTES, "messageGroup", messageGroup, "at most 1 KiB");
      }
      if (messageId != null) {
        require(Validation.isMessageId(messageId), "messageId", messageId, "32 hex digits");
      }
      require(delayLevel >= 0, "delayLevel", delayLevel, "must be >= 0");
      boolean scheduled = delayLevel != 0 || deliverAtMs != 0;
      require(
          delayLevel == 0 || deliverAtMs == 0,
          "delayLevel",
          delayLevel,
          "cannot be combined with deliverAt");
      require(
          !scheduled || messageGroup == null,
          "messageGroup",
          messageGroup,
          "a FIFO message cannot be delayed");
      return new Message(this);
    }

    private static int utf8(String s) {
      return Validation.utf8Length(s);
    }

    private static void require(boolean ok, String field, Object value, String rule) {
      if (!ok) {
        throw new IllegalArgumentException("message " + field + "=" + value + ": " + rule);
      }
    }
  }
}
