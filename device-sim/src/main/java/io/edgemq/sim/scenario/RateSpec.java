package io.edgemq.sim.scenario;

import io.edgemq.sim.stream.RateSchedule;
import java.time.Duration;

/**
 * A per-device publish rate.
 *
 * @param kind fixed, poisson or burst
 * @param perSecond messages per second per device (the base rate for bursts; may be 0 there)
 * @param burstPerSecond rate during a burst
 * @param every burst period
 * @param length burst length
 */
public record RateSpec(
    Kind kind, Double perSecond, Double burstPerSecond, Duration every, Duration length) {

  /** The rate models. */
  public enum Kind {
    FIXED,
    POISSON,
    BURST
  }

  /** Builds the schedule once, so an impossible rate fails while the file is read. */
  public RateSpec {
    kind = kind == null ? Kind.FIXED : kind;
    if (perSecond == null) {
      throw new IllegalArgumentException("rate needs perSecond");
    }
    if (kind == Kind.BURST && (burstPerSecond == null || every == null || length == null)) {
      throw new IllegalArgumentException("a burst rate needs burstPerSecond, every and length");
    }
    if (kind != Kind.BURST && (burstPerSecond != null || every != null || length != null)) {
      throw new IllegalArgumentException(
          "burstPerSecond, every and length apply only to kind: burst");
    }
    schedule(kind, perSecond, burstPerSecond, every, length);
  }

  /** The schedule this rate describes. */
  public RateSchedule schedule() {
    return schedule(kind, perSecond, burstPerSecond, every, length);
  }

  private static RateSchedule schedule(
      Kind kind, double perSecond, Double burstPerSecond, Duration every, Duration length) {
    switch (kind) {
      case POISSON:
        return RateSchedule.poisson(perSecond);
      case BURST:
        return RateSchedule.burst(perSecond, burstPerSecond, every.toNanos(), length.toNanos());
      default:
        return RateSchedule.fixed(perSecond);
    }
  }

  /**
   * A fixed rate.
   *
   * @param perSecond messages per second
   * @return the spec
   */
  public static RateSpec fixed(double perSecond) {
    return new RateSpec(Kind.FIXED, perSecond, null, null, null);
  }
}
