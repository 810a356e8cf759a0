package io.edgemq.sim.stream;

import java.util.SplittableRandom;

/** Exponential gaps: independent arrivals, as many uncoordinated devices produce. */
final class PoissonRate implements RateSchedule {
  private final double perSecond;
  private final double meanNanos;

  PoissonRate(double perSecond) {
    Rates.check(perSecond, "rate");
    this.perSecond = perSecond;
    this.meanNanos = 1e9 / perSecond;
  }

  @Override
  public long next(long now, SplittableRandom random) {
    // 1 - nextDouble() is in (0, 1], so the log is finite
    double gap = -Math.log(1.0 - random.nextDouble()) * meanNanos;
    return now + Math.max(1L, Math.round(gap));
  }

  @Override
  public long first(long start, SplittableRandom random) {
    return next(start, random);
  }

  @Override
  public double meanPerSecond() {
    return perSecond;
  }
}
