package io.edgemq.broker.pop;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The pop log's bytes (big-endian). The file starts with the 8-byte {@link #MAGIC}, then records:
 *
 * <pre>
 *  0      4      8    9
 *  +------+------+----+---------------------------------------------+
 *  |length| crc  |kind| body                                        |
 *  +------+------+----+---------------------------------------------+
 *  length  int32   bytes from kind to the record's end
 *  crc     int32   CRC32C of those bytes
 *  kind    int8    1 RECEIVE, 2 ACK
 *  body    group (uint16 length + UTF-8), topic (the same), queueId int32, then
 *    RECEIVE: nextOffset int64, count int32, count entries of 36 bytes:
 *             offset int64, seq int64, invisibleUntilMs int64, attempt int32, commitLogOffset int64
 *    ACK:     offset int64, seq int64
 * </pre>
 *
 * A record that is cut short or fails its CRC ends the log (a torn write at a crash): replay stops
 * there and the file is truncated to the last whole record.
 */
final class PopRecordDescriptor {
  /** "EMQPOP" and the format version 1. */
  static final byte[] MAGIC = {'E', 'M', 'Q', 'P', 'O', 'P', 0, 1};

  static final int HEADER_BYTES = 8;
  static final int LENGTH_OFFSET = 0;
  static final int CRC_OFFSET = 4;
  static final int KIND_OFFSET = 8;
  static final int ENTRY_BYTES = 36;
  static final byte KIND_RECEIVE = 1;
  static final byte KIND_ACK = 2;

  /** No record is longer: a larger length means a torn or foreign file. */
  static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

  private PopRecordDescriptor() {}

  /**
   * @param r a record
   * @return its bytes, header included, ready to write
   */
  static ByteBuffer encode(PopRecord r) {
    byte[] group = r.key().group().getBytes(StandardCharsets.UTF_8);
    byte[] topic = r.key().topic().getBytes(StandardCharsets.UTF_8);
    int body =
        1
            + 2
            + group.length
            + 2
            + topic.length
            + 4
            + (r instanceof PopRecord.Receive rc ? 8 + 4 + rc.entries().size() * ENTRY_BYTES : 16);
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + body);
    b.putInt(body).putInt(0);
    b.put(r instanceof PopRecord.Receive ? KIND_RECEIVE : KIND_ACK);
    b.putShort((short) group.length).put(group);
    b.putShort((short) topic.length).put(topic);
    b.putInt(r.key().queueId());
    if (r instanceof PopRecord.Receive rc) {
      b.putLong(rc.nextOffset()).putInt(rc.entries().size());
      for (InFlight f : rc.entries()) {
        b.putLong(f.offset())
            .putLong(f.seq())
            .putLong(f.invisibleUntilMs())
            .putInt(f.attempt())
            .putLong(f.commitLogOffset());
      }
    } else {
      PopRecord.Ack a = (PopRecord.Ack) r;
      b.putLong(a.offset()).putLong(a.seq());
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), KIND_OFFSET, body);
    b.putInt(CRC_OFFSET, (int) crc.getValue());
    return b.flip();
  }

  /**
   * Decodes the record at the buffer's position and moves past it.
   *
   * @param b the log's bytes
   * @return the record, or null when the rest is not a whole, valid record (the log ends there)
   */
  static PopRecord decode(ByteBuffer b) {
    if (b.remaining() < HEADER_BYTES) {
      return null;
    }
    int start = b.position();
    int length = b.getInt(start + LENGTH_OFFSET);
    if (length < 1 || length > MAX_RECORD_BYTES || b.remaining() < HEADER_BYTES + length) {
      return null;
    }
    CRC32C crc = new CRC32C();
    ByteBuffer body = b.slice(start + KIND_OFFSET, length);
    crc.update(body.duplicate());
    if ((int) crc.getValue() != b.getInt(start + CRC_OFFSET)) {
      return null;
    }
    try {
      PopRecord r = decodeBody(body);
      b.position(start + HEADER_BYTES + length);
      return r;
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      return null;
    }
  }

  private static PopRecord decodeBody(ByteBuffer b) {
    byte kind = b.get();
    QueueKey key = new QueueKey(string(b), string(b), b.getInt());
    if (kind == KIND_ACK) {
      return new PopRecord.Ack(key, b.getLong(), b.getLong());
    }
    if (kind != KIND_RECEIVE) {
      throw new IllegalArgumentException("unknown kind " + kind);
    }
    long next = b.getLong();
    int count = b.getInt();
    if (count < 0 || count > b.remaining() / ENTRY_BYTES) {
      throw new IllegalArgumentException("bad count " + count);
    }
    List<InFlight> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      entries.add(new InFlight(b.getLong(), b.getLong(), b.getLong(), b.getInt(), b.getLong()));
    }
    return new PopRecord.Receive(key, next, entries);
  }

  private static String string(ByteBuffer b) {
    int n = Short.toUnsignedInt(b.getShort());
    byte[] bytes = new byte[n];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
