package io.edgemq.sim.report;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and latency recorders shared by the devices, the verifier and the command sender.
 * Everything is safe to update from any thread; latencies are in microseconds.
 */
public final class Metrics {
  private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(10);

  public final LongAdder connectOk = new LongAdder();
  public final LongAdder connectFailed = new LongAdder();
  public final LongAdder reconnects = new LongAdder();
  public final AtomicLong connected = new AtomicLong();
  public final LongAdder sent = new LongAdder();
  public final LongAdder acked = new LongAdder();
  public final LongAdder publishFailed = new LongAdder();
  public final LongAdder skipped = new LongAdder();
  public final LongAdder received = new LongAdder();
  public final LongAdder commandsSent = new LongAdder();
  public final LongAdder commandsFailed = new LongAdder();
  public final LongAdder commandsReceived = new LongAdder();

  private final Recorder ack = new Recorder(3);
  private final Recorder endToEnd = new Recorder(3);
  private final Recorder command = new Recorder(3);
  private final Recorder connect = new Recorder(3);

  /**
   * Records a PUBLISH→acknowledgement time.
   *
   * @param micros the time
   */
  public void ackLatency(long micros) {
    ack.recordValue(clamp(micros));
  }

  /**
   * Records a device→backend time.
   *
   * @param micros the time
   */
  public void endToEndLatency(long micros) {
    endToEnd.recordValue(clamp(micros));
  }

  /**
   * Records a backend→device command time.
   *
   * @param micros the time
   */
  public void commandLatency(long micros) {
    command.recordValue(clamp(micros));
  }

  /**
   * Records a CONNECT→CONNACK time.
   *
   * @param micros the time
   */
  public void connectLatency(long micros) {
    connect.recordValue(clamp(micros));
  }

  /** The four latency histograms since the previous call, and resets them. */
  public Interval interval() {
    return new Interval(
        ack.getIntervalHistogram(),
        endToEnd.getIntervalHistogram(),
        command.getIntervalHistogram(),
        connect.getIntervalHistogram());
  }

  // clocks of two hosts, or a clock step, can make a time negative; keep it on the scale
  private static long clamp(long micros) {
    return Math.max(0, Math.min(MAX_MICROS, micros));
  }

  /**
   * Latencies recorded in one interval.
   *
   * @param ack PUBLISH→acknowledgement
   * @param endToEnd device→backend
   * @param command backend→device
   * @param connect CONNECT→CONNACK
   */
  public record Interval(Histogram ack, Histogram endToEnd, Histogram command, Histogram connect) {}
}
