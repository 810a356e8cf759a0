package io.edgemq.gateway.server;

import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.link.MqttEnvelope.UserProperty;
import io.edgemq.gateway.session.Outgoing;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.util.ArrayList;
import java.util.List;

/** MQTT 5 properties of a PUBLISH, to and from {@link MqttEnvelope}. */
final class Props {
  private Props() {}

  static Integer intValue(MqttProperties p, MqttPropertyType t) {
    MqttProperties.MqttProperty<?> v = p.getProperty(t.value());
    return v == null ? null : (Integer) v.value();
  }

  static String stringValue(MqttProperties p, MqttPropertyType t) {
    MqttProperties.MqttProperty<?> v = p.getProperty(t.value());
    return v == null ? null : (String) v.value();
  }

  static byte[] bytesValue(MqttProperties p, MqttPropertyType t) {
    MqttProperties.MqttProperty<?> v = p.getProperty(t.value());
    return v == null ? null : (byte[]) v.value();
  }

  /**
   * @param topic the topic name
   * @param qos the QoS
   * @param retain the retain flag
   * @param clientId the publisher
   * @param payload the payload
   * @param p the PUBLISH (or will) properties
   * @param nowMillis now, to turn the expiry interval into a time
   * @return the envelope
   */
  static MqttEnvelope envelope(
      String topic,
      int qos,
      boolean retain,
      String clientId,
      byte[] payload,
      MqttProperties p,
      long nowMillis) {
    if (p == null || p.isEmpty()) {
      return MqttEnvelope.of(topic, qos, retain, clientId, payload);
    }
    Integer format = intValue(p, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR);
    Integer expiry = intValue(p, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL);
    List<UserProperty> users = new ArrayList<>();
    MqttProperties.MqttProperty<?> up = p.getProperty(MqttPropertyType.USER_PROPERTY.value());
    if (up instanceof MqttProperties.UserProperties ups) {
      for (MqttProperties.StringPair pair : ups.value()) {
        users.add(new UserProperty(pair.key, pair.value));
      }
    }
    return new MqttEnvelope(
        topic,
        qos,
        retain,
        clientId,
        payload,
        format == null ? null : format == 1,
        stringValue(p, MqttPropertyType.CONTENT_TYPE),
        stringValue(p, MqttPropertyType.RESPONSE_TOPIC),
        bytesValue(p, MqttPropertyType.CORRELATION_DATA),
        expiry == null ? 0 : nowMillis + (expiry & 0xFFFF_FFFFL) * 1000,
        users);
  }

  /**
   * @param m an outgoing message
   * @param nowMillis now, for the remaining expiry
   * @return its PUBLISH properties for an MQTT 5 client
   */
  /**
   * @param p the properties of an outgoing PUBLISH (a fresh set from {@link #publish})
   * @param alias the topic alias to add
   * @return the same properties
   */
  static MqttProperties withTopicAlias(MqttProperties p, int alias) {
    p.add(new MqttProperties.IntegerProperty(MqttPropertyType.TOPIC_ALIAS.value(), alias));
    return p;
  }

  static MqttProperties publish(Outgoing m, long nowMillis) {
    MqttEnvelope e = m.message();
    MqttProperties p = new MqttProperties();
    if (e.payloadFormatUtf8() != null) {
      p.add(
          new MqttProperties.IntegerProperty(
              MqttPropertyType.PAYLOAD_FORMAT_INDICATOR.value(), e.payloadFormatUtf8() ? 1 : 0));
    }
    if (e.expiresAtMillis() != 0) {
      long left = Math.max(1, (e.expiresAtMillis() - nowMillis + 999) / 1000);
      p.add(
          new MqttProperties.IntegerProperty(
              MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL.value(), (int) left));
    }
    if (e.contentType() != null) {
      p.add(
          new MqttProperties.StringProperty(
              MqttPropertyType.CONTENT_TYPE.value(), e.contentType()));
    }
    if (e.responseTopic() != null) {
      p.add(
          new MqttProperties.StringProperty(
              MqttPropertyType.RESPONSE_TOPIC.value(), e.responseTopic()));
    }
    if (e.correlationData() != null) {
      p.add(
          new MqttProperties.BinaryProperty(
              MqttPropertyType.CORRELATION_DATA.value(), e.correlationData()));
    }
    if (!e.userProperties().isEmpty()) {
      List<MqttProperties.StringPair> pairs = new ArrayList<>();
      for (UserProperty u : e.userProperties()) {
        pairs.add(new MqttProperties.StringPair(u.name(), u.value()));
      }
      p.add(new MqttProperties.UserProperties(pairs));
    }
    for (int id : m.subscriptionIds()) {
      p.add(
          new MqttProperties.IntegerProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value(), id));
    }
    return p;
  }

  static MqttProperties reason(String reason) {
    MqttProperties p = new MqttProperties();
    if (reason != null) {
      p.add(new MqttProperties.StringProperty(MqttPropertyType.REASON_STRING.value(), reason));
    }
    return p;
  }
}
