package io.edgemq.dist.launch;

import io.edgemq.dist.config.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** Starts one role from the process's settings. */
public interface RoleStarter {
  /**
   * @param settings the process's settings
   * @param registry where the role registers its meters
   * @param clock the clock of the role
   * @return the running role
   * @throws Exception when it cannot start (the message says why, for one log line)
   */
  Started start(Settings settings, MeterRegistry registry, Clock clock) throws Exception;

  /**
   * Builds the role's typed config without starting anything, so values that do not fit together
   * are refused before any role opens its data.
   *
   * @param settings the process's settings
   * @throws IllegalArgumentException naming the key and the reason
   */
  void check(Settings settings);
}
