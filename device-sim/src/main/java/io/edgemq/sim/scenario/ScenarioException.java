package io.edgemq.sim.scenario;

/** A scenario that cannot run, with where and why: {@code file:line: key: reason}. */
public final class ScenarioException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message the full message, naming the place and the reason
   */
  public ScenarioException(String message) {
    super(message);
  }
}
