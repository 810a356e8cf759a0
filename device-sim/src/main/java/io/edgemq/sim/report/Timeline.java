package io.edgemq.sim.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Samples the metrics once per tick: adds each interval's latencies to the run's totals, keeps a
 * {@link Sample} per tick for the charts, and prints the live progress line. Called from one
 * thread.
 */
public final class Timeline {
  private final Metrics metrics;
  private final LongSupplier nowNanos;
  private final long totalNanos;
  private final PrintStream out;
  private final boolean overwrite;
  private final List<Sample> samples = new ArrayList<>();
  private final Histogram ack = histogram();
  private final Histogram endToEnd = histogram();
  private final Histogram command = histogram();
  private final Histogram connect = histogram();
  private long lastNanos;
  private long lastSent;
  private long lastAcked;
  private long lastReceived;
  private long lastPrinted = Long.MIN_VALUE;

  /**
   * @param metrics what to sample
   * @param nowNanos ns since the run began
   * @param totalNanos planned length of the sending phase (for elapsed/total)
   * @param out where the progress line goes, or null for none
   * @param overwrite rewrite one line with carriage returns (a terminal) instead of a line each 10
   *     s
   */
  public Timeline(
      Metrics metrics, LongSupplier nowNanos, long totalNanos, PrintStream out, boolean overwrite) {
    this.metrics = metrics;
    this.nowNanos = nowNanos;
    this.totalNanos = totalNanos;
    this.out = out;
    this.overwrite = overwrite;
  }

  private static Histogram histogram() {
    return new Histogram(3);
  }

  /** Takes one sample. */
  public synchronized void tick() {
    long now = nowNanos.getAsLong();
    Metrics.Interval i = metrics.interval();
    ack.add(i.ack());
    endToEnd.add(i.endToEnd());
    command.add(i.command());
    connect.add(i.connect());
    double secs = Math.max(1e-3, (now - lastNanos) / 1e9);
    long sent = metrics.sent.sum();
    long acked = metrics.acked.sum();
    long received = metrics.received.sum() + metrics.commandsReceived.sum();
    Runtime rt = Runtime.getRuntime();
    Sample s =
        new Sample(
            now / 1e9,
            metrics.connected.get(),
            (sent - lastSent) / secs,
            (acked - lastAcked) / secs,
            (received - lastReceived) / secs,
            pct(i.ack(), 50),
            pct(i.ack(), 99),
            pct(i.endToEnd().getTotalCount() > 0 ? i.endToEnd() : i.command(), 50),
            pct(i.endToEnd().getTotalCount() > 0 ? i.endToEnd() : i.command(), 99),
            (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0));
    samples.add(s);
    lastNanos = now;
    lastSent = sent;
    lastAcked = acked;
    lastReceived = received;
    print(s);
  }

  private static double pct(Histogram h, double p) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1000.0;
  }

  private void print(Sample s) {
    if (out == null) {
      return;
    }
    long sec = (long) s.atSeconds();
    if (!overwrite && sec < lastPrinted + 10) {
      return;
    }
    lastPrinted = sec;
    String line =
        String.format(
            "%4ds/%ds  connected %,d  sent %,.0f/s  acked %,.0f/s  received %,.0f/s  errors %,d"
                + "  skipped %,d",
            sec,
            totalNanos / 1_000_000_000L,
            s.connected(),
            s.sentPerSec(),
            s.ackedPerSec(),
            s.receivedPerSec(),
            metrics.publishFailed.sum()
                + metrics.connectFailed.sum()
                + metrics.commandsFailed.sum(),
            metrics.skipped.sum());
    if (overwrite) {
      out.print("\r" + line + "   ");
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** The samples so far. */
  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** PUBLISH→ack latencies of the whole run so far. */
  public synchronized LatencySummary ack() {
    return LatencySummary.of(ack);
  }

  /** Device→backend latencies so far. */
  public synchronized LatencySummary endToEnd() {
    return LatencySummary.of(endToEnd);
  }

  /** Backend→device command latencies so far. */
  public synchronized LatencySummary command() {
    return LatencySummary.of(command);
  }

  /** CONNECT→CONNACK latencies so far. */
  public synchronized LatencySummary connect() {
    return LatencySummary.of(connect);
  }

  /** Ends the progress line. */
  public void finish() {
    if (out != null && overwrite) {
      out.println();
    }
  }
}
