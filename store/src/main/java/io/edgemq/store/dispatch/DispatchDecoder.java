package io.edgemq.store.dispatch;

import static io.edgemq.store.commitlog.RecordDescriptor.*;

import io.edgemq.store.api.TagHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the dispatcher's view of a record straight from the mapped segment: no body, no
 * properties, key and id hashed in place, and the topic string reused while it repeats. One per
 * dispatcher thread.
 */
final class DispatchDecoder {
  private static final long[] NO_KEYS = new long[0];

  private byte[] lastTopicBytes = new byte[0];
  private String lastTopic = "";

  DispatchRecord decode(ByteBuffer buf, int pos) {
    int topicPos = pos + TOPIC_LENGTH_OFFSET + 2;
    int topicLen = u16(buf, pos + TOPIC_LENGTH_OFFSET);
    String topic = topic(buf, topicPos, topicLen);
    int p = topicPos + topicLen;
    int tagsLen = u16(buf, p);
    long tagHash = TagHash.of(buf, p + 2, tagsLen);
    p += 2 + tagsLen;
    int keyCount = u16(buf, p);
    p += 2;
    long[] keys = keyCount == 0 ? NO_KEYS : new long[keyCount];
    for (int i = 0; i < keyCount; i++) {
      int len = u16(buf, p);
      keys[i] = IndexKeys.forKey(buf, topicPos, topicLen, buf, p + 2, len);
      p += 2 + len;
    }
    return new DispatchRecord(
        topic,
        buf.getInt(pos + QUEUE_ID_OFFSET),
        buf.getLong(pos + QUEUE_OFFSET_OFFSET),
        buf.getLong(pos + PHYSICAL_OFFSET_OFFSET),
        buf.getInt(pos + TOTAL_SIZE_OFFSET),
        tagHash,
        buf.getLong(pos + STORE_TIMESTAMP_OFFSET),
        IndexKeys.forId(
            buf.getLong(pos + MESSAGE_ID_OFFSET), buf.getLong(pos + MESSAGE_ID_OFFSET + 8)),
        keys);
  }

  private String topic(ByteBuffer buf, int pos, int len) {
    if (len == lastTopicBytes.length) {
      boolean same = true;
      for (int i = 0; i < len && same; i++) {
        same = buf.get(pos + i) == lastTopicBytes[i];
      }
      if (same) {
        return lastTopic;
      }
    }
    byte[] bytes = new byte[len];
    buf.get(pos, bytes);
    lastTopicBytes = bytes;
    lastTopic = new String(bytes, StandardCharsets.US_ASCII);
    return lastTopic;
  }

  private static int u16(ByteBuffer b, int pos) {
    return b.getShort(pos) & 0xffff;
  }
}
