package io.edgemq.dist.bench;

import io.edgemq.broker.metrics.BrokerMetrics;
import io.edgemq.broker.metrics.DeliveryMetrics;
import io.edgemq.broker.offset.OffsetTable;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.StoreConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the broker's meters cost on the hot path: nanoseconds per observed send ({@link
 * BrokerMetrics#appended}) and per observed pull ({@link DeliveryMetrics#delivered}), with the
 * Prometheus registry the launcher uses, 16 topics and 4 groups, from one thread and from two. Also
 * reports the bytes allocated per call by the measuring thread. Run with {@code mvn -B -pl dist -am
 * -Pbench-meters -DskipTests verify} (see BENCHMARKS.md).
 */
public final class BrokerMeterCost {
  private static final int TOPICS = 16;
  private static final int GROUPS = 4;
  private static final long CALLS = 20_000_000L;

  private BrokerMeterCost() {}

  /**
   * @param args none
   */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("meter-cost");
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (MessageStore store =
        MessageStore.open(
            StoreConfig.builder(dir.resolve("store")).commitLogSegmentBytes(16 << 20).build(),
            Clock.systemUTC())) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      BrokerMetrics m =
          BrokerMetrics.bind(
              registry,
              "bench",
              store,
              TopicTable.load(dir, 8, System.currentTimeMillis()),
              OffsetTable.load(dir),
              scheduler);
      String[] topics = new String[TOPICS];
      String[] groups = new String[GROUPS];
      for (int i = 0; i < TOPICS; i++) {
        topics[i] = "topic-" + i;
      }
      for (int i = 0; i < GROUPS; i++) {
        groups[i] = "group-" + i;
      }
      for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up
        System.out.printf("round %d%n", round);
        report(
            "send, 1 thread", run(1, i -> m.appended(topics[i % TOPICS], 1, 1024, 900, 500, true)));
        report(
            "pull, 1 thread",
            run(
                1,
                i ->
                    m.delivery()
                        .delivered(groups[i % GROUPS], topics[i % TOPICS], 32, 32768, 2000)));
        report(
            "send, 2 threads",
            run(2, i -> m.appended(topics[i % TOPICS], 1, 1024, 900, 500, true)));
        report(
            "pull, 2 threads",
            run(
                2,
                i ->
                    m.delivery()
                        .delivered(groups[i % GROUPS], topics[i % TOPICS], 32, 32768, 2000)));
      }
    } finally {
      scheduler.shutdownNow();
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  private interface Call {
    void at(int i);
  }

  /** Result of a run: ns per call (wall time over all threads) and bytes allocated per call. */
  private record Result(double nanosPerCall, double bytesPerCall) {}

  private static Result run(int threads, Call call) throws InterruptedException {
    long perThread = CALLS / threads;
    long[] allocated = new long[threads];
    Thread[] ts = new Thread[threads];
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      int id = t;
      ts[t] =
          new Thread(
              () -> {
                com.sun.management.ThreadMXBean mx =
                    (com.sun.management.ThreadMXBean)
                        java.lang.management.ManagementFactory.getThreadMXBean();
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < perThread; i++) {
                  call.at(i);
                }
                allocated[id] = mx.getCurrentThreadAllocatedBytes() - before;
              });
      ts[t].start();
    }
    for (Thread t : ts) {
      t.join();
    }
    long took = System.nanoTime() - start;
    long bytes = 0;
    for (long a : allocated) {
      bytes += a;
    }
    return new Result((double) took * threads / CALLS, (double) bytes / CALLS);
  }

  private static void report(String what, Result r) {
    System.out.printf(
        "  %-16s %8.1f ns/call per thread  %6.2f B allocated/call%n",
        what, r.nanosPerCall(), r.bytesPerCall());
  }
}
