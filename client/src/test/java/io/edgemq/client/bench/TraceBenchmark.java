package io.edgemq.client.bench;

import ch.qos.logback.classic.Level;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.Producer;
import io.edgemq.client.trace.TraceMessages;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import io.edgemq.protocol.v1.AdminGrpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.GetTopicStatsRequest;
import io.edgemq.protocol.v1.GetTopicStatsResponse;
import io.edgemq.protocol.v1.QueueStats;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.LoggerFactory;

/**
 * What message trace costs a producer: 32 blocking senders of 1 KiB messages against one broker
 * process (ASYNC), alternating rows through an untraced and a tracing {@link Producer}, and how
 * many trace events reached {@code %TRACE%} (SEND from the producer, STORE from the broker) out of
 * the two per traced message. Run with {@code mvn -B -pl client -Pbench-trace -DskipTests verify}.
 */
public final class TraceBenchmark {
  private static final int SENDERS = 32;
  private static final int BODY = 1024;

  private TraceBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code --quick=true|false}
   * @throws Exception on a failure to start the broker
   */
  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).setLevel(Level.WARN);
    boolean quick = List.of(args).contains("--quick=true");
    long warmupMs = quick ? 1000 : 3000;
    long measureMs = quick ? 2000 : 5000;
    int rounds = quick ? 1 : 2;
    List<String> rows = new ArrayList<>();
    long tracedSends = 0;
    long events;
    try (NameServer ns =
        NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC())) {
      ClientConfig cc =
          ClientConfig.builder()
              .nameServer(new InetSocketAddress("127.0.0.1", ns.port()))
              .requestTimeout(Duration.ofSeconds(10))
              .build();
      Path dir = Files.createTempDirectory("edgemq-trace-bench");
      try (BrokerProcess broker = BrokerProcess.start(dir.resolve("data"), "ASYNC", ns.port());
          Admin admin = Admin.builder().clientConfig(cc).build();
          Producer plain = Producer.builder().clientConfig(cc).producerGroup("plain").build();
          Producer traced =
              Producer.builder().clientConfig(cc).producerGroup("traced").trace(true).build()) {
        createTopic(admin, plain, "bench");
        ManagedChannel ch =
            ManagedChannelBuilder.forAddress("127.0.0.1", broker.port()).usePlaintext().build();
        AdminGrpc.AdminBlockingStub stats = AdminGrpc.newBlockingStub(ch);
        long before = traceEvents(stats);
        tracedSends++; // the route probe below
        traced.send(Message.builder().topic("bench").body(new byte[8]).build());
        run(plain, 0, quick ? 6000 : 20000); // JIT warm-up of both JVMs
        tracedSends += run(traced, 0, quick ? 3000 : 10000).sent();
        for (int r = 0; r < rounds; r++) {
          rows.add(row("off", run(plain, warmupMs, measureMs).latency(), measureMs));
          Result on = run(traced, warmupMs, measureMs);
          tracedSends += on.sent();
          rows.add(row("on", on.latency(), measureMs));
        }
        events = awaitEvents(stats, before, 2 * tracedSends);
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      } finally {
        deleteTree(dir);
      }
    }
    System.out.printf(
        "%n== Trace benchmark (%s; one broker process, ASYNC, %d blocking senders, %d B, %d ms"
            + " measured per row)%n",
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC), SENDERS, BODY, measureMs);
    System.out.printf(
        "  %-6s %10s %9s %9s %10s%n", "trace", "msgs/s", "send p50", "send p99", "send p99.9");
    rows.forEach(System.out::println);
    System.out.printf(
        "  trace events in %%TRACE%%: %,d of %,d expected (SEND + STORE per traced message),"
            + " %,d missing (dropped under overload)%n",
        events, 2 * tracedSends, 2 * tracedSends - events);
  }

  /** One row's outcome: latencies of the measured phase (ns) and every message sent. */
  private record Result(Histogram latency, long sent) {}

  /** Closed-loop blocking senders for warm-up plus measurement. */
  private static Result run(Producer producer, long warmupMs, long measureMs)
      throws InterruptedException {
    Recorder recorder = new Recorder(3);
    AtomicLong sent = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long measureFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMs);
    long stopAt = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMs);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      Thread t =
          new Thread(
              () -> {
                Message m = Message.builder().topic("bench").body(new byte[BODY]).build();
                while (true) {
                  long start = System.nanoTime();
                  if (start >= stopAt) {
                    return;
                  }
                  try {
                    producer.send(m);
                    sent.incrementAndGet();
                    if (start >= measureFrom) {
                      recorder.recordValue(System.nanoTime() - start);
                    }
                  } catch (ClientException e) {
                    failed.incrementAndGet();
                  }
                }
              },
              "bench-sender-" + i);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failed.get() > 0) {
      System.out.println("  !! " + failed.get() + " sends failed");
    }
    return new Result(recorder.getIntervalHistogram(), sent.get());
  }

  private static String row(String trace, Histogram h, long measureMs) {
    return String.format(
        Locale.ROOT,
        "  %-6s %10.0f %9.0f %9.0f %10.0f",
        trace,
        h.getTotalCount() * 1000.0 / measureMs,
        h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(99) / 1e3,
        h.getValueAtPercentile(99.9) / 1e3);
  }

  /** Events in %TRACE% on the broker: the end offset of its queue. */
  private static long traceEvents(AdminGrpc.AdminBlockingStub admin) {
    GetTopicStatsResponse r =
        admin.getTopicStats(
            GetTopicStatsRequest.newBuilder().setTopic(TraceMessages.TOPIC).build());
    if (r.getStatus().getCode() != Code.OK) {
      throw new IllegalStateException("no stats of " + TraceMessages.TOPIC + ": " + r.getStatus());
    }
    return r.getQueuesList().stream().mapToLong(QueueStats::getMaxOffset).sum();
  }

  /** Waits until the trace topic stops growing (or has them all), then counts the new events. */
  private static long awaitEvents(AdminGrpc.AdminBlockingStub admin, long before, long expected)
      throws InterruptedException {
    long last = -1;
    for (int i = 0; i < 60; i++) {
      long now = traceEvents(admin) - before;
      if (now >= expected || now == last) {
        return now;
      }
      last = now;
      Thread.sleep(1000); // benchmark tail: the writers drain their queues
    }
    return last;
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void createTopic(Admin admin, Producer producer, String topic)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    boolean created = false;
    while (true) {
      try {
        if (!created) {
          admin.createTopic(topic, 8);
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
}
