package io.edgemq.gateway.delivery;

import io.edgemq.gateway.link.MqttEnvelope;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of a {@link WillRecord} in the will topic (big-endian; strings and byte arrays are an
 * int length, -1 for null, then the bytes). See docs/gateway-mqtt.md, "Wills".
 *
 * <pre>
 * magic 'E' 'W', format 1 (bytes)
 * clientId, connectionId (long), nodeId, username, state (byte: 0 ARMED, 1 PENDING, 2 NONE),
 * fireAtMillis (long), hasWill (byte), then the will: topic, qos (byte), retain (byte),
 * publisher clientId, payload, payloadFormat (byte: 0 absent, 1 bytes, 2 UTF-8), contentType,
 * responseTopic, correlationData, expiresAtMillis (long), user properties (count, name, value)
 * </pre>
 */
public final class WillCodec {
  private static final int MAGIC = ('E' << 8) | 'W';
  private static final int FORMAT = 1;
  private static final int MAX_LENGTH = 16 << 20;

  private WillCodec() {}

  /**
   * @param r a will log entry
   * @return its bytes
   */
  public static byte[] encode(WillRecord r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeShort(MAGIC);
      out.writeByte(FORMAT);
      string(out, r.clientId());
      out.writeLong(r.connectionId());
      string(out, r.nodeId());
      string(out, r.username());
      out.writeByte(r.state().ordinal());
      out.writeLong(r.fireAtMillis());
      out.writeBoolean(r.will() != null);
      if (r.will() != null) {
        envelope(out, r.will());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * @param b bytes written by {@link #encode}
   * @return the entry
   * @throws IllegalArgumentException when the bytes are not a will entry of a known format
   */
  public static WillRecord decode(byte[] b) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      if (in.readUnsignedShort() != MAGIC) {
        throw new IllegalArgumentException("not a will record (bad magic)");
      }
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("will record format " + format + " is unknown");
      }
      String clientId = string(in);
      long connectionId = in.readLong();
      String nodeId = string(in);
      String username = string(in);
      int state = in.readUnsignedByte();
      if (state >= WillRecord.State.values().length) {
        throw new IllegalArgumentException("will record has a bad state " + state);
      }
      long fireAt = in.readLong();
      MqttEnvelope will = in.readBoolean() ? envelope(in) : null;
      if (in.available() > 0) {
        throw new IllegalArgumentException("will record has " + in.available() + " extra bytes");
      }
      return new WillRecord(
          clientId, connectionId, nodeId, username, WillRecord.State.values()[state], fireAt, will);
    } catch (EOFException | NullPointerException e) {
      throw new IllegalArgumentException("will record is truncated or has a missing field", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void envelope(DataOutputStream out, MqttEnvelope m) throws IOException {
    string(out, m.topic());
    out.writeByte(m.qos());
    out.writeBoolean(m.retain());
    string(out, m.clientId());
    bytes(out, m.payload());
    out.writeByte(m.payloadFormatUtf8() == null ? 0 : m.payloadFormatUtf8() ? 2 : 1);
    string(out, m.contentType());
    string(out, m.responseTopic());
    bytes(out, m.correlationData());
    out.writeLong(m.expiresAtMillis());
    out.writeInt(m.userProperties().size());
    for (MqttEnvelope.UserProperty p : m.userProperties()) {
      string(out, p.name());
      string(out, p.value());
    }
  }

  private static MqttEnvelope envelope(DataInputStream in) throws IOException {
    String topic = string(in);
    int qos = in.readUnsignedByte();
    boolean retain = in.readBoolean();
    String clientId = string(in);
    byte[] payload = bytes(in);
    int format = in.readUnsignedByte();
    String contentType = string(in);
    String responseTopic = string(in);
    byte[] correlation = bytes(in);
    long expiresAt = in.readLong();
    List<MqttEnvelope.UserProperty> props = new ArrayList<>();
    for (int n = length(in); n > 0; n--) {
      props.add(new MqttEnvelope.UserProperty(string(in), string(in)));
    }
    try {
      return new MqttEnvelope(
          topic,
          qos,
          retain,
          clientId,
          payload,
          format == 0 ? null : format == 2,
          contentType,
          responseTopic,
          correlation,
          expiresAt,
          props);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("will record has a bad will: " + e.getMessage(), e);
    }
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    bytes(out, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  private static String string(DataInputStream in) throws IOException {
    byte[] b = bytes(in);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static void bytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n == -1) {
      return null;
    }
    if (n < 0 || n > MAX_LENGTH) {
      throw new IllegalArgumentException("will record has a bad length " + n);
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static int length(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_LENGTH) {
      throw new IllegalArgumentException("will record has a bad length " + n);
    }
    return n;
  }
}
