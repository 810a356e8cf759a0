package io.edgemq.sim.stream;

import java.util.SplittableRandom;

/** The telemetry models a stream can carry. */
public enum PayloadKind {
  /** A temperature that wanders (random walk around 21 °C, kept within -40..125). */
  TEMPERATURE,
  /** A vehicle moving along a heading that drifts, at a speed that varies. */
  GPS,
  /** Monotonic counters: pulses and energy, as meters report them. */
  COUNTER,
  /** Status events: a state that changes now and then, with a code and an uptime. */
  STATUS,
  /** Only the envelope and padding. */
  RAW;

  /**
   * A fresh per-device model of this kind.
   *
   * @param random the device's random source
   * @return the model
   */
  public PayloadModel newModel(SplittableRandom random) {
    switch (this) {
      case TEMPERATURE:
        return new TemperatureWalk(random);
      case GPS:
        return new GpsTrack(random);
      case COUNTER:
        return new Counters(random);
      case STATUS:
        return new StatusEvents(random);
      default:
        return out -> {};
    }
  }
}
