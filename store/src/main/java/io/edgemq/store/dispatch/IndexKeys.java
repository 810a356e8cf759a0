package io.edgemq.store.dispatch;

import io.edgemq.store.api.MessageId;

/**
 * How keys and ids are named in the index. Topics cannot contain '#', so the two forms never
 * collide.
 */
public final class IndexKeys {
  private IndexKeys() {}

  /**
   * The index key of a message key.
   *
   * @param topic the topic
   * @param key the message key
   * @return {@code topic#key}
   */
  public static String forKey(String topic, String key) {
    return topic + '#' + key;
  }

  /**
   * The index key of a message id.
   *
   * @param id the id
   * @return {@code #id#<hex>}
   */
  public static String forId(MessageId id) {
    return "#id#" + id;
  }
}
