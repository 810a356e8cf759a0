package io.edgemq.sim.stream;

/** One device's sensor state: each call advances it one reading and writes that reading. */
@FunctionalInterface
public interface PayloadModel {
  /**
   * Advances the state and writes the next reading.
   *
   * @param out where to write
   */
  void next(FieldWriter out);
}
