package io.edgemq.gateway.link;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The consumer groups of the gateway's feeds. A group name is 1-120 characters of {@code
 * [A-Za-z0-9_|-]}; topics may hold {@code %} and share names almost anything, and the parts join
 * with {@code -}, which they may contain too. So a readable name is used only when it is valid and
 * can be read back unambiguously; otherwise characters outside {@code [A-Za-z0-9_-]} become {@code
 * _}, the name is cut, and a hash of the exact parts is appended, so two different feeds never
 * share a group.
 */
final class GroupNames {
  /** A gateway node id. */
  static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

  private static final int MAX_LENGTH = 120;
  private static final int HASH_CHARS = 12;
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_]+");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]+");

  private GroupNames() {}

  /**
   * The group of one node's feed of a topic: {@code gw-{nodeId}-{topic}}. It never has members and
   * the feed never relies on its offsets, so names of two nodes that read alike do no harm.
   *
   * @param nodeId a valid node id
   * @param topic the broker topic
   * @return the group name
   */
  static String feed(String nodeId, String topic) {
    String readable = "gw-" + nodeId + "-" + topic;
    return TOPIC.matcher(topic).matches() && readable.length() <= MAX_LENGTH
        ? readable
        : hashed(readable, "feed\n" + nodeId + "\n" + topic);
  }

  /**
   * The group shared by every node for a share name and topic: {@code gw-share-{share}-{topic}}
   * when the share name has no {@code -} (so the first {@code -} after the prefix ends it).
   *
   * @param shareGroup the MQTT share name
   * @param topic the broker topic
   * @return the group name
   */
  static String shared(String shareGroup, String topic) {
    String readable = "gw-share-" + shareGroup + "-" + topic;
    return WORD.matcher(shareGroup).matches()
            && TOPIC.matcher(topic).matches()
            && readable.length() <= MAX_LENGTH
        ? readable
        : hashed(readable, "share\n" + shareGroup + "\n" + topic);
  }

  private static String hashed(String readable, String exact) {
    StringBuilder sb = new StringBuilder(readable.length());
    for (int i = 0; i < readable.length(); i++) {
      char c = readable.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      sb.append(ok ? c : '_');
    }
    String hash = "-h" + sha256(exact).substring(0, HASH_CHARS);
    int keep = Math.min(sb.length(), MAX_LENGTH - hash.length());
    return sb.substring(0, keep) + hash;
  }

  /**
   * @param topic a broker topic name
   * @return whether it is 1-127 characters of {@code [A-Za-z0-9_-]}
   */
  static boolean isPlainTopic(String topic) {
    return topic.length() <= 127 && TOPIC.matcher(topic).matches();
  }

  static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
