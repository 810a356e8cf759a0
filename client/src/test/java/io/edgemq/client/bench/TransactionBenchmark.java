package io.edgemq.client.bench;

import ch.qos.logback.classic.Level;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.client.api.Replier;
import io.edgemq.client.api.TransactionProducer;
import io.edgemq.client.api.TransactionResolution;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.LoggerFactory;

/**
 * Transactional sends (half message + commit) and request-reply round trips against one broker
 * process on loopback (ASYNC flush), next to plain sends for reference, with a nameserver, the
 * producers, the responder's consumer and its {@link Replier} in this JVM.
 */
public final class TransactionBenchmark {
  private static final int QUEUES = 8;
  private static final byte[] BODY = new byte[128];

  private TransactionBenchmark() {}

  /** One measured operation. */
  @FunctionalInterface
  private interface Op {
    void run() throws Exception;
  }

  /**
   * Runs the benchmark.
   *
   * @param args {@code --threads=N} (default 16), {@code --seconds=N} measured per row (default 10)
   * @throws Exception on a failure to start
   */
  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).setLevel(Level.WARN);
    int threads = intArg(args, "--threads=", 16);
    int seconds = intArg(args, "--seconds=", 10);
    List<String> rows = new ArrayList<>();
    Path dir = Files.createTempDirectory("edgemq-tx-bench");
    try (NameServer ns =
            NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC());
        BrokerProcess broker = BrokerProcess.start(dir.resolve("data"), "ASYNC", ns.port())) {
      ClientConfig cc =
          ClientConfig.builder()
              .nameServer(new InetSocketAddress("127.0.0.1", ns.port()))
              .requestTimeout(Duration.ofSeconds(10))
              .build();
      try (Admin admin = Admin.builder().clientConfig(cc).build();
          Producer producer = Producer.builder().clientConfig(cc).build()) {
        for (String t : List.of("plain-bench", "tx-bench", "rpc-bench")) {
          createTopic(admin, producer, t);
        }
        rows.add(
            row(
                "plain send",
                threads,
                seconds,
                () -> producer.send(Message.builder().topic("plain-bench").body(BODY).build())));
        try (TransactionProducer tx =
            TransactionProducer.builder()
                .clientConfig(cc)
                .producerGroup("bench-tx")
                .checker(m -> TransactionResolution.COMMIT)
                .topics("tx-bench")
                .build()) {
          rows.add(
              row(
                  "transactional send + commit",
                  threads,
                  seconds,
                  () ->
                      tx.send(
                          Message.builder().topic("tx-bench").body(BODY).build(),
                          (m, id) -> TransactionResolution.COMMIT)));
        }
        try (Replier replier = Replier.create(cc);
            PushConsumer responder = responder(cc, replier)) {
          rows.add(
              row(
                  "request → reply round trip",
                  threads,
                  seconds,
                  () ->
                      producer.request(
                          Message.builder().topic("rpc-bench").body(BODY).build(),
                          Duration.ofSeconds(10))));
        }
      }
    }
    System.out.println();
    System.out.println(
        "| operation | threads | ops/s | p50 ms | p90 ms | p99 ms | max ms | errors |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static PushConsumer responder(ClientConfig cc, Replier replier) {
    return PushConsumer.builder()
        .clientConfig(cc)
        .consumerGroup("bench-responders")
        .subscribe("rpc-bench", "*")
        // EARLIEST: requests sent before the responder got its queues are answered too
        .consumeFrom(ConsumeFrom.EARLIEST)
        .consumeThreads(8)
        .listener(
            m -> {
              if (m.correlationId().isPresent()) {
                replier.reply(m, m.bodyBytes());
              }
              return ConsumeResult.SUCCESS;
            })
        .build();
  }

  /** Warms up for 3 s, then measures {@code seconds} with {@code threads} blocking callers. */
  private static String row(String name, int threads, int seconds, Op op)
      throws InterruptedException {
    run(threads, 3, op, new Recorder(3), new AtomicLong());
    Recorder latency = new Recorder(3);
    AtomicLong errors = new AtomicLong();
    long done = run(threads, seconds, op, latency, errors);
    Histogram h = latency.getIntervalHistogram();
    String r =
        String.format(
            Locale.ROOT,
            "| %s | %d | %,d | %.1f | %.1f | %.1f | %.1f | %d |",
            name,
            threads,
            done / seconds,
            h.getValueAtPercentile(50) / 1000.0,
            h.getValueAtPercentile(90) / 1000.0,
            h.getValueAtPercentile(99) / 1000.0,
            h.getMaxValue() / 1000.0,
            errors.get());
    System.out.println(r);
    return r;
  }

  private static long run(int threads, int seconds, Op op, Recorder latency, AtomicLong errors)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                while (!stop.get()) {
                  long start = System.nanoTime();
                  try {
                    op.run();
                    latency.recordValue((System.nanoTime() - start) / 1000);
                    done.incrementAndGet();
                  } catch (Exception e) {
                    if (errors.incrementAndGet() <= 3) {
                      System.out.println("error: " + e);
                    }
                  }
                }
              });
      t.start();
      workers.add(t);
    }
    TimeUnit.SECONDS.sleep(seconds); // the measured interval of a benchmark program
    stop.set(true);
    for (Thread t : workers) {
      t.join();
    }
    return done.get();
  }

  private static void createTopic(Admin admin, Producer producer, String topic)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    boolean created = false;
    while (true) {
      try {
        if (!created) {
          admin.createTopic(topic, QUEUES);
          created = true;
        }
        producer.send(Message.builder().topic(topic).body(new byte[8]).build());
        return;
      } catch (ClientException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200); // benchmark set-up, not a measured path
      }
    }
  }

  private static int intArg(String[] args, String prefix, int fallback) {
    for (String a : args) {
      if (a.startsWith(prefix)) {
        return Integer.parseInt(a.substring(prefix.length()));
      }
    }
    return fallback;
  }
}
