package io.edgemq.gateway.mapping;

import java.util.regex.Pattern;

/**
 * The broker's rules for topic names, tags and keys, and how MQTT-derived text is made to follow
 * them. Mirrors the checks of the client's {@code Message.Builder}, so a route never fails there.
 */
final class BrokerNames {
  /** Longest tag and key in UTF-8 bytes. */
  static final int MAX_TAG_BYTES = 1024;

  /** Most keys per message. */
  static final int MAX_KEYS = 64;

  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_|%-]{1,127}");
  private static final Pattern PIPES = Pattern.compile("\\|{2,}");

  private BrokerNames() {}

  /**
   * Whether a name may be written to by MQTT clients: the broker's topic pattern, and not a system
   * topic ({@code %...}), which hold the broker's own state such as retained messages.
   */
  static boolean isUserTopic(String name) {
    return name != null && TOPIC.matcher(name).matches() && !name.startsWith("%");
  }

  static String checkUserTopic(String name, String what) {
    if (!isUserTopic(name)) {
      throw new IllegalArgumentException(
          what
              + " '"
              + name
              + "': 1-127 characters of [A-Za-z0-9_|%-] required, not starting with '%'");
    }
    return name;
  }

  /**
   * Makes text a valid tag: runs of {@code |} shrink to one (the broker splits tag expressions at
   * {@code ||}), the text is cut to 1 KiB, and surrounding white space goes (tag expressions trim
   * it, so such a tag could never be selected).
   *
   * @return the tag, or null for none when nothing is left or it is {@code *} (which selects all)
   */
  static String sanitizeTag(String text) {
    if (text == null) {
      return null;
    }
    String tag = text.indexOf("||") >= 0 ? PIPES.matcher(text).replaceAll("|") : text;
    tag = truncateUtf8(tag, MAX_TAG_BYTES).strip();
    return tag.isEmpty() || tag.equals("*") ? null : tag;
  }

  /**
   * Makes text a valid key: each white-space character becomes {@code _} (keys are indexed as
   * space-separated words), and the text is cut to 1 KiB.
   *
   * @return the key, or null for none when the text is empty
   */
  static String sanitizeKey(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        if (sb == null) {
          sb = new StringBuilder(text);
        }
        sb.setCharAt(i, '_');
      }
    }
    return truncateUtf8(sb == null ? text : sb.toString(), MAX_TAG_BYTES);
  }

  /** Cuts text to at most maxBytes of UTF-8 without splitting a character. */
  static String truncateUtf8(String text, int maxBytes) {
    if (text.length() * 3 <= maxBytes) {
      return text;
    }
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int n = utf8Length(cp);
      if (bytes + n > maxBytes) {
        return text.substring(0, i);
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    return text;
  }

  private static int utf8Length(int cp) {
    if (cp < 0x80) {
      return 1;
    }
    if (cp < 0x800) {
      return 2;
    }
    return cp < 0x10000 ? 3 : 4;
  }
}
