package io.edgemq.gateway.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageView;
import io.edgemq.gateway.link.MqttEnvelope.UserProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MqttPropertiesTest {

  private static final byte[] BINARY = {0, 1, (byte) 0x80, (byte) 0xff, '=', '&', 0};

  private static MqttEnvelope full() {
    return new MqttEnvelope(
        "fábrica/línea-1/温度/🌡",
        2,
        true,
        "dev-ü-42",
        "21.5 °C".getBytes(UTF_8),
        true,
        "text/plain; charset=utf-8",
        "réponse/dev-42",
        BINARY,
        1_700_000_000_123L,
        List.of(
            new UserProperty("unit", "°C"),
            new UserProperty("dup", "1"),
            new UserProperty("dup", "2"),
            new UserProperty("", "empty name"),
            new UserProperty("mqtt.topic", "not the topic"),
            new UserProperty("%sys.x", "y"),
            new UserProperty("a=b&c", "x%y+z"),
            new UserProperty("日本", "")));
  }

  /** What a consumer sees: the properties through the protocol message, as the broker returns. */
  private static MessageView view(Map<String, String> properties, byte[] body) {
    return MessageView.of(
        io.edgemq.protocol.v1.Message.newBuilder()
            .setTopic("telemetry")
            .setMessageId("0123456789abcdef0123456789abcdef")
            .putAllUserProperties(properties)
            .setBody(ByteString.copyFrom(body))
            .build());
  }

  @Test
  void roundTrip_keepsEveryFieldThroughAMessageView() {
    MqttEnvelope e = full();
    MqttEnvelope back = MqttProperties.decode(view(MqttProperties.encode(e), e.payload()));
    assertThat(back).isEqualTo(e);
    assertThat(back.correlationData()).containsExactly(BINARY);
  }

  @Test
  void roundTrip_emptyPayloadAndNoOptionalFields() {
    MqttEnvelope e = MqttEnvelope.of("a/b", 0, false, null, new byte[0]);
    Map<String, String> p = MqttProperties.encode(e);
    assertThat(p)
        .containsExactly(
            Map.entry("mqtt.topic", "a/b"),
            Map.entry("mqtt.qos", "0"),
            Map.entry("mqtt.retain", "false"));
    assertThat(MqttProperties.decode(view(p, new byte[0]))).isEqualTo(e);
  }

  @Test
  void encode_writesTheDocumentedNamesAndValues() {
    Map<String, String> p = MqttProperties.encode(full());
    assertThat(p)
        .containsEntry("mqtt.topic", "fábrica/línea-1/温度/🌡")
        .containsEntry("mqtt.qos", "2")
        .containsEntry("mqtt.retain", "true")
        .containsEntry("mqtt.clientid", "dev-ü-42")
        .containsEntry("mqtt.payload-format", "utf8")
        .containsEntry("mqtt.content-type", "text/plain; charset=utf-8")
        .containsEntry("mqtt.response-topic", "réponse/dev-42")
        .containsEntry("mqtt.correlation-data", "AAGA/z0mAA==")
        .containsEntry("mqtt.expires-at", "1700000000123");
  }

  @Test
  void encode_userPropertiesArePercentEncodedPairsInOrder() {
    Map<String, String> p = MqttProperties.encode(full());
    assertThat(p.get("mqtt.user-properties"))
        .isEqualTo(
            "unit=%C2%B0C&dup=1&dup=2&=empty%20name&mqtt.topic=not%20the%20topic"
                + "&%25sys.x=y&a%3Db%26c=x%25y%2Bz&%E6%97%A5%E6%9C%AC=");
  }

  @Test
  void encode_mirrorsOnlyUniqueNonEmptyUnreservedUserProperties() {
    Map<String, String> p = MqttProperties.encode(full());
    assertThat(p)
        .containsEntry("unit", "°C")
        .containsEntry("a=b&c", "x%y+z")
        .containsEntry("日本", "")
        .doesNotContainKeys("dup", "", "%sys.x");
    assertThat(p.get("mqtt.topic"))
        .as("a user property never hides the real one")
        .isEqualTo("fábrica/línea-1/温度/🌡");
  }

  @Test
  void encode_payloadFormatBytesAndNoUserProperties() {
    MqttEnvelope e =
        new MqttEnvelope("t", 1, false, "c", BINARY, false, null, null, null, 0, List.of());
    Map<String, String> p = MqttProperties.encode(e);
    assertThat(p)
        .containsEntry("mqtt.payload-format", "bytes")
        .doesNotContainKey("mqtt.user-properties");
    assertThat(MqttProperties.decode(view(p, BINARY))).isEqualTo(e);
  }

  @Test
  void encode_overTheClientLimit_isRefusedNamingTheLimit() {
    MqttEnvelope e =
        new MqttEnvelope(
            "t",
            1,
            false,
            "c",
            new byte[0],
            null,
            null,
            null,
            null,
            0,
            List.of(new UserProperty("big", "x".repeat(17 * 1024))));
    // the value travels twice: mirrored and in mqtt.user-properties
    assertThatThrownBy(() -> MqttProperties.encode(e))
        .isInstanceOfSatisfying(LinkException.class, le -> assertThat(le.refused()).isTrue())
        .hasMessageContaining(String.valueOf(Message.MAX_PROPERTIES_BYTES))
        .hasMessageContaining("MAX_PROPERTIES_BYTES");
  }

  @Test
  void decode_backendMessage_qos1RetainFalseAndPlainPropertiesAsUserPropertiesByName() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("zone", "7");
    p.put("action", "reboot");
    MqttEnvelope e = MqttProperties.decode(view(p, "go".getBytes(UTF_8)));
    assertThat(e.topic()).isEmpty();
    assertThat(e.qos()).isEqualTo(MqttProperties.DEFAULT_QOS).isEqualTo(1);
    assertThat(e.retain()).isFalse();
    assertThat(e.clientId()).isNull();
    assertThat(e.payloadFormatUtf8()).isNull();
    assertThat(e.correlationData()).isNull();
    assertThat(e.expiresAtMillis()).isZero();
    assertThat(e.payload()).isEqualTo("go".getBytes(UTF_8));
    assertThat(e.userProperties())
        .containsExactly(new UserProperty("action", "reboot"), new UserProperty("zone", "7"));
  }

  @Test
  void decode_backendMayChooseQosAndOtherFields() {
    Map<String, String> p =
        Map.of(
            "mqtt.qos", "0",
            "mqtt.retain", "true",
            "mqtt.topic", "devices/42/cmd",
            "mqtt.response-topic", "backend/replies",
            "priority", "high");
    MqttEnvelope e = MqttProperties.decode(view(p, new byte[0]));
    assertThat(e.qos()).isZero();
    assertThat(e.retain()).isTrue();
    assertThat(e.topic()).isEqualTo("devices/42/cmd");
    assertThat(e.responseTopic()).isEqualTo("backend/replies");
    assertThat(e.userProperties()).containsExactly(new UserProperty("priority", "high"));
  }

  @Test
  void decode_malformedValuesTakeTheirDefaults() {
    Map<String, String> p =
        Map.of(
            "mqtt.qos", "7",
            "mqtt.retain", "yes",
            "mqtt.payload-format", "text",
            "mqtt.correlation-data", "not base64!",
            "mqtt.expires-at", "soon",
            "mqtt.user-properties", "no-equals-sign",
            "k", "v");
    MqttEnvelope e = MqttProperties.decode(view(p, new byte[0]));
    assertThat(e.qos()).isEqualTo(1);
    assertThat(e.retain()).isFalse();
    assertThat(e.payloadFormatUtf8()).isNull();
    assertThat(e.correlationData()).isNull();
    assertThat(e.expiresAtMillis()).isZero();
    assertThat(e.userProperties())
        .as("a malformed list falls back to the plain properties")
        .containsExactly(new UserProperty("k", "v"));
  }

  @Test
  void decode_userPropertiesList_winsOverPlainProperties() {
    Map<String, String> p = new LinkedHashMap<>(MqttProperties.encode(full()));
    p.put("added-by-backend", "ignored");
    assertThat(MqttProperties.decode(view(p, new byte[0])).userProperties())
        .isEqualTo(full().userProperties());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"a", "a=1&", "a=%2", "a=%zz", "a=%C3", "a=b c", "a=b+c", "&a=1", "a=1&&b=2"})
  void userPropertyCodec_rejectsMalformedValues(String encoded) {
    assertThatThrownBy(() -> UserPropertyCodec.decode(encoded))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void userPropertyCodec_emptyPairAndPlusSign() {
    assertThat(UserPropertyCodec.decode("=")).containsExactly(new UserProperty("", ""));
    assertThat(UserPropertyCodec.encode(List.of(new UserProperty("a+b", "c d"))))
        .as("+ is escaped, so a decoder reading + as a space sees no difference")
        .isEqualTo("a%2Bb=c%20d");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 20240601})
  void roundTrip_randomUnicodeUserPropertiesWithDuplicates(long seed) {
    Random r = new Random(seed);
    for (int round = 0; round < 50; round++) {
      List<UserProperty> users = new ArrayList<>();
      int n = r.nextInt(12);
      for (int i = 0; i < n; i++) {
        String name = i > 0 && r.nextInt(4) == 0 ? users.get(r.nextInt(i)).name() : text(r);
        users.add(new UserProperty(name, text(r)));
      }
      byte[] payload = new byte[r.nextInt(64)];
      r.nextBytes(payload);
      MqttEnvelope e =
          new MqttEnvelope(
              "t/" + text(r),
              r.nextInt(3),
              r.nextBoolean(),
              r.nextBoolean() ? null : text(r),
              payload,
              r.nextBoolean() ? null : r.nextBoolean(),
              r.nextBoolean() ? null : text(r),
              r.nextBoolean() ? null : text(r),
              r.nextBoolean() ? null : payload.clone(),
              r.nextBoolean() ? 0 : r.nextLong() & Long.MAX_VALUE,
              users);
      assertThat(MqttProperties.decode(view(MqttProperties.encode(e), payload)))
          .as("seed %d round %d", seed, round)
          .isEqualTo(e);
    }
  }

  private static final String[] PIECES = {
    "a", "Z", "0", "-", ".", "_", "~", " ", "=", "&", "%", "+", "/", "é", "ß", "中", "🌡", "\u0000",
    "mqtt.", "%sys."
  };

  private static String text(Random r) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      sb.append(PIECES[r.nextInt(PIECES.length)]);
    }
    return sb.toString();
  }
}
