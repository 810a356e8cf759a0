package io.edgemq.sim;

import io.edgemq.sim.api.SimCommand;
import picocli.CommandLine;

/** {@code java io.edgemq.sim.SimMain [options]}: runs the simulator and exits with its verdict. */
public final class SimMain {
  private SimMain() {}

  /**
   * Runs the simulator.
   *
   * @param args see {@code --help}
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new SimCommand()).execute(args));
  }
}
