package io.edgemq.gateway.link;

import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageView;
import io.edgemq.gateway.link.MqttEnvelope.UserProperty;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an {@link MqttEnvelope} travels in broker message properties, so backends see the whole MQTT
 * message and commands from backends come back with their MQTT metadata. The names below are a
 * contract with backends (see docs/gateway-mqtt-link.md); the payload is the message body.
 *
 * <p>Decoding is lenient because backends write these properties too: a missing or malformed value
 * gives the field's default, never an exception.
 */
public final class MqttProperties {
  /** The MQTT topic name. Written always. */
  public static final String TOPIC = "mqtt.topic";

  /** QoS as published, {@code 0}, {@code 1} or {@code 2}. Written always; read default 1. */
  public static final String QOS = "mqtt.qos";

  /** Retain flag, {@code true} or {@code false}. Written always; read default false. */
  public static final String RETAIN = "mqtt.retain";

  /** The publishing client's id. Written when known. */
  public static final String CLIENT_ID = "mqtt.clientid";

  /** MQTT 5 payload format indicator: {@code utf8} or {@code bytes}. Written when present. */
  public static final String PAYLOAD_FORMAT = "mqtt.payload-format";

  /** MQTT 5 content type. Written when present. */
  public static final String CONTENT_TYPE = "mqtt.content-type";

  /** MQTT 5 response topic. Written when present. */
  public static final String RESPONSE_TOPIC = "mqtt.response-topic";

  /** MQTT 5 correlation data, standard base64 with padding. Written when present. */
  public static final String CORRELATION_DATA = "mqtt.correlation-data";

  /** Absolute expiry, epoch milliseconds in decimal. Written when the message expires. */
  public static final String EXPIRES_AT = "mqtt.expires-at";

  /** Every MQTT 5 user property in order, duplicates kept; see {@link UserPropertyCodec}. */
  public static final String USER_PROPERTIES = "mqtt.user-properties";

  /** The prefix of every MQTT property name; user properties with it are not mirrored. */
  public static final String PREFIX = "mqtt.";

  /** Backend messages without {@link #QOS} are delivered with this QoS. */
  public static final int DEFAULT_QOS = 1;

  private static final String SYSTEM_PREFIX = "%sys.";

  private MqttProperties() {}

  /**
   * The broker properties of an MQTT message. Besides the {@code mqtt.*} properties, each user
   * property whose name occurs once in the message, is not empty and does not start with {@code
   * mqtt.} or {@code %sys.} is also written under its own name, so backends can filter and read it
   * directly.
   *
   * @param message the MQTT message
   * @return the properties, in a stable order
   * @throws LinkException (refused) when they exceed the client's limit {@link
   *     Message#MAX_PROPERTIES_BYTES}
   */
  public static Map<String, String> encode(MqttEnvelope message) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(TOPIC, message.topic());
    p.put(QOS, Integer.toString(message.qos()));
    p.put(RETAIN, Boolean.toString(message.retain()));
    putIfPresent(p, CLIENT_ID, message.clientId());
    if (message.payloadFormatUtf8() != null) {
      p.put(PAYLOAD_FORMAT, message.payloadFormatUtf8() ? "utf8" : "bytes");
    }
    putIfPresent(p, CONTENT_TYPE, message.contentType());
    putIfPresent(p, RESPONSE_TOPIC, message.responseTopic());
    if (message.correlationData() != null) {
      p.put(CORRELATION_DATA, Base64.getEncoder().encodeToString(message.correlationData()));
    }
    if (message.expiresAtMillis() != 0) {
      p.put(EXPIRES_AT, Long.toString(message.expiresAtMillis()));
    }
    List<UserProperty> users = message.userProperties();
    if (!users.isEmpty()) {
      p.put(USER_PROPERTIES, UserPropertyCodec.encode(users));
      mirror(users, p);
    }
    int bytes = bytes(p);
    if (bytes > Message.MAX_PROPERTIES_BYTES) {
      throw new LinkException(
          "the MQTT properties take "
              + bytes
              + " bytes as broker properties, over the limit of "
              + Message.MAX_PROPERTIES_BYTES
              + " bytes of property names and values (Message.MAX_PROPERTIES_BYTES)",
          true,
          null);
    }
    return p;
  }

  private static void mirror(List<UserProperty> users, Map<String, String> p) {
    Map<String, Integer> counts = new HashMap<>();
    for (UserProperty u : users) {
      counts.merge(u.name(), 1, Integer::sum);
    }
    for (UserProperty u : users) {
      String n = u.name();
      if (counts.get(n) == 1 && !n.isEmpty() && !isReserved(n)) {
        p.put(n, u.value());
      }
    }
  }

  private static boolean isReserved(String name) {
    return name.startsWith(PREFIX) || name.startsWith(SYSTEM_PREFIX);
  }

  private static void putIfPresent(Map<String, String> p, String name, String value) {
    if (value != null) {
      p.put(name, value);
    }
  }

  /**
   * @param properties broker properties
   * @return the UTF-8 bytes of their names and values, as the client counts them
   */
  static int bytes(Map<String, String> properties) {
    int n = 0;
    for (Map.Entry<String, String> e : properties.entrySet()) {
      n += utf8(e.getKey()) + utf8(e.getValue());
    }
    return n;
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The MQTT message a broker message carries.
   *
   * @param message a message read from the broker
   * @return the MQTT message; its topic is "" when the message has no {@link #TOPIC}
   */
  public static MqttEnvelope decode(MessageView message) {
    return decode(message.properties(), message.bodyBytes());
  }

  /**
   * The MQTT message of broker properties and a body. Each field comes from its property, or takes
   * its default when the property is missing or malformed: topic "", QoS {@value #DEFAULT_QOS},
   * retain false, the others absent. User properties come from {@link #USER_PROPERTIES} when it is
   * present and well-formed; otherwise every property not starting with {@code mqtt.} or {@code
   * %sys.} is one, in name order (a backend's plain properties).
   *
   * @param properties the broker properties
   * @param body the body, kept as the payload
   * @return the MQTT message
   */
  public static MqttEnvelope decode(Map<String, String> properties, byte[] body) {
    return new MqttEnvelope(
        properties.getOrDefault(TOPIC, ""),
        qos(properties.get(QOS)),
        "true".equals(properties.get(RETAIN)),
        properties.get(CLIENT_ID),
        body,
        payloadFormat(properties.get(PAYLOAD_FORMAT)),
        properties.get(CONTENT_TYPE),
        properties.get(RESPONSE_TOPIC),
        base64(properties.get(CORRELATION_DATA)),
        expiresAt(properties.get(EXPIRES_AT)),
        userProperties(properties));
  }

  private static int qos(String v) {
    if (v != null && v.length() == 1 && v.charAt(0) >= '0' && v.charAt(0) <= '2') {
      return v.charAt(0) - '0';
    }
    return DEFAULT_QOS;
  }

  private static Boolean payloadFormat(String v) {
    if ("utf8".equals(v)) {
      return Boolean.TRUE;
    }
    return "bytes".equals(v) ? Boolean.FALSE : null;
  }

  private static byte[] base64(String v) {
    if (v == null) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(v);
    } catch (IllegalArgumentException malformed) {
      return null;
    }
  }

  private static long expiresAt(String v) {
    if (v == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(v));
    } catch (NumberFormatException malformed) {
      return 0;
    }
  }

  private static List<UserProperty> userProperties(Map<String, String> properties) {
    String encoded = properties.get(USER_PROPERTIES);
    if (encoded != null) {
      try {
        return UserPropertyCodec.decode(encoded);
      } catch (IllegalArgumentException malformed) {
        // a backend wrote something else: its plain properties are the best we have
      }
    }
    List<UserProperty> out = new ArrayList<>();
    // the broker's property map has no order; sort so every gateway node delivers the same list
    new TreeMap<>(properties)
        .forEach(
            (name, value) -> {
              if (!isReserved(name)) {
                out.add(new UserProperty(name, value));
              }
            });
    return out;
  }
}
