package io.edgemq.dist.config;

import java.util.List;

/** The config was refused: every problem found, one line each, naming the key and the reason. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * @param problems one line per refused key
   */
  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * @return the problems, one line each
   */
  public List<String> problems() {
    return problems;
  }
}
