package io.edgemq.sim.scenario;

import java.time.Duration;

/**
 * Devices that drop off and come back with their persistent session.
 *
 * @param every mean time a device stays online between drops
 * @param offline how long it stays away
 */
public record ChurnSpec(Duration every, Duration offline) {
  /** Checks both times. */
  public ChurnSpec {
    if (every == null || every.toMillis() < 100) {
      throw new IllegalArgumentException("churn.every must be at least 100ms");
    }
    if (offline == null || offline.isNegative()) {
      throw new IllegalArgumentException("churn.offline must be given");
    }
  }
}
