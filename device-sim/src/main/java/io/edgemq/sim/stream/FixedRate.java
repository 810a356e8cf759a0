package io.edgemq.sim.stream;

import java.util.SplittableRandom;

/** One send every {@code 1/rate} seconds. */
final class FixedRate implements RateSchedule {
  private final double perSecond;
  private final long period;

  FixedRate(double perSecond) {
    Rates.check(perSecond, "rate");
    this.perSecond = perSecond;
    this.period = RateSchedule.periodNanos(perSecond);
  }

  @Override
  public long next(long now, SplittableRandom random) {
    return now + period;
  }

  @Override
  public long first(long start, SplittableRandom random) {
    return start + random.nextLong(period);
  }

  @Override
  public double meanPerSecond() {
    return perSecond;
  }
}
