package io.edgemq.gateway.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed tag or key template: literal text and placeholders ({@code {n}}, {@code {clientid}},
 * {@code {username}}, {@code {topic}}). Braces always open or close a placeholder; there is no
 * escape, as tags and keys have no use for literal braces.
 */
final class Template {
  private static final int MAX_LEVEL = 65_535;

  // literal text is a String part; a placeholder is an Integer (level) or a Kind
  private final List<Object> parts;

  private Template(List<Object> parts) {
    this.parts = parts;
  }

  private enum Kind {
    CLIENT_ID,
    USERNAME,
    TOPIC
  }

  /**
   * @param text the template
   * @param filterLevels how many levels the rule's filter has, the last {@code #} included
   * @param openEnded whether the filter ends in {@code #}, so any level index is allowed
   * @param what how to name the template in messages, e.g. "tag template '{9}' of rule 'a/+'"
   * @throws IllegalArgumentException starting with {@code what} if it does not parse
   */
  static Template parse(String text, int filterLevels, boolean openEnded, String what) {
    List<Object> parts = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf('{', i);
      int close = text.indexOf('}', i);
      if (close >= 0 && (open < 0 || close < open)) {
        throw invalid(what, "unbalanced '}'");
      }
      if (open < 0) {
        parts.add(text.substring(i));
        break;
      }
      if (open > i) {
        parts.add(text.substring(i, open));
      }
      int nested = text.indexOf('{', open + 1);
      if (close < 0 || (nested >= 0 && nested < close)) {
        throw invalid(what, "unbalanced '{'");
      }
      parts.add(placeholder(text.substring(open + 1, close), filterLevels, openEnded, what));
      i = close + 1;
    }
    return new Template(List.copyOf(parts));
  }

  private static Object placeholder(String name, int filterLevels, boolean openEnded, String what) {
    switch (name) {
      case "clientid":
        return Kind.CLIENT_ID;
      case "username":
        return Kind.USERNAME;
      case "topic":
        return Kind.TOPIC;
      default:
        break;
    }
    if (name.isEmpty() || name.length() > 5 || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw invalid(
          what, "unknown placeholder {" + name + "}; use {n}, {clientid}, {username} or {topic}");
    }
    int level = Integer.parseInt(name);
    if (level > MAX_LEVEL) {
      throw invalid(what, "level {" + name + "} is beyond any topic");
    }
    if (!openEnded && level >= filterLevels) {
      throw invalid(
          what,
          "level {"
              + level
              + "} is beyond the filter's "
              + filterLevels
              + " levels (counted from 0; only a filter ending in '#' allows more)");
    }
    return level;
  }

  private static IllegalArgumentException invalid(String what, String why) {
    return new IllegalArgumentException(what + ": " + why);
  }

  /**
   * @param topic the MQTT topic name
   * @param levels its levels
   * @param clientId the publishing client's id
   * @param username its user name, or null
   * @return the expansion; placeholders for absent levels or a null user name expand to nothing
   */
  String expand(String topic, String[] levels, String clientId, String username) {
    if (parts.size() == 1 && parts.get(0) instanceof String literal) {
      return literal;
    }
    StringBuilder sb = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof String literal) {
        sb.append(literal);
      } else if (part instanceof Integer level) {
        if (level < levels.length) {
          sb.append(levels[level]);
        }
      } else if (part == Kind.CLIENT_ID) {
        sb.append(clientId == null ? "" : clientId);
      } else if (part == Kind.USERNAME) {
        sb.append(username == null ? "" : username);
      } else {
        sb.append(topic);
      }
    }
    return sb.toString();
  }
}
