package io.edgemq.store.commitlog;

import static io.edgemq.store.commitlog.RecordDescriptor.*;

import io.edgemq.store.api.MessageId;
import io.edgemq.store.api.StoredMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/** Reads records laid out by {@link RecordDescriptor}. Stateless; safe from any thread. */
public final class RecordDecoder {

  /** What lies at a position of a segment. */
  public enum Kind {
    /** A message record with a valid checksum. */
    MESSAGE,
    /** The blank that pads the segment's end. */
    BLANK,
    /** Zeros: the end of the log. */
    END,
    /** Anything else: a torn or corrupted record. */
    INVALID
  }

  /**
   * The outcome of {@link #check}.
   *
   * @param kind what was found
   * @param size the record's size (for INVALID, the size field as read)
   * @param reason why it is invalid, else empty
   */
  public record Check(Kind kind, int size, String reason) {}

  private RecordDecoder() {}

  /**
   * Checks the record at a position: magic, size, position, and checksum.
   *
   * @param seg a view of the segment
   * @param pos the position in the segment
   * @param segmentBase the segment's base offset, to check the physical-offset field
   * @return what is there
   */
  public static Check check(ByteBuffer seg, int pos, long segmentBase) {
    return check(seg, pos, segmentBase, true);
  }

  /**
   * Checks the record at a position, optionally without the checksum: the dispatcher skips it for
   * records this process has just written, and keeps it for what recovery re-dispatches.
   *
   * @param seg a view of the segment
   * @param pos the position in the segment
   * @param segmentBase the segment's base offset
   * @param verifyCrc whether to compute and compare the CRC32C
   * @return what is there
   */
  public static Check check(ByteBuffer seg, int pos, long segmentBase, boolean verifyCrc) {
    int limit = seg.capacity();
    if (pos + BLANK_MIN_LENGTH > limit) {
      return new Check(Kind.INVALID, 0, "no room for a record header at " + pos);
    }
    int size = seg.getInt(pos + TOTAL_SIZE_OFFSET);
    int magic = seg.getInt(pos + MAGIC_OFFSET);
    if (size == 0 && magic == 0) {
      return new Check(Kind.END, 0, "");
    }
    if (magic == BLANK_MAGIC) {
      return pos + size == limit
          ? new Check(Kind.BLANK, size, "")
          : new Check(Kind.INVALID, size, "blank record does not reach the segment end");
    }
    if (magic != MESSAGE_MAGIC) {
      return new Check(Kind.INVALID, size, String.format("bad magic 0x%08x", magic));
    }
    if (size < MIN_RECORD_LENGTH || size > limit - pos) {
      return new Check(Kind.INVALID, size, "bad total size " + size);
    }
    long phys = seg.getLong(pos + PHYSICAL_OFFSET_OFFSET);
    if (phys != segmentBase + pos) {
      return new Check(Kind.INVALID, size, "physical offset field says " + phys);
    }
    if (verifyCrc && seg.getInt(pos + CRC_OFFSET) != crc(seg, pos, size)) {
      return new Check(Kind.INVALID, size, "CRC32C mismatch");
    }
    return new Check(Kind.MESSAGE, size, "");
  }

  /**
   * The checksum of a record as it should be stored.
   *
   * @param buf the buffer
   * @param pos the record's start
   * @param size the record's size
   * @return the CRC32C of bytes [pos + 12, pos + size)
   */
  public static int crc(ByteBuffer buf, int pos, int size) {
    CRC32C c = new CRC32C();
    c.update(buf.duplicate().limit(pos + size).position(pos + CRC_START));
    return (int) c.getValue();
  }

  /**
   * Decodes a whole message. The caller checked it first.
   *
   * @param buf a buffer holding the record
   * @param pos the record's start
   * @return the message; its body is a view of {@code buf}
   * @throws RuntimeException (IndexOutOfBounds, IllegalArgument) on malformed bytes
   */
  public static StoredMessage decode(ByteBuffer buf, int pos) {
    int size = buf.getInt(pos + TOTAL_SIZE_OFFSET);
    int p = pos + TOPIC_LENGTH_OFFSET;
    int topicLen = u16(buf, p);
    String topic = string(buf, p + 2, topicLen);
    p += 2 + topicLen;
    int tagsLen = u16(buf, p);
    String tags = string(buf, p + 2, tagsLen);
    p += 2 + tagsLen;
    int keyCount = u16(buf, p);
    p += 2;
    List<String> keys = new ArrayList<>(keyCount);
    for (int i = 0; i < keyCount; i++) {
      int len = u16(buf, p);
      keys.add(string(buf, p + 2, len));
      p += 2 + len;
    }
    int propCount = u16(buf, p);
    p += 2;
    Map<String, String> props = new LinkedHashMap<>();
    for (int i = 0; i < propCount; i++) {
      int kl = u16(buf, p);
      String k = string(buf, p + 2, kl);
      p += 2 + kl;
      int vl = u16(buf, p);
      props.put(k, string(buf, p + 2, vl));
      p += 2 + vl;
    }
    int bodyLen = buf.getInt(p);
    p += 4;
    if (bodyLen < 0 || p + bodyLen != pos + size) {
      throw new IllegalArgumentException("body length " + bodyLen + " does not fit the record");
    }
    ByteBuffer body = buf.slice(p, bodyLen);
    return new StoredMessage(
        new MessageId(
            buf.getLong(pos + MESSAGE_ID_OFFSET), buf.getLong(pos + MESSAGE_ID_OFFSET + 8)),
        topic,
        buf.getInt(pos + QUEUE_ID_OFFSET),
        buf.getLong(pos + QUEUE_OFFSET_OFFSET),
        buf.getLong(pos + PHYSICAL_OFFSET_OFFSET),
        size,
        tags,
        keys,
        props,
        body,
        buf.getLong(pos + BORN_TIMESTAMP_OFFSET),
        buf.getLong(pos + STORE_TIMESTAMP_OFFSET),
        HostCodec.decode(buf, pos + BORN_HOST_OFFSET),
        HostCodec.decode(buf, pos + STORE_HOST_OFFSET),
        buf.getInt(pos + FLAGS_OFFSET));
  }

  private static int u16(ByteBuffer b, int pos) {
    return b.getShort(pos) & 0xffff;
  }

  private static String string(ByteBuffer b, int pos, int len) {
    byte[] bytes = new byte[len];
    b.get(pos, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
