package io.edgemq.sim.run;

/** The gateway or the backend cannot be reached: the run ends before it starts. */
public final class UnreachableException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what could not be reached and why
   */
  public UnreachableException(String message) {
    super(message);
  }
}
