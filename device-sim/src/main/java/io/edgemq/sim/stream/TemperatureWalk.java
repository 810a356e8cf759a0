package io.edgemq.sim.stream;

import java.util.SplittableRandom;

/** A temperature that drifts by small steps and is pulled back towards its set point. */
final class TemperatureWalk implements PayloadModel {
  private final SplittableRandom random;
  private final double setPoint;
  private double value;

  TemperatureWalk(SplittableRandom random) {
    this.random = random;
    this.setPoint = 18 + random.nextDouble() * 8;
    this.value = setPoint;
  }

  @Override
  public void next(FieldWriter out) {
    double step = (random.nextDouble() - 0.5) * 0.4;
    double pull = (setPoint - value) * 0.02;
    value = Math.max(-40, Math.min(125, value + step + pull));
    out.number("temp", Math.round(value * 100) / 100.0);
    out.text("unit", "C");
  }
}
