package io.edgemq.sim.report;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency, in milliseconds.
 *
 * @param count values recorded
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max largest
 * @param mean mean
 */
public record LatencySummary(
    long count, double p50, double p90, double p99, double p999, double max, double mean) {
  /**
   * Summarizes a histogram of microseconds.
   *
   * @param h the histogram
   * @return its percentiles in ms
   */
  public static LatencySummary of(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(
        h.getTotalCount(),
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(90)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()),
        Math.round(h.getMean()) / 1000.0);
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  /** One line: {@code p50 1.2 · p90 … · max … ms (n values)}. */
  public String line() {
    return String.format(
        "p50 %.2f · p90 %.2f · p99 %.2f · p99.9 %.2f · max %.2f ms (%,d)",
        p50, p90, p99, p999, max, count);
  }
}
