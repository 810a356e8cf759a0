package io.edgemq.dist.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key: its name, the role it belongs to, its default (as written in a file) and
 * how its text becomes a value. A parser throws {@link IllegalArgumentException} whose message is
 * the reason a value is refused.
 *
 * @param name the key as written in a config file, e.g. {@code broker.port}
 * @param role the role it configures
 * @param defaultText the default as text; empty means "not set"
 * @param description one line for the docs table and {@code --help}
 * @param parser text to value
 * @param <T> the value's type
 */
public record Key<T>(
    String name, Role role, String defaultText, String description, Function<String, T> parser) {

  /** Checks the definition. */
  public Key {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(defaultText, "defaultText");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parser, "parser");
  }

  /**
   * Parses a value of this key.
   *
   * @param text the text (trimmed by the caller)
   * @return the value
   * @throws IllegalArgumentException with the reason the text is refused
   */
  public T parse(String text) {
    return parser.apply(text);
  }
}
