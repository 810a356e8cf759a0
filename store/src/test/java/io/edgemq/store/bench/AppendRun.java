package io.edgemq.store.bench;

import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.AppendStatus;
import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.StoreConfig;
import io.edgemq.store.api.StoreStats;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One append measurement: a fresh store, N writer threads appending in a closed loop (each waits
 * for its own acknowledgement, as a producer sending one message at a time does), a warm-up, then a
 * measured phase of fixed length.
 */
final class AppendRun {
  static final String TOPIC = "bench";
  static final int QUEUES = 8;
  static final int SEGMENT_BYTES = 256 << 20;

  private static final int WARMUP = 0;
  private static final int MEASURE = 1;
  private static final int STOP = 2;
  private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long BACKLOG_SAMPLE_MILLIS = 20;
  private static final long STOP_TIMEOUT_MILLIS = 30_000;
  private static final long CATCH_UP_TIMEOUT_MILLIS = 60_000;

  /**
   * What to run.
   *
   * @param mode the flush mode
   * @param bodyBytes bytes per body
   * @param writers writer threads
   * @param ratePerWriter appends per second per writer, or 0 for as fast as possible; paced runs
   *     show the dispatch lag of a store that is not saturated
   */
  record Spec(FlushMode mode, int bodyBytes, int writers, int ratePerWriter) {
    /** A closed-loop run: each writer appends as fast as its acknowledgements come back. */
    Spec(FlushMode mode, int bodyBytes, int writers) {
      this(mode, bodyBytes, writers, 0);
    }

    String label() {
      return mode + " " + bodyBytes + " B x " + writersLabel();
    }

    /** The writers column: a count, plus the pace for paced runs. */
    String writersLabel() {
      return ratePerWriter == 0 ? Integer.toString(writers) : writers + " @" + ratePerWriter + "/s";
    }
  }

  /**
   * What one run measured.
   *
   * @param spec what ran
   * @param messages acknowledged appends started in the measured phase
   * @param seconds the measured phase's length
   * @param logBytes CommitLog bytes written in the measured phase
   * @param latencyNanos append call to future completion, merged over writers
   * @param lag dispatch lag samples
   * @param backlogAtStopBytes written minus dispatched once the writers had stopped
   * @param maxBacklogBytes the largest backlog seen while sampling the measured phase
   * @param catchUpMillis how long the dispatcher took to clear that backlog
   * @param cpu CPU use during the measured phase
   * @param failures appends whose result was not OK, by status
   * @param problems anything the store got wrong
   */
  record Result(
      Spec spec,
      long messages,
      double seconds,
      long logBytes,
      Histogram latencyNanos,
      DispatchLagProbe.Interval lag,
      long backlogAtStopBytes,
      long maxBacklogBytes,
      double catchUpMillis,
      CpuSampler.Breakdown cpu,
      Map<AppendStatus, Long> failures,
      List<String> problems) {

    double msgsPerSec() {
      return messages / seconds;
    }

    double bodyMbPerSec() {
      return messages * (double) spec.bodyBytes() / seconds / 1e6;
    }

    double logMbPerSec() {
      return logBytes / seconds / 1e6;
    }

    double recordBytes() {
      return messages == 0 ? 0 : (double) logBytes / messages;
    }

    /** How fast the dispatcher cleared the backlog once the writers had stopped, msgs/s. */
    double catchUpMsgsPerSec() {
      return backlogAtStopBytes / Math.max(1, recordBytes()) / (catchUpMillis / 1e3);
    }
  }

  private final Spec spec;
  private volatile int phase = WARMUP;
  private MessageStore store;
  private DispatchLagProbe probe;

  AppendRun(Spec spec) {
    this.spec = spec;
  }

  /**
   * Runs the measurement in a fresh store at {@code dir}; the caller deletes the directory.
   *
   * @param dir an empty directory
   * @param warmup how long to warm up
   * @param measure how long to measure
   * @return the result
   * @throws IOException if the store cannot open or close
   * @throws InterruptedException if interrupted
   */
  Result run(Path dir, Duration warmup, Duration measure) throws IOException, InterruptedException {
    StoreConfig config =
        StoreConfig.builder(dir)
            .flushMode(spec.mode())
            .commitLogSegmentBytes(SEGMENT_BYTES)
            .build();
    List<String> problems = new ArrayList<>();
    store = MessageStore.open(config, Clock.systemUTC());
    try {
      // SYNC runs are slow enough to sample every message; ASYNC ones would slow the dispatcher.
      probe = new DispatchLagProbe(TOPIC, spec.mode() == FlushMode.SYNC ? 1 : 64);
      store.addArrivalListener(probe);
      List<Writer> writers = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < spec.writers(); i++) {
        Writer w = new Writer(i);
        Thread t = new Thread(w, "bench-writer-" + i);
        t.setDaemon(true);
        writers.add(w);
        threads.add(t);
        t.start();
      }
      Thread.sleep(warmup.toMillis());

      probe.startInterval();
      CpuSampler.Gc gc0 = CpuSampler.Gc.now();
      CpuSampler.Snapshot cpu0 = CpuSampler.take();
      long written0 = store.stats().writtenOffset();
      long start = System.nanoTime();
      phase = MEASURE;
      long maxBacklog = sampleBacklog(start + measure.toNanos());
      // Snapshot before STOP, while the writers are still alive and their CPU time readable.
      CpuSampler.Snapshot cpu1 = CpuSampler.take();
      CpuSampler.Gc gc1 = CpuSampler.Gc.now();
      long written1 = store.stats().writtenOffset();
      long end = System.nanoTime();
      phase = STOP;

      for (Thread t : threads) {
        t.join(STOP_TIMEOUT_MILLIS);
        if (t.isAlive()) {
          problems.add(
              spec.label()
                  + ": writer "
                  + t.getName()
                  + " still waiting for an append "
                  + STOP_TIMEOUT_MILLIS / 1000
                  + " s after stop; stats "
                  + store.stats());
          StoreBenchmark.dumpThreads();
          break;
        }
      }
      StoreStats atStop = store.stats();
      long backlog = atStop.writtenOffset() - atStop.dispatchedOffset();
      double catchUp = waitForDispatch(problems);
      DispatchLagProbe.Interval lag = probe.endInterval();

      Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
      long measured = 0;
      long acked = 0;
      Map<AppendStatus, Long> failures = new EnumMap<>(AppendStatus.class);
      for (Writer w : writers) {
        latency.add(w.latency);
        measured += w.measured;
        acked += w.acked;
        w.failures.forEach((s, n) -> failures.merge(s, n, Long::sum));
      }
      checkQueues(acked, problems);
      checkStats(problems);
      return new Result(
          spec,
          measured,
          (end - start) / 1e9,
          written1 - written0,
          latency,
          lag,
          backlog,
          Math.max(maxBacklog, backlog),
          catchUp,
          CpuSampler.between(cpu0, cpu1, gc0, gc1),
          failures,
          problems);
    } finally {
      phase = STOP;
      store.close();
    }
  }

  /** Sleeps until the deadline, sampling the dispatcher's backlog; returns the largest seen. */
  private long sampleBacklog(long deadlineNanos) throws InterruptedException {
    long max = 0;
    while (true) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return max;
      }
      Thread.sleep(Math.min(BACKLOG_SAMPLE_MILLIS, Math.max(1, left / 1_000_000)));
      StoreStats s = store.stats();
      max = Math.max(max, s.writtenOffset() - s.dispatchedOffset());
    }
  }

  /** Waits until every written record is dispatched; returns how long that took, in ms. */
  private double waitForDispatch(List<String> problems) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(CATCH_UP_TIMEOUT_MILLIS);
    while (true) {
      StoreStats s = store.stats();
      if (s.dispatchedOffset() >= s.writtenOffset()) {
        return (System.nanoTime() - start) / 1e6;
      }
      if (System.nanoTime() > deadline || s.dispatchStalledReason() != null) {
        problems.add(spec.label() + ": dispatch did not catch up: " + s);
        return (System.nanoTime() - start) / 1e6;
      }
      Thread.sleep(0, 100_000);
    }
  }

  /** Every acknowledged message must be in its consume queue once dispatch has caught up. */
  private void checkQueues(long acked, List<String> problems) {
    long inQueues = 0;
    for (int q = 0; q < QUEUES; q++) {
      inQueues += store.maxQueueOffset(TOPIC, q) - store.minQueueOffset(TOPIC, q);
    }
    if (inQueues != acked) {
      problems.add(
          spec.label()
              + ": "
              + acked
              + " appends acknowledged but the consume queues hold "
              + inQueues
              + " units");
    }
  }

  private void checkStats(List<String> problems) {
    StoreStats s = store.stats();
    if (s.dispatchErrors() != 0 || s.corruptRecords() != 0 || s.dispatchStalledReason() != null) {
      problems.add(spec.label() + ": store reports errors: " + s);
    }
  }

  /** One producer: builds a message, appends it and waits for the result, again and again. */
  private final class Writer implements Runnable {
    final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
    final Map<AppendStatus, Long> failures = new EnumMap<>(AppendStatus.class);
    final int index;
    long measured;
    long acked;

    Writer(int index) {
      this.index = index;
    }

    @Override
    public void run() {
      int queue = index % QUEUES;
      byte[] body = new byte[spec.bodyBytes()];
      ThreadLocalRandom.current().nextBytes(body);
      // Unique keys, as real ones (order or device ids) are; the index is built from them.
      String keyPrefix = "k" + index + "-";
      long seq = 0;
      long intervalNanos = spec.ratePerWriter() == 0 ? 0 : 1_000_000_000L / spec.ratePerWriter();
      long next = System.nanoTime();
      while (true) {
        if (intervalNanos > 0) {
          next += intervalNanos;
          for (long wait = next - System.nanoTime(); wait > 0; wait = next - System.nanoTime()) {
            LockSupport.parkNanos(wait);
          }
        }
        int p = phase;
        if (p == STOP) {
          return;
        }
        // Built inside the loop because a broker builds one per request too (the body is copied).
        Message m =
            Message.builder()
                .topic(TOPIC)
                .queueId(queue)
                .tags("t")
                .keys(List.of(keyPrefix + seq++))
                .body(body)
                .bornTimestamp(System.currentTimeMillis())
                .build();
        long t0 = System.nanoTime();
        AppendResult r = store.append(m).join();
        long t1 = System.nanoTime();
        if (!r.isOk()) {
          failures.merge(r.status(), 1L, Long::sum);
          continue;
        }
        acked++;
        if (p == MEASURE) {
          latency.recordValue(Math.min(t1 - t0, MAX_LATENCY_NANOS));
          measured++;
        }
        probe.acked(queue, r.queueOffset(), t0, t1);
      }
    }
  }
}
