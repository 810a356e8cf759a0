package io.edgemq.sim.stream;

import java.util.SplittableRandom;

/** A device state that is mostly OK and now and then warns or faults, then recovers. */
final class StatusEvents implements PayloadModel {
  private static final String[] STATES = {"OK", "WARN", "FAULT"};
  private final SplittableRandom random;
  private int state;
  private long uptime;

  StatusEvents(SplittableRandom random) {
    this.random = random;
  }

  @Override
  public void next(FieldWriter out) {
    uptime++;
    double r = random.nextDouble();
    if (state == 0 && r < 0.05) {
      state = r < 0.01 ? 2 : 1;
    } else if (state != 0 && r < 0.3) {
      state = 0;
    }
    out.text("state", STATES[state]);
    out.integer("code", state == 0 ? 0 : 100 * state + random.nextInt(10));
    out.integer("uptime", uptime);
  }
}
