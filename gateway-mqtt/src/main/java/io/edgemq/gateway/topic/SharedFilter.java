package io.edgemq.gateway.topic;

import java.util.Optional;

/**
 * A shared subscription, MQTT 5.0 section 4.8.2: {@code $share/{shareName}/{filter}}. Sessions
 * subscribed with the same share name and filter form one group, and each message goes to one of
 * them.
 *
 * @param shareName the group's name: not empty, without {@code /}, {@code +}, {@code #} or U+0000
 * @param filter the topic filter the group subscribes to
 */
public record SharedFilter(String shareName, String filter) {
  private static final String PREFIX = "$share/";

  /**
   * @throws InvalidTopicException if the share name or the filter breaks the rules
   */
  public SharedFilter {
    if (shareName == null || shareName.isEmpty()) {
      throw new InvalidTopicException("shared subscription: the share name must not be empty");
    }
    for (int i = 0; i < shareName.length(); i++) {
      char c = shareName.charAt(i);
      if (c == '/' || c == '+' || c == '#' || c == '\u0000') {
        throw new InvalidTopicException(
            "shared subscription: share name '"
                + shareName
                + "' must not contain '/', '+', '#' or U+0000");
      }
    }
    Topics.validateFilter(filter);
  }

  /**
   * Splits a SUBSCRIBE or UNSUBSCRIBE topic filter into share name and filter when its first level
   * is {@code $share}. A filter that is not shared is returned as empty without being checked; the
   * caller checks it with {@link Topics#validateFilter}.
   *
   * @param subscribeFilter the filter as the client sent it
   * @return the shared filter, or empty if the first level is not {@code $share}
   * @throws InvalidTopicException if it starts with {@code $share} but is malformed
   */
  public static Optional<SharedFilter> parse(String subscribeFilter) {
    if (subscribeFilter == null || !subscribeFilter.startsWith("$share")) {
      return Optional.empty();
    }
    // "$shared/x" is an ordinary filter; only a first level of exactly "$share" is shared
    if (subscribeFilter.length() > 6 && subscribeFilter.charAt(6) != '/') {
      return Optional.empty();
    }
    int slash = subscribeFilter.indexOf('/', PREFIX.length());
    if (subscribeFilter.length() <= PREFIX.length() || slash < 0) {
      throw new InvalidTopicException(
          "shared subscription '"
              + subscribeFilter
              + "' must have the form $share/{ShareName}/{filter}");
    }
    return Optional.of(
        new SharedFilter(
            subscribeFilter.substring(PREFIX.length(), slash),
            subscribeFilter.substring(slash + 1)));
  }

  /**
   * @return the filter as a client writes it: {@code $share/{shareName}/{filter}}
   */
  public String toSubscribeFilter() {
    return PREFIX + shareName + "/" + filter;
  }
}
