package io.edgemq.sim.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An MQTT topic with placeholders, such as {@code factory/{line}/{device}/telemetry/{sensor}},
 * checked once when parsed: braces must balance, every placeholder must be known, and the literal
 * text must not hold the wildcards {@code +} or {@code #}.
 *
 * <p>Built-in placeholders are {@code {device}} (the device id), {@code {index}} (its number in the
 * fleet), {@code {fleet}} and {@code {stream}}; any other name must be a declared variable, whose
 * value for a device is {@code values[index % values.size()]}.
 */
public final class TopicTemplate {
  /** Placeholders every template may use without declaring them. */
  public static final Set<String> BUILT_INS = Set.of("device", "index", "fleet", "stream");

  private final String text;
  private final List<String> literals;
  private final List<String> names;

  private TopicTemplate(String text, List<String> literals, List<String> names) {
    this.text = text;
    this.literals = literals;
    this.names = names;
  }

  /**
   * Parses a template.
   *
   * @param text the template
   * @param variables names declared besides the built-ins
   * @return the template
   * @throws IllegalArgumentException naming the template and the reason
   */
  public static TopicTemplate parse(String text, Set<String> variables) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("topic template is empty");
    }
    List<String> literals = new ArrayList<>();
    List<String> names = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '}') {
        throw bad(text, "'}' at position " + i + " closes nothing");
      }
      if (c == '+' || c == '#' || c == '\u0000') {
        throw bad(text, "'" + (c == 0 ? "U+0000" : c) + "' is not allowed in a topic name");
      }
      if (c != '{') {
        literal.append(c);
        i++;
        continue;
      }
      int end = text.indexOf('}', i);
      if (end < 0) {
        throw bad(text, "'{' at position " + i + " is never closed");
      }
      String name = text.substring(i + 1, end);
      if (!BUILT_INS.contains(name) && !variables.contains(name)) {
        throw bad(
            text,
            "unknown placeholder {"
                + name
                + "}; use {device}, {index}, {fleet}, {stream} or a declared variable "
                + variables);
      }
      literals.add(literal.toString());
      literal.setLength(0);
      names.add(name);
      i = end + 1;
    }
    literals.add(literal.toString());
    return new TopicTemplate(text, List.copyOf(literals), List.copyOf(names));
  }

  private static IllegalArgumentException bad(String text, String reason) {
    return new IllegalArgumentException("topic template '" + text + "': " + reason);
  }

  /**
   * Expands the template for one device.
   *
   * @param values a value for every placeholder the template uses
   * @return the MQTT topic
   * @throws IllegalArgumentException if the result is not a valid MQTT topic name
   */
  public String expand(Map<String, String> values) {
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < names.size(); i++) {
      b.append(literals.get(i));
      String v = values.get(names.get(i));
      if (v == null) {
        throw new IllegalArgumentException("no value for {" + names.get(i) + "} in '" + text + "'");
      }
      b.append(v);
    }
    b.append(literals.get(names.size()));
    String topic = b.toString();
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0 || topic.isEmpty()) {
      throw new IllegalArgumentException("topic '" + topic + "' from '" + text + "' is not valid");
    }
    return topic;
  }

  /** The text before the first '/' if it holds no placeholder, else empty. */
  public String literalFirstLevel() {
    String first = literals.get(0);
    int slash = first.indexOf('/');
    if (slash >= 0) {
      return first.substring(0, slash);
    }
    return names.isEmpty() ? first : "";
  }

  /** The names of the placeholders, in order. */
  public List<String> names() {
    return names;
  }

  @Override
  public String toString() {
    return text;
  }
}
