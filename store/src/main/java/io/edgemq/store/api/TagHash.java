package io.edgemq.store.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The 64-bit tag hash kept in every consume-queue unit: FNV-1a over the tag's UTF-8 bytes, and 0
 * for no tag. Stable across versions: it is part of the on-disk format.
 */
public final class TagHash {
  private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private TagHash() {}

  /**
   * Hashes a tag.
   *
   * @param tag the tag, empty or null for none
   * @return the hash, 0 for none
   */
  public static long of(String tag) {
    if (tag == null || tag.isEmpty()) {
      return 0;
    }
    byte[] bytes = tag.getBytes(StandardCharsets.UTF_8);
    return of(ByteBuffer.wrap(bytes), 0, bytes.length);
  }

  /**
   * Hashes tag bytes in place.
   *
   * @param buf the buffer
   * @param offset where the UTF-8 bytes start
   * @param length how many bytes
   * @return the hash, 0 when length is 0
   */
  public static long of(ByteBuffer buf, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    long h = OFFSET_BASIS;
    for (int i = 0; i < length; i++) {
      h ^= buf.get(offset + i) & 0xff;
      h *= PRIME;
    }
    return h == 0 ? 1 : h;
  }
}
