package io.edgemq.sim.stream;

import java.util.SplittableRandom;

/** Meter counters that only grow: pulses and watt-hours. */
final class Counters implements PayloadModel {
  private final SplittableRandom random;
  private long pulses;
  private long wattHours;

  Counters(SplittableRandom random) {
    this.random = random;
    this.pulses = random.nextLong(1_000_000);
    this.wattHours = random.nextLong(10_000_000);
  }

  @Override
  public void next(FieldWriter out) {
    pulses += random.nextInt(0, 20);
    wattHours += random.nextInt(0, 500);
    out.integer("pulses", pulses);
    out.integer("wh", wattHours);
  }
}
