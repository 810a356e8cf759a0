package io.edgemq.client.bench;

import ch.qos.logback.classic.Level;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.LoggerFactory;

/**
 * Schedules many timer messages (default 1,000,000) through the Java client against a broker in a
 * child JVM, all due in a window that starts after the last one is scheduled, and measures how late
 * each reaches a push consumer: lateness = arrival at the listener minus the message's due time.
 * Prints the scheduling rate and lateness percentiles; see BENCHMARKS.md.
 *
 * <pre>
 * mvn -B -q -pl client -am install -DskipTests
 * mvn -B -pl client -Pbench-delay -DskipTests verify [-Dbench.args="--count=100000 --lead-ms=20000"]
 * </pre>
 */
public final class DelayBenchmark {
  private static final int QUEUES = 8;
  private static final int BODY = 128;
  // enough to keep the broker busy; far more only queues sends past their deadline (then retried)
  private static final int IN_FLIGHT = 2_000;

  private DelayBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code --count=N} (1000000), {@code --lead-ms=} (60000: time from the start to the
   *     first due message; must cover scheduling), {@code --spread-ms=} (60000: the due times are
   *     spread evenly over this window)
   * @throws Exception on a failure to start
   */
  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).setLevel(Level.WARN);
    int count = (int) arg(args, "count", 1_000_000);
    long leadMs = arg(args, "lead-ms", 60_000);
    long spreadMs = arg(args, "spread-ms", 60_000);
    Path dir = Files.createTempDirectory("edgemq-delay-bench");
    try (NameServer ns =
        NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC())) {
      ClientConfig cc =
          ClientConfig.builder()
              .nameServer(new InetSocketAddress("127.0.0.1", ns.port()))
              .requestTimeout(Duration.ofSeconds(10))
              .build();
      try (BrokerProcess broker = BrokerProcess.start(dir.resolve("data"), "ASYNC", ns.port());
          Admin admin = Admin.builder().clientConfig(cc).build();
          Producer producer =
              Producer.builder().clientConfig(cc).producerGroup("bench-delay-p").build()) {
        createTopic(admin);
        Lateness lateness = new Lateness(count);
        try (PushConsumer consumer =
            PushConsumer.builder()
                .clientConfig(cc)
                .consumerGroup("bench-delay-c")
                .subscribe("delayed", "*")
                .consumeFrom(ConsumeFrom.EARLIEST)
                .pullBatchSize(256)
                .maxInFlightPerQueue(4096)
                .listener(lateness::record)
                .build()) {
          long until = System.currentTimeMillis() + 30_000;
          while (consumer.assignedQueues().size() < QUEUES && System.currentTimeMillis() < until) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
          }
          long start = System.currentTimeMillis();
          long firstDue = start + leadMs;
          long scheduledMs = schedule(producer, count, firstDue, spreadMs);
          System.out.printf(
              Locale.ROOT,
              "scheduled %,d timer messages in %.1f s: %,.0f msg/s (first due %.1f s after start)%n",
              count,
              scheduledMs / 1000.0,
              count * 1000.0 / scheduledMs,
              leadMs / 1000.0);
          if (scheduledMs > leadMs) {
            System.out.println("  !! scheduling took longer than --lead-ms: early ones were due");
          }
          lateness.await(firstDue + spreadMs + 120_000);
          lateness.report();
        }
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static void createTopic(Admin admin) {
    // the broker registers with the nameserver in the background after it starts
    long until = System.currentTimeMillis() + 30_000;
    while (true) {
      try {
        admin.createTopic("delayed", QUEUES);
        return;
      } catch (io.edgemq.client.api.ClientException e) {
        if (System.currentTimeMillis() > until) {
          throw e;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }
  }

  private static long schedule(Producer producer, int count, long firstDue, long spreadMs)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicLong failed = new AtomicLong();
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long due = firstDue + spreadMs * i / count;
      ByteBuffer body = ByteBuffer.allocate(BODY).putLong(i).putLong(due);
      inFlight.acquire();
      producer
          .sendAsync(
              Message.builder()
                  .topic("delayed")
                  .deliverAt(Instant.ofEpochMilli(due))
                  .body(body.array())
                  .build())
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  failed.incrementAndGet();
                }
                inFlight.release();
              });
    }
    inFlight.acquire(IN_FLIGHT);
    if (failed.get() > 0) {
      System.out.println("  !! " + failed.get() + " sends failed");
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** Lateness per delivery in ms, and which sequence numbers arrived (to count losses). */
  private static final class Lateness {
    private final int expected;
    private final Recorder recorder = new Recorder(3);
    private final BitSet seen;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong early = new AtomicLong();

    Lateness(int expected) {
      this.expected = expected;
      this.seen = new BitSet(expected);
    }

    ConsumeResult record(io.edgemq.client.api.MessageView m) {
      long now = System.currentTimeMillis();
      ByteBuffer b = m.body();
      int seq = (int) b.getLong();
      long due = b.getLong();
      if (now < due) {
        early.incrementAndGet();
      }
      recorder.recordValue(Math.max(0, now - due));
      synchronized (seen) {
        if (seen.get(seq)) {
          duplicates.incrementAndGet();
          return ConsumeResult.SUCCESS;
        }
        seen.set(seq);
      }
      received.incrementAndGet();
      return ConsumeResult.SUCCESS;
    }

    void await(long deadlineMs) {
      while (received.get() < expected && System.currentTimeMillis() < deadlineMs) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
    }

    void report() {
      Histogram h = recorder.getIntervalHistogram();
      System.out.printf(
          Locale.ROOT,
          "delivered %,d of %,d (duplicates %d, before due %d)%n",
          received.get(),
          expected,
          duplicates.get(),
          early.get());
      System.out.printf(
          Locale.ROOT,
          "lateness ms: p50 %d  p90 %d  p99 %d  p99.9 %d  max %d%n",
          h.getValueAtPercentile(50),
          h.getValueAtPercentile(90),
          h.getValueAtPercentile(99),
          h.getValueAtPercentile(99.9),
          h.getMaxValue());
    }
  }

  private static long arg(String[] args, String name, long fallback) {
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        return Long.parseLong(a.substring(name.length() + 3).replace("_", ""));
      }
    }
    return fallback;
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
