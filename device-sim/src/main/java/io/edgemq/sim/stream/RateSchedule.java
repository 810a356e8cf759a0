package io.edgemq.sim.stream;

import java.util.SplittableRandom;

/**
 * When one device's stream publishes next. Times are nanoseconds since the run began, so a schedule
 * never reads a clock itself and a test can drive it with a simulated one.
 */
public interface RateSchedule {
  /**
   * The next send time after a send at {@code now}.
   *
   * @param now the time of the send just made (ns since the run began)
   * @param random this stream's random source
   * @return the next send time, greater than {@code now}
   */
  long next(long now, SplittableRandom random);

  /**
   * The first send time: a random phase within one interval, so a fleet that connected at once does
   * not publish in lock step.
   *
   * @param start when the device became ready (ns since the run began)
   * @param random this stream's random source
   * @return the first send time
   */
  long first(long start, SplittableRandom random);

  /** The mean rate asked for, messages per second (for reports). */
  double meanPerSecond();

  /**
   * A fixed rate: exactly one interval apart.
   *
   * @param perSecond messages per second, positive
   * @return the schedule
   */
  static RateSchedule fixed(double perSecond) {
    return new FixedRate(perSecond);
  }

  /**
   * A Poisson process: exponentially distributed gaps with the given mean rate.
   *
   * @param perSecond mean messages per second, positive
   * @return the schedule
   */
  static RateSchedule poisson(double perSecond) {
    return new PoissonRate(perSecond);
  }

  /**
   * A base rate with bursts at a higher rate for {@code lengthNanos} at the start of every {@code
   * everyNanos} period.
   *
   * @param perSecond base rate (0 = silent between bursts)
   * @param burstPerSecond rate during a burst, positive
   * @param everyNanos period of bursts
   * @param lengthNanos length of a burst, shorter than the period
   * @return the schedule
   */
  static RateSchedule burst(
      double perSecond, double burstPerSecond, long everyNanos, long lengthNanos) {
    return new BurstRate(perSecond, burstPerSecond, everyNanos, lengthNanos);
  }

  /** Nanoseconds between sends at a rate. */
  static long periodNanos(double perSecond) {
    return Math.max(1L, Math.round(1e9 / perSecond));
  }
}
