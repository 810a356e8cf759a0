package io.edgemq.sim.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What every simulated message carries so the far end can account for it: the run it belongs to,
 * the device, the device's stream, a per-stream sequence number from 0 and the send time.
 *
 * <p>JSON payloads start with these fields in a fixed order: {@code {"run":"<16 hex>","dev":"<id>",
 * "st":<stream>,"seq":<n>,"ts":<epoch µs>, ...}}. Binary payloads start with this header:
 *
 * <pre>
 *  0      2   3          11     13         21         29   30
 *  +------+---+----------+------+----------+----------+----+-----------+------
 *  | ED51 | 1 | run (8)  | st(2)| seq (8)  | ts µs (8)| n  | device id | body
 *  +------+---+----------+------+----------+----------+----+-----------+------
 * </pre>
 *
 * @param runId random id of the run, so messages of earlier runs in the same topic are ignored
 * @param deviceId the device id (at most 255 bytes of UTF-8)
 * @param stream the stream's index within the device's fleet
 * @param seq sequence number within (device, stream)
 * @param sentMicros send time, microseconds since the epoch
 */
public record Envelope(long runId, String deviceId, int stream, long seq, long sentMicros) {
  /** First two bytes of a binary payload. */
  public static final short MAGIC = (short) 0xED51;

  static final int BINARY_HEADER = 30;

  /**
   * Writes the JSON header fields, leaving the object open for the body fields.
   *
   * @param out the payload being built
   */
  public void writeJsonHead(StringBuilder out) {
    out.append("{\"run\":\"");
    String hex = Long.toHexString(runId);
    out.append("0".repeat(16 - hex.length())).append(hex);
    out.append("\",\"dev\":\"").append(deviceId);
    out.append("\",\"st\":").append(stream);
    out.append(",\"seq\":").append(seq);
    out.append(",\"ts\":").append(sentMicros);
  }

  /**
   * Writes the binary header.
   *
   * @param out the buffer, with room for {@link #binaryHeaderSize()}
   */
  public void writeBinaryHead(ByteBuffer out) {
    byte[] id = deviceId.getBytes(StandardCharsets.UTF_8);
    out.putShort(MAGIC).put((byte) 1).putLong(runId).putShort((short) stream);
    out.putLong(seq).putLong(sentMicros).put((byte) id.length).put(id);
  }

  /** Bytes of the binary header for this device id. */
  public int binaryHeaderSize() {
    return BINARY_HEADER + deviceId.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Reads the envelope of a simulated payload of either format.
   *
   * @param payload the message body
   * @return the envelope, or empty if the payload is not one of ours
   */
  public static Optional<Envelope> read(byte[] payload) {
    if (payload.length >= BINARY_HEADER
        && (short) ((payload[0] << 8) | (payload[1] & 0xff)) == MAGIC) {
      return readBinary(ByteBuffer.wrap(payload));
    }
    if (payload.length > 0 && payload[0] == '{') {
      return readJson(new String(payload, StandardCharsets.US_ASCII));
    }
    return Optional.empty();
  }

  private static Optional<Envelope> readBinary(ByteBuffer b) {
    b.getShort();
    if (b.get() != 1) {
      return Optional.empty();
    }
    long run = b.getLong();
    int stream = b.getShort() & 0xffff;
    long seq = b.getLong();
    long ts = b.getLong();
    int n = b.get() & 0xff;
    if (b.remaining() < n) {
      return Optional.empty();
    }
    byte[] id = new byte[n];
    b.get(id);
    return Optional.of(new Envelope(run, new String(id, StandardCharsets.UTF_8), stream, seq, ts));
  }

  private static Optional<Envelope> readJson(String s) {
    try {
      String run = field(s, "\"run\":\"", '"');
      String dev = field(s, "\"dev\":\"", '"');
      String st = field(s, "\"st\":", ',');
      String seq = field(s, "\"seq\":", ',');
      String ts = field(s, "\"ts\":", ',', '}');
      if (run == null || dev == null || st == null || seq == null || ts == null) {
        return Optional.empty();
      }
      return Optional.of(
          new Envelope(
              Long.parseUnsignedLong(run, 16),
              dev,
              Integer.parseInt(st),
              Long.parseLong(seq),
              Long.parseLong(ts)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String field(String s, String key, char... ends) {
    int i = s.indexOf(key);
    if (i < 0) {
      return null;
    }
    int from = i + key.length();
    for (int j = from; j < s.length(); j++) {
      for (char e : ends) {
        if (s.charAt(j) == e) {
          return s.substring(from, j);
        }
      }
    }
    return null;
  }
}
