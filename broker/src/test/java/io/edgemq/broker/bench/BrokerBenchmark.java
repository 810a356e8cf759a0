package io.edgemq.broker.bench;

import ch.qos.logback.classic.Level;
import com.google.protobuf.ByteString;
import io.edgemq.protocol.Limits;
import io.edgemq.protocol.v1.BrokerGrpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.FilterExpression;
import io.edgemq.protocol.v1.FilterType;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.PullRequest;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.protocol.v1.SendBatchRequest;
import io.edgemq.protocol.v1.SendBatchResponse;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.LoggerFactory;

/**
 * Producers and a consumer against one broker process over gRPC on loopback: send throughput, send
 * latency, end-to-end latency (send call to the consumer's pull returning the message) and batch
 * throughput, per flush mode and body size. Uses the protocol's generated stubs directly.
 */
public final class BrokerBenchmark {
  static final int QUEUES = 8;

  private BrokerBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code --quick=true|false}
   * @throws Exception on a failure to start the broker
   */
  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).setLevel(Level.WARN);
    boolean quick = List.of(args).contains("--quick=true");
    // Long enough for the broker JVM to compile its gRPC and protobuf paths.
    long warmupMs = quick ? 3000 : 10000;
    long measureMs = quick ? 2000 : 5000;
    List<String> rows = new ArrayList<>();
    String batch = "";
    // One broker per flush mode, reused for every row of that mode, so its JIT warms once.
    for (String mode : List.of("ASYNC", "SYNC")) {
      Path dir = Files.createTempDirectory("edgemq-broker-bench");
      try (BrokerProcess broker = BrokerProcess.start(dir.resolve("data"), mode)) {
        ManagedChannel ch = channel(broker.port());
        try {
          for (int body : List.of(128, 1024)) {
            rows.add(run(ch, "bench" + body, mode, body, 32, warmupMs, measureMs));
          }
          if (mode.equals("ASYNC")) {
            batch = runBatch(ch, warmupMs, measureMs);
          }
        } finally {
          ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
      } finally {
        deleteTree(dir);
      }
    }
    System.out.printf(
        "%n== Broker benchmark (%s; one broker process, 32 blocking senders, 1 consumer thread per"
            + " queue, %d ms measured)%n",
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC), measureMs);
    System.out.printf(
        "  %-5s %6s %10s %9s %9s %10s %9s %9s %10s%n",
        "mode",
        "body",
        "msgs/s",
        "send p50",
        "send p99",
        "send p99.9",
        "e2e p50",
        "e2e p99",
        "e2e p99.9");
    rows.forEach(System.out::println);
    System.out.println(
        "  latencies in microseconds; e2e = send call start to the message arriving"
            + " in the consumer's pull response");
    System.out.println(batch);
  }

  private static ManagedChannel channel(int port) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .maxInboundMessageSize(Limits.MAX_RPC_MESSAGE_BYTES)
        .build();
  }

  private static String run(
      ManagedChannel ch,
      String topic,
      String mode,
      int bodyBytes,
      int senders,
      long warmupMs,
      long measureMs) {
    Consumer consumer = new Consumer(ch, topic);
    consumer.start();
    Histogram send = sendPhase(ch, topic, bodyBytes, senders, warmupMs, measureMs, consumer);
    long count = send.getTotalCount();
    Histogram e2e = consumer.stopAfterCatchingUp(count);
    double rate = count * 1000.0 / measureMs;
    return String.format(
        Locale.ROOT,
        "  %-5s %4d B %10.0f %9.0f %9.0f %10.0f %9.0f %9.0f %10.0f",
        mode,
        bodyBytes,
        rate,
        send.getValueAtPercentile(50) / 1e3,
        send.getValueAtPercentile(99) / 1e3,
        send.getValueAtPercentile(99.9) / 1e3,
        e2e.getValueAtPercentile(50) / 1e3,
        e2e.getValueAtPercentile(99) / 1e3,
        e2e.getValueAtPercentile(99.9) / 1e3);
  }

  /** Closed-loop blocking senders; only the measured phase is recorded. */
  private static Histogram sendPhase(
      ManagedChannel ch,
      String topic,
      int bodyBytes,
      int senders,
      long warmupMs,
      long measureMs,
      Consumer c) {
    Recorder recorder = new Recorder(3);
    long measureFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMs);
    long stopAt = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMs);
    c.measureFrom = measureFrom;
    List<Thread> threads = new ArrayList<>();
    AtomicLong failures = new AtomicLong();
    for (int i = 0; i < senders; i++) {
      int queue = i % QUEUES;
      Thread t =
          new Thread(
              () -> {
                BrokerGrpc.BrokerBlockingStub stub = BrokerGrpc.newBlockingStub(ch);
                byte[] body = new byte[bodyBytes];
                while (true) {
                  long start = System.nanoTime();
                  if (start >= stopAt) {
                    return;
                  }
                  ByteBuffer.wrap(body).putLong(start);
                  SendResponse r =
                      stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                          .send(
                              SendRequest.newBuilder()
                                  .setProducerGroup("bench-p")
                                  .setClientId("bench")
                                  .setQueueId(queue)
                                  .setMessage(
                                      Message.newBuilder()
                                          .setTopic(topic)
                                          .setTag("t")
                                          .setBody(ByteString.copyFrom(body))
                                          .setBornTimestampMs(System.currentTimeMillis()))
                                  .build());
                  long end = System.nanoTime();
                  if (r.getStatus().getCode() != Code.OK) {
                    failures.incrementAndGet();
                  } else if (start >= measureFrom) {
                    recorder.recordValue(end - start);
                  }
                }
              },
              "bench-sender-" + i);
      threads.add(t);
      t.start();
    }
    joinAll(threads);
    if (failures.get() > 0) {
      System.out.println("  !! " + failures.get() + " sends failed");
    }
    return recorder.getIntervalHistogram();
  }

  /** Batches of 100 × 128 B from 4 threads, one queue each. */
  private static String runBatch(ManagedChannel ch, long warmupMs, long measureMs) {
    long measureFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMs);
    long stopAt = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMs);
    AtomicLong sent = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int queue = i;
      Thread t = new Thread(() -> batchLoop(ch, queue, measureFrom, stopAt, sent));
      threads.add(t);
      t.start();
    }
    joinAll(threads);
    return String.format(
        Locale.ROOT,
        "%n== Batch send, ASYNC, 4 threads x SendBatch of 100 x 128 B: %,.0f msgs/s",
        sent.get() * 1000.0 / measureMs);
  }

  private static void joinAll(List<Thread> threads) {
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void batchLoop(
      ManagedChannel ch, int queue, long measureFrom, long stopAt, AtomicLong sent) {
    BrokerGrpc.BrokerBlockingStub stub = BrokerGrpc.newBlockingStub(ch);
    SendBatchRequest.Builder req =
        SendBatchRequest.newBuilder()
            .setProducerGroup("bench-p")
            .setClientId("bench")
            .setQueueId(queue);
    for (int k = 0; k < 100; k++) {
      req.addMessages(
          Message.newBuilder()
              .setTopic("bench-batch")
              .setTag("t")
              .setBody(ByteString.copyFrom(new byte[128])));
    }
    SendBatchRequest batch = req.build();
    while (true) {
      long start = System.nanoTime();
      if (start >= stopAt) {
        return;
      }
      SendBatchResponse r = stub.withDeadlineAfter(10, TimeUnit.SECONDS).sendBatch(batch);
      if (r.getStatus().getCode() == Code.OK && start >= measureFrom) {
        sent.addAndGet(r.getReceiptsCount());
      }
    }
  }

  /** One long-polling thread per queue; records send-start to arrival for measured messages. */
  private static final class Consumer {
    private final ManagedChannel ch;
    private final String topic;
    private final Recorder recorder = new Recorder(3);
    private final AtomicLong measured = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    volatile long measureFrom = Long.MAX_VALUE;

    Consumer(ManagedChannel ch, String topic) {
      this.ch = ch;
      this.topic = topic;
    }

    void start() {
      for (int q = 0; q < QUEUES; q++) {
        int queue = q;
        Thread t = new Thread(() -> pullLoop(queue), "bench-consumer-" + q);
        threads.add(t);
        t.start();
      }
    }

    private void pullLoop(int queue) {
      BrokerGrpc.BrokerBlockingStub stub = BrokerGrpc.newBlockingStub(ch);
      long offset = 0;
      while (running) {
        PullResponse r;
        try {
          r =
              stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                  .pull(
                      PullRequest.newBuilder()
                          .setConsumerGroup("bench-c")
                          .setClientId("bench-consumer")
                          .setTopic(topic)
                          .setQueueId(queue)
                          .setOffset(offset)
                          .setMaxMessages(64)
                          .setFilter(
                              FilterExpression.newBuilder()
                                  .setType(FilterType.FILTER_TYPE_TAG)
                                  .setExpression("*"))
                          .setLongPollTimeoutMs(200)
                          .build());
        } catch (io.grpc.StatusRuntimeException e) {
          java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
          continue;
        }
        long now = System.nanoTime();
        for (Message m : r.getMessagesList()) {
          long sentAt = m.getBody().asReadOnlyByteBuffer().getLong();
          if (sentAt >= measureFrom) {
            recorder.recordValue(Math.max(0, now - sentAt));
            measured.incrementAndGet();
          }
        }
        if (r.getStatus().getCode() == Code.OK) {
          offset = r.getNextOffset();
        } else {
          java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L); // e.g. not created yet
        }
      }
    }

    Histogram stopAfterCatchingUp(long expected) {
      // Polling is fine here: this is the benchmark's own bookkeeping, not a measured path.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (measured.get() < expected && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
      }
      running = false;
      joinAll(threads);
      if (measured.get() < expected) {
        System.out.println("  !! consumer saw " + measured.get() + " of " + expected);
      }
      return recorder.getIntervalHistogram();
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
