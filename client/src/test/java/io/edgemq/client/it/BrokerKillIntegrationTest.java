package io.edgemq.client.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.PullConsumer;
import io.edgemq.client.api.SendResult;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import io.edgemq.protocol.v1.AdminGrpc;
import io.edgemq.protocol.v1.GetTopicStatsRequest;
import io.edgemq.protocol.v1.GetTopicStatsResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two brokers as child JVMs with SYNC flush; one is killed with SIGKILL while producers send. Sends
 * go on at the other broker, and after the killed one restarts on its data directory every
 * acknowledged message is there, once, in the queue and at the offset its receipt named.
 */
class BrokerKillIntegrationTest {
  private static final Pattern LISTENING =
      Pattern.compile("edgemq broker listening on port (\\d+)");
  private static final String TOPIC = "durable";
  private static final int QUEUES = 4;
  private static final int SENDERS = 3;
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private NameServer nameServer;
  private final List<Process> processes = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  /** One acknowledged send. */
  private record Ack(String messageId, MessageQueue queue, long offset, String body) {}

  @AfterEach
  void stop() throws Exception {
    running.set(false);
    for (Thread t : threads) {
      t.join(10_000);
    }
    for (AutoCloseable c : clients) {
      c.close();
    }
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    if (nameServer != null) {
      nameServer.close();
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    clients.add(c);
    return c;
  }

  /** Starts a broker JVM; answer its port with {@link #awaitPort}. */
  private Process startBroker(String name, int run) throws IOException {
    Path data = dir.resolve(name);
    Files.createDirectories(data);
    Path out = dir.resolve(name + "-" + run + ".out");
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // the broker's own logging config (stderr), not the tests' (stdout)
                    "-Dlogback.configurationFile=logback.xml",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.edgemq.broker.BrokerMain",
                    "--data-dir",
                    data.toString(),
                    "--listen-host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--flush-mode",
                    "SYNC",
                    "--namesrv",
                    "127.0.0.1:" + nameServer.port(),
                    "--broker-name",
                    name,
                    "--heartbeat-interval-ms",
                    "500",
                    "--client-heartbeat-interval-ms",
                    "300",
                    "--long-poll-max-ms",
                    "1000",
                    "--segment-bytes",
                    String.valueOf(16 << 20)))
            .redirectOutput(out.toFile())
            .redirectError(dir.resolve(name + "-" + run + ".err").toFile())
            .start();
    processes.add(p);
    return p;
  }

  private int awaitPort(String name, int run, Process p) {
    Path out = dir.resolve(name + "-" + run + ".out");
    String line =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    !Files.exists(out)
                        ? null
                        : Files.readAllLines(out).stream()
                            .filter(l -> LISTENING.matcher(l).matches())
                            .findFirst()
                            .orElse(null),
                l -> l != null || !p.isAlive());
    assertThat(line).as("%s did not start (alive: %s)", name, p.isAlive()).isNotNull();
    Matcher m = LISTENING.matcher(line);
    assertThat(m.matches()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private ClientConfig clientConfig() {
    return ClientConfig.builder()
        .nameServers("127.0.0.1:" + nameServer.port())
        .requestTimeout(Duration.ofSeconds(2))
        .routeRefreshInterval(Duration.ofMillis(300))
        .build();
  }

  /** The queue ends of the topic on a broker, read with the generated Admin stub. */
  private static long[] maxOffsets(int port) throws InterruptedException {
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      GetTopicStatsResponse r =
          AdminGrpc.newBlockingStub(ch)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .getTopicStats(GetTopicStatsRequest.newBuilder().setTopic(TOPIC).build());
      long[] max = new long[QUEUES];
      for (int q = 0; q < QUEUES; q++) {
        max[q] = r.getQueues(q).getMaxOffset();
      }
      return max;
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void acknowledgedSendsSurviveSigkillOfABroker() throws Exception {
    nameServer = NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC());
    Process b1 = startBroker("b1", 1);
    Process b2 = startBroker("b2", 1);
    awaitPort("b1", 1, b1);
    int b2Port = awaitPort("b2", 1, b2);

    Admin admin = track(Admin.builder().clientConfig(clientConfig()).build());
    await().atMost(WAIT).ignoreExceptions().until(() -> admin.brokerNames().size() == 2);
    admin.createTopic(TOPIC, QUEUES);
    await().atMost(WAIT).ignoreExceptions().until(() -> admin.getTopic(TOPIC).size() == 2);

    Producer producer =
        track(Producer.builder().clientConfig(clientConfig()).maxRetries(2).build());
    Map<String, Ack> acks = new ConcurrentHashMap<>();
    AtomicInteger acksOnB2AfterKill = new AtomicInteger();
    AtomicBoolean killed = new AtomicBoolean();
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger notDurable = new AtomicInteger();
    for (int t = 0; t < SENDERS; t++) {
      int sender = t;
      Thread th =
          new Thread(
              () -> {
                for (int i = 0; running.get(); i++) {
                  String body = "s" + sender + "-" + i;
                  try {
                    SendResult r =
                        producer.send(
                            Message.builder()
                                .topic(TOPIC)
                                .keys(body)
                                .body(body.getBytes(UTF_8))
                                .build());
                    if (!r.isDurable()) {
                      notDurable.incrementAndGet(); // written, durability unknown: not counted
                      continue;
                    }
                    acks.put(
                        r.messageId(), new Ack(r.messageId(), r.queue(), r.queueOffset(), body));
                    if (killed.get() && r.queue().brokerName().equals("b2")) {
                      acksOnB2AfterKill.incrementAndGet();
                    }
                  } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    System.out.println("send failed: " + e);
                  }
                }
              },
              "test-sender-" + t);
      threads.add(th);
      th.start();
    }

    await().atMost(WAIT).until(() -> acks.size() >= 300);
    assertThat(acks.values().stream().map(a -> a.queue().brokerName()).distinct())
        .containsExactlyInAnyOrder("b1", "b2");
    killed.set(true);
    b1.destroyForcibly(); // SIGKILL while the senders are sending
    assertThat(b1.waitFor(10, TimeUnit.SECONDS)).isTrue();
    int failuresAtKill = failures.get();

    // sends go on at b2
    await().atMost(WAIT).until(() -> acksOnB2AfterKill.get() >= 300);
    running.set(false);
    for (Thread t : threads) {
      t.join(10_000);
      assertThat(t.isAlive()).isFalse();
    }
    int failedSends = failures.get();
    System.out.printf(
        "acknowledged %d, failed %d (%d before the kill), not durable %d%n",
        acks.size(), failedSends, failuresAtKill, notDurable.get());
    assertThat(failuresAtKill).isZero();
    // the retries move sends to b2: at most the sends in flight at the kill may fail
    assertThat(failedSends).isLessThanOrEqualTo(SENDERS);
    assertThat(notDurable.get()).isZero();

    // b1 again, on the same data directory
    Process b1again = startBroker("b1", 2);
    int b1Port = awaitPort("b1", 2, b1again);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> admin.getTopic(TOPIC).size() == 2 && admin.brokerNames().size() == 2);

    Map<MessageQueue, Long> ends = new HashMap<>();
    long[] b1Max = maxOffsets(b1Port);
    long[] b2Max = maxOffsets(b2Port);
    for (int q = 0; q < QUEUES; q++) {
      ends.put(new MessageQueue(TOPIC, "b1", q), b1Max[q]);
      ends.put(new MessageQueue(TOPIC, "b2", q), b2Max[q]);
    }
    for (Ack a : acks.values()) {
      assertThat(ends.get(a.queue())).as("end of %s", a.queue()).isGreaterThan(a.offset());
    }

    PullConsumer consumer =
        track(
            PullConsumer.builder()
                .clientConfig(clientConfig())
                .consumerGroup("verifier")
                .consumeFrom(ConsumeFrom.EARLIEST)
                .longPollTimeout(Duration.ofSeconds(1))
                .build());
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> consumer.queues(TOPIC).size() == 2 * QUEUES);
    consumer.assign(ends.keySet());
    for (MessageQueue q : ends.keySet()) {
      consumer.seek(q, 0);
    }
    Map<MessageQueue, Map<Long, MessageView>> read = new HashMap<>();
    Map<String, AtomicInteger> copies = new HashMap<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              for (MessageView m : consumer.poll(Duration.ofMillis(200))) {
                MessageView before =
                    read.computeIfAbsent(m.queue(), k -> new HashMap<>()).put(m.queueOffset(), m);
                assertThat(before).as("offset %s read twice", m.queueOffset()).isNull();
                String key = m.queue() + "/" + m.messageId();
                copies.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
              }
              return ends.entrySet().stream()
                  .allMatch(e -> read.getOrDefault(e.getKey(), Map.of()).size() == e.getValue());
            });

    for (Ack a : acks.values()) {
      MessageView m = read.get(a.queue()).get(a.offset());
      assertThat(m).as("acknowledged %s", a).isNotNull();
      assertThat(m.messageId()).isEqualTo(a.messageId());
      assertThat(new String(m.bodyBytes(), UTF_8)).isEqualTo(a.body());
      assertThat(m.keys()).containsExactly(a.body());
      assertThat(copies.get(a.queue() + "/" + a.messageId())).as("copies of %s", a).hasValue(1);
    }
  }
}
