package io.edgemq.client.bench;

import ch.qos.logback.classic.Level;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.SimpleConsumer;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.LoggerFactory;

/**
 * Pop receive/ack throughput: preloads {@code --count} messages into a topic on a broker in a child
 * JVM, then {@code --consumers} SimpleConsumers (one thread each, same group, no queue ownership)
 * receive batches of {@code --batch} and ack every message before the next receive. Prints the rate
 * of acked messages, receive and ack latency percentiles, and checks that every message was acked
 * exactly once; see BENCHMARKS.md.
 *
 * <pre>
 * mvn -B -pl client -am -Pbench-pop -DskipTests verify [-Dbench.args="--count=200000 --consumers=4"]
 * </pre>
 */
public final class PopBenchmark {
  private static final int QUEUES = 8;
  private static final int BODY = 128;
  private static final Duration INVISIBLE = Duration.ofSeconds(60);

  private PopBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code --count=N} (200000), {@code --consumers=N} (4), {@code --batch=N} (32)
   * @throws Exception on a failure to start
   */
  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).setLevel(Level.WARN);
    int count = (int) arg(args, "count", 200_000);
    int consumers = (int) arg(args, "consumers", 4);
    int batch = (int) arg(args, "batch", 32);
    Path dir = Files.createTempDirectory("edgemq-pop-bench");
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
              Producer.builder().clientConfig(cc).producerGroup("bench-pop-p").build()) {
        createTopic(admin);
        long t0 = System.nanoTime();
        preload(producer, count);
        System.out.printf(
            Locale.ROOT,
            "preloaded %,d messages of %d B in %.1f s%n",
            count,
            BODY,
            (System.nanoTime() - t0) / 1e9);
        consume(cc, count, consumers, batch);
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static void consume(ClientConfig cc, int count, int consumers, int batch)
      throws Exception {
    AtomicIntegerArray acked = new AtomicIntegerArray(count);
    AtomicLong done = new AtomicLong();
    Recorder receiveUs = new Recorder(3);
    Recorder ackUs = new Recorder(3);
    List<SimpleConsumer> all = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(consumers);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < consumers; i++) {
        SimpleConsumer c =
            SimpleConsumer.builder()
                .clientConfig(cc)
                .consumerGroup("bench-pop-c")
                .subscribe("popped", "*")
                .awaitDuration(Duration.ofSeconds(1))
                .build();
        all.add(c);
        running.add(pool.submit(() -> loop(c, batch, count, acked, done, receiveUs, ackUs)));
      }
      for (Future<?> f : running) {
        f.get(30, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
      all.forEach(SimpleConsumer::close);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    int twice = 0;
    int missing = 0;
    for (int i = 0; i < count; i++) {
      twice += acked.get(i) > 1 ? 1 : 0;
      missing += acked.get(i) == 0 ? 1 : 0;
    }
    System.out.printf(
        Locale.ROOT,
        "%d consumers, batch %d: acked %,d messages in %.1f s: %,.0f msg/s (receive + ack);"
            + " missing %d, acked twice %d%n",
        consumers,
        batch,
        done.get(),
        secs,
        done.get() / secs,
        missing,
        twice);
    print("receive call", receiveUs.getIntervalHistogram());
    print("ack call", ackUs.getIntervalHistogram());
  }

  private static Void loop(
      SimpleConsumer c,
      int batch,
      int count,
      AtomicIntegerArray acked,
      AtomicLong done,
      Recorder receiveUs,
      Recorder ackUs) {
    int empty = 0;
    while (done.get() < count && empty < 5) {
      long r0 = System.nanoTime();
      List<MessageView> got;
      try {
        got = c.receive(batch, INVISIBLE);
      } catch (ClientException e) {
        System.out.println("receive failed: " + e.getMessage());
        continue;
      }
      receiveUs.recordValue((System.nanoTime() - r0) / 1000);
      empty = got.isEmpty() ? empty + 1 : 0;
      List<CompletableFuture<Void>> acks = new ArrayList<>(got.size());
      for (MessageView m : got) {
        long a0 = System.nanoTime();
        acks.add(
            c.ackAsync(m)
                .thenRun(
                    () -> {
                      ackUs.recordValue((System.nanoTime() - a0) / 1000);
                      acked.incrementAndGet(ByteBuffer.wrap(m.bodyBytes()).getInt());
                      done.incrementAndGet();
                    }));
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }
    return null;
  }

  private static void print(String what, Histogram h) {
    System.out.printf(
        Locale.ROOT,
        "  %-12s n=%,d  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.2f ms%n",
        what,
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(90) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0);
  }

  private static void preload(Producer producer, int count) throws InterruptedException {
    Semaphore inFlight = new Semaphore(2_000);
    AtomicLong failed = new AtomicLong();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      byte[] body = ByteBuffer.allocate(BODY).putInt(i).array();
      producer
          .sendAsync(Message.builder().topic("popped").body(body).build())
          .whenComplete(
              (r, e) -> {
                if (e != null) {
                  failed.incrementAndGet();
                }
                inFlight.release();
              });
    }
    inFlight.acquire(2_000);
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " preload sends failed");
    }
  }

  private static void createTopic(Admin admin) {
    // the broker registers with the nameserver in the background after it starts
    long until = System.currentTimeMillis() + 30_000;
    while (true) {
      try {
        admin.createTopic("popped", QUEUES);
        return;
      } catch (ClientException e) {
        if (System.currentTimeMillis() > until) {
          throw e;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
      }
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
