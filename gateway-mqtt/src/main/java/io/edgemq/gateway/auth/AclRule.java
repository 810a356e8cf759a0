package io.edgemq.gateway.auth;

import io.edgemq.gateway.topic.Topics;
import java.util.Locale;

/**
 * One line of an ACL file: {@code allow|deny <who> publish|subscribe|pubsub <topic filter>}.
 *
 * <p>{@code <who>} is {@code all}, {@code anonymous}, {@code user:<name>} or {@code client:<glob>}
 * ({@code *} any run of characters, {@code ?} one character, matched against the client id). The
 * filter is the rest of the line, so it may hold spaces, and may use {@code %u} (the verified
 * username) and {@code %c} (the client id), substituted when a request is checked.
 *
 * @param allow true for {@code allow}, false for {@code deny}
 * @param who whom the rule is about
 * @param action which requests the rule is about
 * @param filter the topic filter, placeholders unsubstituted
 */
public record AclRule(boolean allow, Who who, Action action, String filter) {

  /** Which requests a rule is about. */
  public enum Action {
    /** PUBLISH (and wills). */
    PUBLISH,
    /** SUBSCRIBE. */
    SUBSCRIBE,
    /** Both. */
    PUBSUB;

    boolean includesPublish() {
      return this != SUBSCRIBE;
    }

    boolean includesSubscribe() {
      return this != PUBLISH;
    }
  }

  /** The kinds of {@code <who>}. */
  public enum Kind {
    /** Every client. */
    ALL,
    /** Clients without a verified username. */
    ANONYMOUS,
    /** The client authenticated as one username. */
    USER,
    /** Clients whose id matches a glob. */
    CLIENT
  }

  /**
   * Whom a rule is about.
   *
   * @param kind the kind
   * @param value the username for {@link Kind#USER}, the glob for {@link Kind#CLIENT}, else null
   */
  public record Who(Kind kind, String value) {

    /**
     * Checks the combination.
     *
     * @throws IllegalArgumentException if a user or client kind has no value, or another kind has
     *     one
     */
    public Who {
      boolean needsValue = kind == Kind.USER || kind == Kind.CLIENT;
      if (kind == null || needsValue != (value != null && !value.isEmpty())) {
        throw new IllegalArgumentException(
            "who " + kind + " " + (needsValue ? "needs a value" : "takes no value"));
      }
    }

    /**
     * @param clientId the client id
     * @param username the verified username, or null if anonymous
     * @return whether the rule is about this client
     */
    public boolean matches(String clientId, String username) {
      return switch (kind) {
        case ALL -> true;
        case ANONYMOUS -> username == null;
        case USER -> value.equals(username);
        case CLIENT -> glob(value, clientId);
      };
    }

    static Who parse(String token) {
      if (token.equals("all")) {
        return new Who(Kind.ALL, null);
      }
      if (token.equals("anonymous")) {
        return new Who(Kind.ANONYMOUS, null);
      }
      if (token.startsWith("user:")) {
        String name = token.substring("user:".length());
        PasswordFile.validateUsername(name);
        return new Who(Kind.USER, name);
      }
      if (token.startsWith("client:") && token.length() > "client:".length()) {
        return new Who(Kind.CLIENT, token.substring("client:".length()));
      }
      throw new IllegalArgumentException(
          "unknown <who> '" + token + "', expected all, anonymous, user:<name> or client:<glob>");
    }

    @Override
    public String toString() {
      return value == null ? kind.name().toLowerCase(Locale.ROOT) : kindPrefix() + value;
    }

    private String kindPrefix() {
      return kind == Kind.USER ? "user:" : "client:";
    }
  }

  /**
   * Parses one rule.
   *
   * @param line a rule line, not blank and not a comment
   * @return the rule
   * @throws IllegalArgumentException naming what is wrong with the line
   */
  public static AclRule parse(String line) {
    String[] parts = line.strip().split("\\s+", 4);
    if (parts.length < 4) {
      throw new IllegalArgumentException(
          "expected 'allow|deny <who> publish|subscribe|pubsub <topic filter>'");
    }
    boolean allow =
        switch (parts[0]) {
          case "allow" -> true;
          case "deny" -> false;
          default ->
              throw new IllegalArgumentException(
                  "unknown permission '" + parts[0] + "', expected allow or deny");
        };
    Who who = Who.parse(parts[1]);
    Action action =
        switch (parts[2]) {
          case "publish" -> Action.PUBLISH;
          case "subscribe" -> Action.SUBSCRIBE;
          case "pubsub" -> Action.PUBSUB;
          default ->
              throw new IllegalArgumentException(
                  "unknown action '" + parts[2] + "', expected publish, subscribe or pubsub");
        };
    return new AclRule(allow, who, action, parts[3]);
  }

  /**
   * Validates the rule.
   *
   * @throws IllegalArgumentException if the filter is invalid (with any placeholder standing for a
   *     plain level), or the rule can never match
   */
  public AclRule {
    if (who == null || action == null || filter == null) {
      throw new IllegalArgumentException("who, action and filter must not be null");
    }
    Topics.validateFilter(filter.replace("%u", "u").replace("%c", "c"));
    if (who.kind() == Kind.ANONYMOUS && filter.contains("%u")) {
      throw new IllegalArgumentException(
          "a rule for anonymous clients cannot use %u: they have no username");
    }
  }

  /**
   * The filter for one client, or null if the rule cannot apply to it: a substituted value that is
   * empty, holds {@code /}, {@code +}, {@code #} or U+0000, or starts with {@code $} would widen
   * the filter (client id {@code a/#} turning {@code devices/%c} into {@code devices/a/#}) or move
   * it into the {@code $} topics, and an anonymous client has no {@code %u}.
   *
   * @param clientId the client id
   * @param username the verified username, or null
   * @return the filter with placeholders substituted, or null
   */
  String filterFor(String clientId, String username) {
    if (filter.indexOf('%') < 0) {
      return filter;
    }
    // one pass, so a username holding "%c" is not substituted a second time
    StringBuilder out = new StringBuilder(filter.length() + 16);
    for (int i = 0; i < filter.length(); i++) {
      char c = filter.charAt(i);
      char next = i + 1 < filter.length() ? filter.charAt(i + 1) : 0;
      if (c == '%' && (next == 'u' || next == 'c')) {
        String value = next == 'u' ? username : clientId;
        if (!safe(value)) {
          return null;
        }
        out.append(value);
        i++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return (allow ? "allow " : "deny ")
        + who
        + ' '
        + action.name().toLowerCase(Locale.ROOT)
        + ' '
        + filter;
  }

  private static boolean safe(String value) {
    if (value == null || value.isEmpty() || value.startsWith("$")) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '/' || c == '+' || c == '#' || c == '\u0000') {
        return false;
      }
    }
    return true;
  }

  /** Glob match with backtracking to the last '*' only, so it is linear in practice. */
  static boolean glob(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int starText = 0;
    while (t < text.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        starText = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++starText;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
