package io.edgemq.sim.scenario;

import java.time.Duration;
import java.util.List;

/**
 * How delivery is verified.
 *
 * @param topics broker topics to consume; default: derived from the streams' topics
 * @param drainTimeout how long to wait, after the last send, for messages still on their way
 * @param failOnReorder whether a message overtaken by a later one of its stream fails QoS 1 and 2
 * @param dropEvery fault injection: the verifier ignores every n-th message it receives (0 = off),
 *     to prove that a lossy pipeline fails the run
 */
public record VerifySpec(
    List<String> topics, Duration drainTimeout, Boolean failOnReorder, Integer dropEvery) {
  /** Defaults: derived topics, 30 s drain, reordering fails, no dropping. */
  public static final VerifySpec DEFAULT = new VerifySpec(null, null, null, null);

  /** Fills defaults. */
  public VerifySpec {
    topics = topics == null ? List.of() : List.copyOf(topics);
    for (String t : topics) {
      if (t == null || !t.matches("[A-Za-z0-9_|-]{1,127}")) {
        throw new IllegalArgumentException("verify topic '" + t + "' is not a broker topic name");
      }
    }
    drainTimeout = drainTimeout == null ? Duration.ofSeconds(30) : drainTimeout;
    failOnReorder = failOnReorder == null || failOnReorder;
    dropEvery = dropEvery == null ? 0 : dropEvery;
    if (dropEvery < 0) {
      throw new IllegalArgumentException("dropEvery must be 0 (off) or positive");
    }
  }

  /**
   * This spec with fault injection set.
   *
   * @param n drop every n-th message (0 = off)
   * @return a new spec
   */
  public VerifySpec withDropEvery(int n) {
    return new VerifySpec(topics, drainTimeout, failOnReorder, n);
  }
}
