package io.edgemq.client.bench;

import ch.qos.logback.classic.Level;
import com.google.protobuf.ByteString;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.SendResult;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import io.edgemq.protocol.Limits;
import io.edgemq.protocol.v1.BrokerGrpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.FilterExpression;
import io.edgemq.protocol.v1.FilterType;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.PullRequest;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
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
 * Producers and a consumer against one broker process on loopback: send throughput, send latency,
 * end-to-end latency (send call to the consumer's pull returning the message) and batch throughput,
 * per flush mode and body size. Sends go through the client library's {@link Producer}, as a
 * backend's would; one row per mode also sends with raw unary {@code Send} calls, side by side, to
 * show what the client's send stream buys. A nameserver runs in this process.
 */
public final class SendBenchmark {
  static final int QUEUES = 8;

  private SendBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code --quick=true|false}
   * @throws Exception on a failure to start the broker
   */
  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).setLevel(Level.WARN);
    boolean quick = List.of(args).contains("--quick=true");
    // Per row; the JIT warm-up below runs once per broker.
    long jitWarmupMs = quick ? 6000 : 30000;
    long warmupMs = quick ? 1000 : 3000;
    long measureMs = quick ? 2000 : 5000;
    List<String> rows = new ArrayList<>();
    String batch = "";
    try (NameServer ns =
        NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC())) {
      ClientConfig cc =
          ClientConfig.builder()
              .nameServer(new InetSocketAddress("127.0.0.1", ns.port()))
              .requestTimeout(Duration.ofSeconds(10))
              .build();
      // One broker per flush mode, reused for every row of that mode, so its JIT warms once.
      for (String mode : List.of("ASYNC", "SYNC")) {
        Path dir = Files.createTempDirectory("edgemq-send-bench");
        try (BrokerProcess broker = BrokerProcess.start(dir.resolve("data"), mode, ns.port());
            Admin admin = Admin.builder().clientConfig(cc).build();
            Producer producer =
                Producer.builder().clientConfig(cc).producerGroup("bench-p").build()) {
          ManagedChannel ch = channel(broker.port());
          try {
            for (String t :
                List.of("warmup", "bench128", "bench1024", "unary1024", "bench-batch")) {
              createTopic(admin, producer, t);
            }
            Sender viaProducer = (topic, queue, body) -> sendWithProducer(producer, topic, body);
            io.edgemq.client.rpc.SendStream ss =
                new io.edgemq.client.rpc.SendStream(BrokerGrpc.newStub(ch), Duration.ofSeconds(10));
            Sender streamed =
                (topic, queue, body) ->
                    ss.send(request(topic, queue, body)).join().getStatus().getCode() == Code.OK;
            Sender unary = unarySender(ch);
            // The first rows ran at half speed without this: the broker's JIT keeps compiling the
            // gRPC, protobuf and store paths for well over a row's own warm-up.
            run(ch, "warm-up", viaProducer, "warmup", mode, 1024, 0, jitWarmupMs / 2);
            run(ch, "warm-up", unary, "warmup", mode, 1024, 0, jitWarmupMs / 2);
            for (int body : List.of(128, 1024)) {
              rows.add(
                  run(
                      ch,
                      "producer",
                      viaProducer,
                      "bench" + body,
                      mode,
                      body,
                      warmupMs,
                      measureMs));
            }
            rows.add(run(ch, "raw stream", streamed, "unary1024", mode, 1024, warmupMs, measureMs));
            rows.add(run(ch, "raw unary", unary, "unary1024", mode, 1024, warmupMs, measureMs));
            if (mode.equals("ASYNC")) {
              batch = runBatch(producer, warmupMs, measureMs);
            }
          } finally {
            ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
          }
        } finally {
          deleteTree(dir);
        }
      }
    }
    System.out.printf(
        "%n== Send benchmark (%s; one broker process, 32 blocking senders, 1 consumer thread per"
            + " queue, %d ms measured)%n",
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC), measureMs);
    System.out.printf(
        "  %-5s %-10s %6s %10s %9s %9s %10s %9s %9s %10s%n",
        "mode",
        "via",
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
            + " in the consumer's pull response; via producer = the client library's Producer.send"
            + " (one SendStream per broker), raw stream = SendStream without the Producer, raw unary = one gRPC"
            + " Send call per message");
    System.out.println(batch);
  }

  /** One blocking send; returns whether the broker stored it. */
  @FunctionalInterface
  interface Sender {
    boolean send(String topic, int queue, byte[] body);
  }

  private static boolean sendWithProducer(Producer producer, String topic, byte[] body) {
    try {
      producer.send(
          io.edgemq.client.api.Message.builder().topic(topic).tag("t").body(body).build());
      return true;
    } catch (ClientException e) {
      return false;
    }
  }

  private static SendRequest request(String topic, int queue, byte[] body) {
    return SendRequest.newBuilder()
        .setProducerGroup("bench-p")
        .setClientId("bench")
        .setQueueId(queue)
        .setMessage(
            Message.newBuilder()
                .setTopic(topic)
                .setTag("t")
                .setMessageId(io.edgemq.client.producer.MessageIds.next())
                .setBody(ByteString.copyFrom(body))
                .setBornTimestampMs(System.currentTimeMillis()))
        .build();
  }

  private static Sender unarySender(ManagedChannel ch) {
    BrokerGrpc.BrokerBlockingStub stub = BrokerGrpc.newBlockingStub(ch);
    return (topic, queue, body) -> {
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
      return r.getStatus().getCode() == Code.OK;
    };
  }

  /**
   * Creates a topic with {@link #QUEUES} queues once the broker registered, and waits until the
   * producer can route to it (the broker reports new topics with its next heartbeat).
   */
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
        producer.send(
            io.edgemq.client.api.Message.builder().topic(topic).body(new byte[8]).build());
        return;
      } catch (ClientException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200); // benchmark set-up, not a measured path
      }
    }
  }

  private static ManagedChannel channel(int port) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .maxInboundMessageSize(Limits.MAX_RPC_MESSAGE_BYTES)
        .build();
  }

  private static String run(
      ManagedChannel ch,
      String via,
      Sender sender,
      String topic,
      String mode,
      int bodyBytes,
      long warmupMs,
      long measureMs) {
    Consumer consumer = new Consumer(ch, topic);
    consumer.start();
    Histogram send = sendPhase(sender, topic, bodyBytes, 32, warmupMs, measureMs, consumer);
    long count = send.getTotalCount();
    Histogram e2e = consumer.stopAfterCatchingUp(count);
    double rate = count * 1000.0 / measureMs;
    return String.format(
        Locale.ROOT,
        "  %-5s %-10s %4d B %10.0f %9.0f %9.0f %10.0f %9.0f %9.0f %10.0f",
        mode,
        via,
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
      Sender sender,
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
                while (true) {
                  long start = System.nanoTime();
                  if (start >= stopAt) {
                    return;
                  }
                  byte[] body = new byte[bodyBytes];
                  ByteBuffer.wrap(body).putLong(start);
                  boolean ok = sender.send(topic, queue, body);
                  long end = System.nanoTime();
                  if (!ok) {
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

  /** Batches of 100 × 128 B from 4 threads through {@link Producer#sendBatch}. */
  private static String runBatch(Producer producer, long warmupMs, long measureMs) {
    long measureFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMs);
    long stopAt = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMs);
    AtomicLong sent = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> batchLoop(producer, measureFrom, stopAt, sent));
      threads.add(t);
      t.start();
    }
    joinAll(threads);
    return String.format(
        Locale.ROOT,
        "%n== Batch send, ASYNC, 4 threads x Producer.sendBatch of 100 x 128 B: %,.0f msgs/s",
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

  private static void batchLoop(Producer producer, long measureFrom, long stopAt, AtomicLong sent) {
    List<io.edgemq.client.api.Message> batch = new ArrayList<>();
    for (int k = 0; k < 100; k++) {
      batch.add(
          io.edgemq.client.api.Message.builder()
              .topic("bench-batch")
              .tag("t")
              .body(new byte[128])
              .build());
    }
    while (true) {
      long start = System.nanoTime();
      if (start >= stopAt) {
        return;
      }
      try {
        List<SendResult> r = producer.sendBatch(batch);
        if (start >= measureFrom) {
          sent.addAndGet(r.size());
        }
      } catch (ClientException e) {
        // counted as not sent
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
