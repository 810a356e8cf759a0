package io.edgemq.dist.config;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The resolved configuration of one process: the text of every key its roles take (default, then
 * file, then command line), already checked by each key's parser. Immutable.
 */
public final class Settings {
  private final Set<Role> roles;
  private final Map<String, String> texts;

  Settings(Set<Role> roles, Map<String, String> texts) {
    this.roles = Set.copyOf(roles);
    this.texts = Map.copyOf(texts);
  }

  /**
   * @param key a key of one of this process's roles
   * @param <T> its type
   * @return its value
   * @throws IllegalArgumentException for a key of another role (a programming error)
   */
  public <T> T get(Key<T> key) {
    String text = texts.get(key.name());
    if (text == null) {
      throw new IllegalArgumentException(key.name() + " is not a key of roles " + roles);
    }
    return key.parse(text);
  }

  /**
   * @param key a key
   * @return whether it has a value other than empty
   */
  public boolean isSet(Key<?> key) {
    String text = texts.get(key.name());
    return text != null && !text.isEmpty();
  }

  /**
   * A copy with one value replaced (standalone points its broker and gateway at its own nameserver
   * once that is bound).
   *
   * @param key the key
   * @param text its new text, valid for the key
   * @return the new settings
   */
  public Settings with(Key<?> key, String text) {
    key.parse(text);
    Map<String, String> copy = new TreeMap<>(texts);
    copy.put(key.name(), text);
    return new Settings(roles, copy);
  }

  /**
   * @return every key's text, sorted by name, for the start-up log line
   */
  public Map<String, String> texts() {
    return new TreeMap<>(texts);
  }
}
