package io.edgemq.store.dispatch;

import io.edgemq.store.api.MessageId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The 64-bit index hashes of message keys and ids. A key is indexed as FNV-1a 64 over the UTF-8
 * bytes of {@code topic#key} (topics cannot contain '#'); the dispatcher hashes straight from the
 * record's bytes, queries hash the strings, and both give the same value. An id is indexed as a mix
 * of its two halves. A collision only costs a record read: the store checks the real key or id.
 */
public final class IndexKeys {
  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private IndexKeys() {}

  /**
   * The hash of a key, from strings.
   *
   * @param topic the topic
   * @param key the message key
   * @return the hash of {@code topic#key}
   */
  public static long forKey(String topic, String key) {
    byte[] t = topic.getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return forKey(ByteBuffer.wrap(t), 0, t.length, ByteBuffer.wrap(k), 0, k.length);
  }

  /**
   * The hash of a key, from bytes in place.
   *
   * @param topicBuf holds the topic
   * @param topicPos where it starts
   * @param topicLen its length
   * @param keyBuf holds the key
   * @param keyPos where it starts
   * @param keyLen its length
   * @return the hash of {@code topic#key}
   */
  public static long forKey(
      ByteBuffer topicBuf, int topicPos, int topicLen, ByteBuffer keyBuf, int keyPos, int keyLen) {
    long h = fnv(FNV_OFFSET_BASIS, topicBuf, topicPos, topicLen);
    h = (h ^ '#') * FNV_PRIME;
    return fnv(h, keyBuf, keyPos, keyLen);
  }

  /**
   * The hash of a message id.
   *
   * @param id the id
   * @return a well-mixed 64-bit value
   */
  public static long forId(MessageId id) {
    return forId(id.high(), id.low());
  }

  /**
   * The hash of a message id from its halves.
   *
   * @param high the first 8 bytes
   * @param low the last 8 bytes
   * @return a well-mixed 64-bit value
   */
  public static long forId(long high, long low) {
    long h = high * 0x9E3779B97F4A7C15L + low;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  private static long fnv(long h, ByteBuffer b, int pos, int len) {
    for (int i = 0; i < len; i++) {
      h ^= b.get(pos + i) & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }
}
