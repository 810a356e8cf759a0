package io.edgemq.client.api;

import java.time.Duration;
import java.util.Map;

/**
 * The builders' shared checks. Names are checked with plain loops, not regular expressions: every
 * message built runs them, and a matcher costs more than the rest of the build.
 */
final class Validation {
  private Validation() {}

  /**
   * @param s a topic name
   * @return whether it is 1-127 characters of {@code [A-Za-z0-9_|%-]}
   */
  static boolean isTopicName(String s) {
    return s != null && s.length() <= 127 && isName(s, true);
  }

  /**
   * @param s a group name
   * @return whether it is 1-120 characters of {@code [A-Za-z0-9_|-]}
   */
  static boolean isGroupName(String s) {
    return s != null && s.length() <= 120 && isName(s, false);
  }

  private static boolean isName(String s, boolean percent) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '|'
              || c == '-'
              || (percent && c == '%');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param s a message id
   * @return whether it is 32 hex digits
   */
  static boolean isMessageId(String s) {
    if (s == null || s.length() != 32) {
      return false;
    }
    for (int i = 0; i < 32; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param s a string
   * @return its length in UTF-8 bytes, without encoding it
   */
  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  static void common(ClientConfig config, String group, int batch, Duration longPoll) {
    if (config == null) {
      throw new IllegalArgumentException("clientConfig is required");
    }
    if (!isGroupName(group)) {
      throw new IllegalArgumentException(
          "consumerGroup=" + group + ": 1-120 characters of [A-Za-z0-9_|-]");
    }
    if (batch < 1 || batch > 1024) {
      throw new IllegalArgumentException("pullBatchSize=" + batch + ": must be within 1-1024");
    }
    ClientConfig.positive(longPoll, "longPollTimeout");
  }

  static void subscriptions(Map<String, String> subscriptions) {
    subscriptions.forEach(
        (topic, expr) -> {
          topic(topic);
          String e = expr.trim();
          if (!e.isEmpty() && !e.equals("*")) {
            for (String tag : e.split("\\|\\|", -1)) {
              if (tag.isBlank() || tag.trim().equals("*")) {
                throw new IllegalArgumentException(
                    "tag expression " + expr + " of " + topic + ": expected * or a || b");
              }
            }
          }
        });
  }

  static void topic(String topic) {
    if (!isTopicName(topic)) {
      throw new IllegalArgumentException(
          "topic=" + topic + ": 1-127 characters of [A-Za-z0-9_|%-]");
    }
  }

  static void positive(int v, String name) {
    if (v < 1) {
      throw new IllegalArgumentException(name + "=" + v + ": must be >= 1");
    }
  }
}
