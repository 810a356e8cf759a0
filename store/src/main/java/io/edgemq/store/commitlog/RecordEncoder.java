package io.edgemq.store.commitlog;

import static io.edgemq.store.commitlog.RecordDescriptor.*;

import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.AppendStatus;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Encodes messages into records in a reusable heap buffer, one encoder per writer thread. Runs
 * before the append lock; under the lock only {@link #seal} patches the fields the log assigns.
 */
final class RecordEncoder {

  private final int maxBodyBytes;
  private final byte[] storeHost;
  private final CRC32C crc = new CRC32C();
  private ByteBuffer buf = ByteBuffer.allocate(4096);

  RecordEncoder(int maxBodyBytes, InetSocketAddress storeHost) {
    this.maxBodyBytes = maxBodyBytes;
    this.storeHost = HostCodec.encode(storeHost);
  }

  /**
   * Checks what the caller controls, so bad input is refused before any byte is written.
   *
   * @return a failure, or null when valid
   */
  AppendResult validate(Message m) {
    String topic = m.topic();
    if (!isValidTopic(topic)) {
      return AppendResult.failed(
          AppendStatus.TOPIC_INVALID,
          "topic must be 1-"
              + MAX_TOPIC_LENGTH
              + " characters of [%|A-Za-z0-9_-]: '"
              + topic
              + "'");
    }
    if (m.queueId() < 0 || m.queueId() > 65_535) {
      return AppendResult.failed(
          AppendStatus.MESSAGE_INVALID, "queue id must be in [0, 65535]: " + m.queueId());
    }
    if (m.bodyLength() > maxBodyBytes) {
      return AppendResult.failed(
          AppendStatus.MESSAGE_TOO_LARGE,
          "body of " + m.bodyLength() + " bytes exceeds maxMessageBytes=" + maxBodyBytes);
    }
    if (utf8Length(m.tags()) > MAX_TAGS_LENGTH) {
      return AppendResult.failed(
          AppendStatus.MESSAGE_INVALID, "tags longer than " + MAX_TAGS_LENGTH + " bytes");
    }
    if (m.keys().size() > MAX_KEY_COUNT) {
      return AppendResult.failed(
          AppendStatus.MESSAGE_INVALID, "more than " + MAX_KEY_COUNT + " keys");
    }
    for (String k : m.keys()) {
      if (k.isEmpty() || utf8Length(k) > MAX_KEY_LENGTH) {
        return AppendResult.failed(
            AppendStatus.MESSAGE_INVALID, "a key must be 1-" + MAX_KEY_LENGTH + " bytes");
      }
    }
    int props = 0;
    for (Map.Entry<String, String> e : m.properties().entrySet()) {
      props += 4 + utf8Length(e.getKey()) + utf8Length(e.getValue());
    }
    if (props > MAX_PROPERTIES_LENGTH || m.properties().size() > 65_535) {
      return AppendResult.failed(
          AppendStatus.MESSAGE_INVALID,
          "properties take " + props + " bytes, more than " + MAX_PROPERTIES_LENGTH);
    }
    return null;
  }

  /** Clears the buffer before encoding a new record or batch. */
  void reset() {
    buf.clear();
  }

  /**
   * Appends one record to the buffer. Fields the log assigns are left zero.
   *
   * @return the record's start in the buffer
   */
  int encode(Message m, MessageId id) {
    byte[] topic = m.topic().getBytes(StandardCharsets.US_ASCII);
    byte[] tags = m.tags().getBytes(StandardCharsets.UTF_8);
    byte[][] keys = new byte[m.keys().size()][];
    int keysLength = 0;
    for (int i = 0; i < keys.length; i++) {
      keys[i] = m.keys().get(i).getBytes(StandardCharsets.UTF_8);
      keysLength += 2 + keys[i].length;
    }
    byte[][] props = new byte[2 * m.properties().size()][];
    int propsLength = 0;
    int p = 0;
    for (Map.Entry<String, String> e : m.properties().entrySet()) {
      props[p] = e.getKey().getBytes(StandardCharsets.UTF_8);
      props[p + 1] = e.getValue().getBytes(StandardCharsets.UTF_8);
      propsLength += 4 + props[p].length + props[p + 1].length;
      p += 2;
    }
    int size = recordLength(topic.length, tags.length, keysLength, propsLength, m.bodyLength());
    ensure(size);
    int start = buf.position();
    buf.putInt(size).putInt(MESSAGE_MAGIC).putInt(0).putInt(m.flags());
    buf.putLong(0).putLong(0).putLong(m.bornTimestamp()).putLong(0);
    buf.putLong(id.high()).putLong(id.low());
    buf.put(HostCodec.encode(m.bornHost())).put(storeHost);
    buf.putInt(m.queueId());
    putShortBytes(topic);
    putShortBytes(tags);
    buf.putShort((short) keys.length);
    for (byte[] k : keys) {
      putShortBytes(k);
    }
    buf.putShort((short) m.properties().size());
    for (byte[] b : props) {
      putShortBytes(b);
    }
    buf.putInt(m.bodyLength());
    buf.put(m.bodyBuffer());
    return start;
  }

  /**
   * Fills in what the log assigns and computes the checksum. Called under the append lock.
   *
   * @param start the record's start in the buffer
   * @return the record's size
   */
  int seal(int start, long queueOffset, long physicalOffset, long storeTimestamp) {
    int size = buf.getInt(start + TOTAL_SIZE_OFFSET);
    buf.putLong(start + QUEUE_OFFSET_OFFSET, queueOffset);
    buf.putLong(start + PHYSICAL_OFFSET_OFFSET, physicalOffset);
    buf.putLong(start + STORE_TIMESTAMP_OFFSET, storeTimestamp);
    crc.reset();
    crc.update(buf.array(), start + CRC_START, size - CRC_START);
    buf.putInt(start + CRC_OFFSET, (int) crc.getValue());
    return size;
  }

  /**
   * @return the backing array; valid bytes are [0, {@link #length()})
   */
  byte[] array() {
    return buf.array();
  }

  /**
   * @return bytes encoded since the last reset
   */
  int length() {
    return buf.position();
  }

  private void putShortBytes(byte[] b) {
    buf.putShort((short) b.length);
    buf.put(b);
  }

  private void ensure(int more) {
    if (buf.remaining() >= more) {
      return;
    }
    int need = buf.position() + more;
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, buf.capacity() * 2));
    buf.flip();
    bigger.put(buf);
    buf = bigger;
  }

  /** {@code [%|A-Za-z0-9_-]{1,127}}, checked by hand: a regex costs a fifth of an append. */
  static boolean isValidTopic(String topic) {
    int n = topic.length();
    if (n == 0 || n > MAX_TOPIC_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = topic.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-'
              || c == '%'
              || c == '|';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
