package io.edgemq.gateway.topic;

import java.nio.charset.StandardCharsets;

/**
 * The MQTT rules for topic names (what a PUBLISH carries) and topic filters (what a SUBSCRIBE
 * carries), MQTT 3.1.1 section 4.7 and MQTT 5.0 section 4.7, and wildcard matching between them.
 *
 * <p>Levels are separated by {@code /}; an empty level is a valid level. {@code +} matches exactly
 * one level, {@code #} matches the parent level and any number of levels below it. A topic whose
 * first character is {@code $} is not matched by a filter that starts with a wildcard.
 */
public final class Topics {
  /** Longest topic in UTF-8 bytes: the MQTT string length prefix is two bytes. */
  public static final int MAX_BYTES = 65_535;

  private Topics() {}

  /**
   * Checks a topic name as carried by a PUBLISH or a will.
   *
   * @param topic the topic name
   * @throws InvalidTopicException if it is empty, too long, holds U+0000 or a wildcard
   */
  public static void validateName(String topic) {
    checkCommon(topic, "topic name");
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (c == '+' || c == '#') {
        throw new InvalidTopicException("topic name '" + topic + "' must not contain wildcards");
      }
    }
  }

  /**
   * Checks a topic filter as carried by a SUBSCRIBE or an UNSUBSCRIBE (without a {@code $share}
   * prefix; see {@link SharedFilter#parse}).
   *
   * @param filter the topic filter
   * @throws InvalidTopicException if it is empty, too long, holds U+0000 or misplaces a wildcard
   */
  public static void validateFilter(String filter) {
    checkCommon(filter, "topic filter");
    int levelStart = 0;
    for (int i = 0; i <= filter.length(); i++) {
      if (i == filter.length() || filter.charAt(i) == '/') {
        String level = filter.substring(levelStart, i);
        if (level.length() > 1 && (level.indexOf('+') >= 0 || level.indexOf('#') >= 0)) {
          throw new InvalidTopicException(
              "topic filter '" + filter + "': a wildcard must occupy a whole level");
        }
        if (level.equals("#") && i != filter.length()) {
          throw new InvalidTopicException(
              "topic filter '" + filter + "': '#' must be the last level");
        }
        levelStart = i + 1;
      }
    }
  }

  /**
   * @param filter a topic filter
   * @return whether it holds {@code +} or {@code #}
   */
  public static boolean hasWildcard(String filter) {
    return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
  }

  /**
   * Whether a valid filter matches a valid topic name.
   *
   * @param filter a valid topic filter
   * @param topic a valid topic name
   * @return true if a subscription to {@code filter} receives a PUBLISH to {@code topic}
   */
  public static boolean matches(String filter, String topic) {
    if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
      return false;
    }
    int f = 0;
    int t = 0;
    while (true) {
      int fEnd = levelEnd(filter, f);
      String fLevel = filter.substring(f, fEnd);
      if (fLevel.equals("#")) {
        return true;
      }
      int tEnd = levelEnd(topic, t);
      if (!fLevel.equals("+") && !fLevel.equals(topic.substring(t, tEnd))) {
        return false;
      }
      boolean filterDone = fEnd == filter.length();
      boolean topicDone = tEnd == topic.length();
      if (filterDone || topicDone) {
        if (filterDone && topicDone) {
          return true;
        }
        // only "x/#" may match past the end of the topic
        return topicDone && filter.startsWith("#", fEnd + 1) && fEnd + 2 == filter.length();
      }
      f = fEnd + 1;
      t = tEnd + 1;
    }
  }

  /**
   * Whether every topic that {@code inner} matches is also matched by {@code outer}; used by ACLs
   * to decide whether a subscription stays inside what a client may read.
   *
   * @param outer a valid topic filter
   * @param inner a valid topic filter
   * @return true if {@code outer} covers {@code inner}
   */
  public static boolean covers(String outer, String inner) {
    if (inner.startsWith("$") && (outer.startsWith("+") || outer.startsWith("#"))) {
      return false;
    }
    String[] o = outer.split("/", -1);
    String[] i = inner.split("/", -1);
    for (int k = 0; k < o.length; k++) {
      if (o[k].equals("#")) {
        return true;
      }
      if (k >= i.length) {
        return false;
      }
      if (i[k].equals("#")) {
        // inner matches its k-level parent too, unless that parent is no topic: k == 0, or the
        // empty string ("/#"); only then can outer's "+/#" at this level cover it
        boolean noParent = k == 0 || k == 1 && i[0].isEmpty();
        return noParent && o[k].equals("+") && o.length == k + 2 && o[k + 1].equals("#");
      }
      if (!o[k].equals("+") && !o[k].equals(i[k])) {
        return false;
      }
    }
    return o.length == i.length;
  }

  /**
   * Whether some topic name is matched by both filters; used to find the broker topics that can
   * hold messages for a subscription.
   *
   * @param a a valid topic filter
   * @param b a valid topic filter
   * @return true if at least one topic name matches both
   */
  public static boolean overlap(String a, String b) {
    String[] x = a.split("/", -1);
    String[] y = b.split("/", -1);
    int n = Math.min(x.length, y.length);
    for (int k = 0; k < n; k++) {
      if (x[k].equals("#") || y[k].equals("#")) {
        return k != 0 || !(startsWithDollar(x[0]) || startsWithDollar(y[0]));
      }
      boolean wildX = x[k].equals("+");
      boolean wildY = y[k].equals("+");
      if (k == 0 && (wildX && startsWithDollar(y[0]) || wildY && startsWithDollar(x[0]))) {
        return false;
      }
      if (!wildX && !wildY && !x[k].equals(y[k])) {
        return false;
      }
    }
    if (x.length == y.length) {
      return true;
    }
    // the longer one may only continue with "#", which also matches its parent level; but that
    // parent is no topic when it would be the empty string ("+" or "" against "/#")
    String[] longer = x.length > y.length ? x : y;
    boolean parentIsEmpty = n == 1 && (x[0].isEmpty() || y[0].isEmpty());
    return longer.length == n + 1 && longer[n].equals("#") && !parentIsEmpty;
  }

  private static boolean startsWithDollar(String level) {
    return level.startsWith("$");
  }

  private static int levelEnd(String s, int from) {
    int slash = s.indexOf('/', from);
    return slash < 0 ? s.length() : slash;
  }

  private static void checkCommon(String topic, String what) {
    if (topic == null || topic.isEmpty()) {
      throw new InvalidTopicException(what + " must not be empty");
    }
    if (topic.indexOf('\u0000') >= 0) {
      throw new InvalidTopicException(what + " '" + topic + "' must not contain U+0000");
    }
    if (topic.length() > MAX_BYTES / 3
        && topic.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new InvalidTopicException(what + " is longer than " + MAX_BYTES + " bytes");
    }
  }
}
