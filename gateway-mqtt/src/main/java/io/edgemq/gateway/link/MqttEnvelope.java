package io.edgemq.gateway.link;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One MQTT application message as the gateway handles it, independent of the connection it came
 * from or goes to: the MQTT topic, QoS, retain flag, the publishing client and the MQTT 5
 * properties that travel with the message. Immutable; {@code payload} and {@code correlationData}
 * are never modified after construction (callers hand over their arrays). Equality compares the
 * arrays' contents, unlike a plain record's.
 *
 * @param topic the MQTT topic name; "" for a message read from the broker that carries none (see
 *     {@link BrokerLink.FeedMessage})
 * @param qos 0, 1 or 2 as published
 * @param retain the retain flag as published
 * @param clientId the publishing client's id, or null when unknown (e.g. a backend message)
 * @param payload the payload bytes
 * @param payloadFormatUtf8 MQTT 5 payload format indicator (true = UTF-8 text), or null if absent
 * @param contentType MQTT 5 content type, or null
 * @param responseTopic MQTT 5 response topic, or null
 * @param correlationData MQTT 5 correlation data, or null
 * @param expiresAtMillis absolute time (epoch ms) the message expires, from MQTT 5 message expiry
 *     interval, or 0 for never
 * @param userProperties MQTT 5 user properties in order, duplicates allowed
 */
public record MqttEnvelope(
    String topic,
    int qos,
    boolean retain,
    String clientId,
    byte[] payload,
    Boolean payloadFormatUtf8,
    String contentType,
    String responseTopic,
    byte[] correlationData,
    long expiresAtMillis,
    List<UserProperty> userProperties) {

  /** Checks the fields. */
  public MqttEnvelope {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("qos " + qos);
    }
    userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
  }

  /**
   * A plain message without MQTT 5 properties.
   *
   * @param topic topic name
   * @param qos QoS
   * @param retain retain flag
   * @param clientId publisher, or null
   * @param payload payload
   * @return the envelope
   */
  public static MqttEnvelope of(
      String topic, int qos, boolean retain, String clientId, byte[] payload) {
    return new MqttEnvelope(
        topic, qos, retain, clientId, payload, null, null, null, null, 0, List.of());
  }

  /**
   * @param nowMillis the current time
   * @return whether the message expired
   */
  public boolean expired(long nowMillis) {
    return expiresAtMillis != 0 && nowMillis >= expiresAtMillis;
  }

  // a record compares arrays by identity; two envelopes with equal bytes are the same message
  @Override
  public boolean equals(Object o) {
    return o instanceof MqttEnvelope m
        && qos == m.qos
        && retain == m.retain
        && expiresAtMillis == m.expiresAtMillis
        && topic.equals(m.topic)
        && Objects.equals(clientId, m.clientId)
        && Arrays.equals(payload, m.payload)
        && Objects.equals(payloadFormatUtf8, m.payloadFormatUtf8)
        && Objects.equals(contentType, m.contentType)
        && Objects.equals(responseTopic, m.responseTopic)
        && Arrays.equals(correlationData, m.correlationData)
        && userProperties.equals(m.userProperties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        topic,
        qos,
        retain,
        clientId,
        Arrays.hashCode(payload),
        payloadFormatUtf8,
        contentType,
        responseTopic,
        Arrays.hashCode(correlationData),
        expiresAtMillis,
        userProperties);
  }

  // the payload may be large or binary: its size only
  @Override
  public String toString() {
    return "MqttEnvelope{topic="
        + topic
        + ", qos="
        + qos
        + ", retain="
        + retain
        + ", clientId="
        + clientId
        + ", payload="
        + payload.length
        + " bytes"
        + (userProperties.isEmpty() ? "" : ", userProperties=" + userProperties)
        + "}";
  }

  /**
   * An MQTT 5 user property.
   *
   * @param name the name
   * @param value the value
   */
  public record UserProperty(String name, String value) {
    /** Checks the fields. */
    public UserProperty {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }
}
