package io.edgemq.sim.stream;

import java.util.SplittableRandom;

/**
 * A base rate, and a higher rate for the first {@code length} of every {@code every} period. With a
 * base rate of 0 the stream is silent between bursts.
 */
final class BurstRate implements RateSchedule {
  private final double base;
  private final double burst;
  private final long every;
  private final long length;
  private final long basePeriod;
  private final long burstPeriod;

  BurstRate(double base, double burst, long every, long length) {
    if (!(base >= 0) || base > Rates.MAX_PER_DEVICE) {
      throw new IllegalArgumentException(
          "base rate " + base + "/s must be between 0 and " + Rates.MAX_PER_DEVICE + "/s");
    }
    Rates.check(burst, "burst rate");
    if (every <= 0 || length <= 0 || length >= every) {
      throw new IllegalArgumentException(
          "a burst must last a positive time shorter than its period (every "
              + every / 1_000_000
              + " ms, length "
              + length / 1_000_000
              + " ms)");
    }
    this.base = base;
    this.burst = burst;
    this.every = every;
    this.length = length;
    this.basePeriod = base > 0 ? RateSchedule.periodNanos(base) : Long.MAX_VALUE;
    this.burstPeriod = RateSchedule.periodNanos(burst);
  }

  @Override
  public long next(long now, SplittableRandom random) {
    long inPeriod = now % every;
    long periodStart = now - inPeriod;
    if (inPeriod < length) {
      long t = now + burstPeriod;
      if (t < periodStart + length || base > 0) {
        return t;
      }
      return periodStart + every;
    }
    long nextBurst = periodStart + every;
    if (base == 0) {
      return nextBurst;
    }
    return Math.min(now + basePeriod, nextBurst);
  }

  @Override
  public long first(long start, SplittableRandom random) {
    long inPeriod = start % every;
    long period = inPeriod < length ? burstPeriod : basePeriod;
    if (period == Long.MAX_VALUE) {
      return start - inPeriod + every + random.nextLong(burstPeriod);
    }
    return start + random.nextLong(period);
  }

  @Override
  public double meanPerSecond() {
    double f = (double) length / every;
    return burst * f + base * (1 - f);
  }
}
