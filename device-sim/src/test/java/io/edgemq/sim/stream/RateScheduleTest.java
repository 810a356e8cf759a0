package io.edgemq.sim.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The achieved rate on a simulated clock: a fleet paced by one {@link Pacer}, the clock advanced in
 * coarse steps (as a busy pacing thread would see it), and the sends counted.
 */
class RateScheduleTest {
  private static final long SECOND = 1_000_000_000L;

  /** Runs {@code devices} streams for {@code seconds} of simulated time, stepping {@code step}. */
  private static long sends(RateSchedule schedule, int devices, int seconds, Duration step) {
    MutableClock clock = new MutableClock(0);
    Instant start = clock.instant();
    Pacer<Integer> pacer = new Pacer<>();
    SplittableRandom seeds = new SplittableRandom(42);
    for (int d = 0; d < devices; d++) {
      pacer.add(d, schedule, seeds.split(), 0);
    }
    AtomicLong count = new AtomicLong();
    long end = seconds * SECOND;
    while (true) {
      clock.advance(step);
      long now = Duration.between(start, clock.instant()).toNanos();
      if (now > end) {
        break;
      }
      pacer.fireDue(now, (device, at) -> count.incrementAndGet());
    }
    return count.get();
  }

  @Test
  void shouldAchieveAFixedRateWithinOnePercent() {
    // 500 devices × 2/s × 20 s = 20,000 expected; tolerance 1 %
    long n = sends(RateSchedule.fixed(2), 500, 20, Duration.ofMillis(7));
    assertThat(n).isBetween(19_800L, 20_200L);
  }

  @Test
  void shouldCatchUpWhenThePacingThreadIsLate() {
    // steps of 250 ms: every send due in a step is fired at its end, none is lost
    long n = sends(RateSchedule.fixed(10), 100, 10, Duration.ofMillis(250));
    assertThat(n).isBetween(9_900L, 10_100L);
  }

  @Test
  void shouldAchieveAPoissonMeanRateWithinThreePercent() {
    // 200 devices × 5/s × 30 s = 30,000 expected; a Poisson count's sd is ~173 (0.6 %)
    long n = sends(RateSchedule.poisson(5), 200, 30, Duration.ofMillis(3));
    assertThat(n).isBetween(29_100L, 30_900L);
  }

  @Test
  void shouldSendFasterDuringBursts() {
    // 1/s base, 20/s for 2 s of every 10 s: 2×20 + 8×1 = 48 per period, 3 periods
    RateSchedule burst = RateSchedule.burst(1, 20, 10 * SECOND, 2 * SECOND);
    assertThat(burst.meanPerSecond()).isEqualTo(4.8);
    long n = sends(burst, 100, 30, Duration.ofMillis(5));
    assertThat(n).isBetween((long) (14_400 * 0.97), (long) (14_400 * 1.03));
  }

  @Test
  void shouldStaySilentBetweenBurstsWithoutABaseRate() {
    RateSchedule burst = RateSchedule.burst(0, 10, 10 * SECOND, SECOND);
    SplittableRandom r = new SplittableRandom(1);
    long t = burst.first(0, r);
    for (int i = 0; i < 100; i++) {
      assertThat(t % (10 * SECOND)).isLessThan(SECOND);
      t = burst.next(t, r);
    }
  }

  @Test
  void shouldRejectImpossibleRates() {
    assertThatThrownBy(() -> RateSchedule.fixed(0)).hasMessageContaining("impossible");
    assertThatThrownBy(() -> RateSchedule.fixed(-3)).hasMessageContaining("impossible");
    assertThatThrownBy(() -> RateSchedule.poisson(Double.NaN)).hasMessageContaining("impossible");
    assertThatThrownBy(() -> RateSchedule.fixed(1e6)).hasMessageContaining("impossible");
    assertThatThrownBy(() -> RateSchedule.burst(1, 10, SECOND, 2 * SECOND))
        .hasMessageContaining("shorter than its period");
  }
}
