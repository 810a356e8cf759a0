package io.edgemq.sim.stream;

/** The bounds a per-device rate must respect. */
final class Rates {
  /**
   * The fastest one device may publish. Above it the HiveMQ client's queue, not the rate, decides
   * what is sent: such a figure would measure the simulator.
   */
  static final double MAX_PER_DEVICE = 10_000;

  /** The slowest: one message a day. Below it a run never sends. */
  static final double MIN_PER_DEVICE = 1.0 / 86_400;

  private Rates() {}

  static void check(double perSecond, String what) {
    if (!(perSecond >= MIN_PER_DEVICE) || perSecond > MAX_PER_DEVICE) {
      throw new IllegalArgumentException(
          what
              + " "
              + perSecond
              + "/s is impossible: a device publishes between once a day and "
              + (long) MAX_PER_DEVICE
              + " times a second");
    }
  }
}
