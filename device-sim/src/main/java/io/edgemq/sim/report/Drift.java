package io.edgemq.sim.report;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * How a long run changed from its first quarter to its last: the median over each quarter's
 * one-second samples of the PUBLISH→ack p99, the end-to-end p99 and the simulator's heap. A soak
 * run is read by these: latency or memory that keeps growing shows here first.
 *
 * @param ackP99FirstMs median of the per-second ack p99 over the first quarter
 * @param ackP99LastMs the same over the last quarter
 * @param e2eP99FirstMs median of the per-second end-to-end p99 over the first quarter
 * @param e2eP99LastMs the same over the last quarter
 * @param heapFirstMb median heap used over the first quarter
 * @param heapLastMb the same over the last quarter
 */
public record Drift(
    double ackP99FirstMs,
    double ackP99LastMs,
    double e2eP99FirstMs,
    double e2eP99LastMs,
    double heapFirstMb,
    double heapLastMb) {

  /** Fewer samples than this make no quarters worth comparing. */
  static final int MIN_SAMPLES = 20;

  /**
   * Compares the first and the last quarter of the sending samples (those with sends).
   *
   * @param samples the timeline
   * @return the drift, or null when the run is too short
   */
  public static Drift of(List<Sample> samples) {
    List<Sample> sending = samples.stream().filter(s -> s.sentPerSec() > 0).toList();
    if (sending.size() < MIN_SAMPLES) {
      return null;
    }
    int q = sending.size() / 4;
    List<Sample> first = sending.subList(0, q);
    List<Sample> last = sending.subList(sending.size() - q, sending.size());
    return new Drift(
        median(first, Sample::ackP99Ms),
        median(last, Sample::ackP99Ms),
        median(first, Sample::e2eP99Ms),
        median(last, Sample::e2eP99Ms),
        median(first, Sample::heapMb),
        median(last, Sample::heapMb));
  }

  private static double median(List<Sample> s, ToDoubleFunction<Sample> f) {
    double[] v = s.stream().mapToDouble(f).toArray();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  /** One line for the summary. */
  public String line() {
    return String.format(
        "drift (median of 1 s samples, first → last quarter): ack p99 %.1f → %.1f ms · "
            + "end-to-end p99 %.1f → %.1f ms · heap %.0f → %.0f MiB",
        ackP99FirstMs, ackP99LastMs, e2eP99FirstMs, e2eP99LastMs, heapFirstMb, heapLastMb);
  }
}
