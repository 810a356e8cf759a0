package io.edgemq.gateway.bench;

import ch.qos.logback.classic.Level;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
 * The edgemq gateway (over a broker process, ASYNC flush) and Debian's Mosquitto, side by side in
 * one run with the same load from the same simulated devices: QoS 0 and QoS 1 publish throughput
 * from 1,000 devices, PUBLISH→PUBACK latency, fan-out to 1,000 subscribers, and memory per idle
 * connection. Every edgemq message is stored in the broker's CommitLog before its PUBACK; Mosquitto
 * runs without persistence (its default).
 */
public final class GatewayBenchmark {
  private GatewayBenchmark() {}

  /**
   * @param args {@code --quick=true} for a short run; {@code --idle=N} idle connections (default
   *     18000)
   * @throws Exception when a server does not start
   */
  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("ROOT")).setLevel(Level.WARN);
    boolean quick = List.of(args).contains("--quick=true");
    int idle = quick ? 2000 : 18_000;
    for (String a : args) {
      if (a.startsWith("--idle=")) {
        idle = Integer.parseInt(a.substring(7));
      }
    }
    String only = "";
    for (String a : args) {
      if (a.startsWith("--only=")) {
        only = a.substring(7); // fanin, fanout or idle
      }
    }
    long warmMs = quick ? 3000 : 10_000;
    long measureMs = quick ? 3000 : 10_000;
    Path dir = Files.createTempDirectory("edgemq-gateway-bench");
    List<String> rows = new ArrayList<>();
    try (NameServer ns =
            NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC());
        ChildProcess broker = broker(dir, ns.port());
        ChildProcess gateway = gateway(ns.port(), true);
        ChildProcess untraced = gateway(ns.port(), false);
        ChildProcess mosquitto = mosquitto(dir)) {
      prime(gateway.port());
      // edgemq traces device messages by default (two more records per message); the untraced
      // gateway shows what that costs
      for (String target : List.of("mosquitto", "edgemq", "edgemq-untraced")) {
        int port =
            switch (target) {
              case "edgemq" -> gateway.port();
              case "edgemq-untraced" -> untraced.port();
              default -> mosquitto.port();
            };
        if (target.equals("edgemq-untraced") && !(only.isEmpty() || only.equals("fanin"))) {
          continue; // the fan-in rows only
        }
        // fan-out first: after the QoS 0 fan-in row a server may still be storing its backlog,
        // which a fixed-rate row measured next would count as delivery latency
        if (only.isEmpty() || only.equals("fanout")) {
          row(rows, fanOut(target, port, warmMs, measureMs));
        }
        if (only.isEmpty() || only.equals("fanin")) {
          row(rows, fanIn(target, port, 1, warmMs, measureMs));
          row(rows, fanIn(target, port, 0, warmMs, measureMs));
        }
      }
      if (only.isEmpty() || only.equals("idle")) {
        row(rows, idle("mosquitto", mosquitto, idle, false));
        // a fresh gateway, so nothing left from the load rows counts against idle connections
        try (ChildProcess fresh = gateway(ns.port(), true)) {
          row(rows, idle("edgemq", fresh, idle, true));
        }
      }
    } finally {
      deleteTree(dir);
    }
    System.out.printf(
        "%n== Gateway benchmark (%s; 1,000 devices, MQTT 3.1.1, %d ms measured per row)%n",
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC), measureMs);
    rows.forEach(System.out::println);
  }

  /**
   * Stores one message in each broker topic the rows use, so the broker topics exist (auto-created
   * on first send) before anything is measured.
   */
  private static void prime(int port) throws Exception {
    try (Devices d = Devices.connect("prime-", port, 1, 60, 1, 1)) {
      for (String topic : List.of("bench/prime/telemetry", "fan/all")) {
        d.clients
            .get(0)
            .publishWith()
            .topic(topic)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(new byte[8])
            .send()
            .get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static void row(List<String> rows, String row) {
    System.out.println(row); // progress as it runs; the table is printed again at the end
    rows.add(row);
  }

  private static ChildProcess broker(Path dir, int nsPort) throws IOException {
    return ChildProcess.java(
        "io.edgemq.broker.BrokerMain",
        jvm("broker", "-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"),
        List.of(
            "--data-dir",
            dir.resolve("broker").toString(),
            "--port",
            "0",
            "--namesrv",
            "127.0.0.1:" + nsPort,
            "--heartbeat-interval-ms",
            "1000",
            "--flush-mode",
            "ASYNC",
            "--auto-create-topics",
            "--default-queue-count",
            "8",
            "--segment-bytes",
            Integer.toString(256 << 20)),
        "edgemq broker listening on port ");
  }

  private static ChildProcess gateway(int nsPort, boolean trace) throws IOException {
    return ChildProcess.java(
        "io.edgemq.gateway.GatewayMain",
        jvm(trace ? "gateway" : "gateway-untraced", "-Xms512m", "-Xmx1g", "-XX:+UseParallelGC"),
        List.of(
            "--namesrv",
            "127.0.0.1:" + nsPort,
            "--host",
            "0.0.0.0",
            "--mqtt-port",
            "0",
            "--ws-port",
            "-1",
            "--trace",
            Boolean.toString(trace),
            "--allow-anonymous"),
        "edgemq gateway listening on port ");
  }

  private static ChildProcess mosquitto(Path dir) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(
        conf,
        "listener "
            + port
            + " 0.0.0.0\nallow_anonymous true\nmax_connections -1\n"
            + "persistence false\nlog_dest stdout\nlog_type error\nlog_type warning\n");
    return ChildProcess.withPort(
        List.of("mosquitto", "-c", conf.toString()),
        port,
        Path.of("target", "mosquitto-bench.log"));
  }

  /** 1,000 devices, each keeping 4 PUBLISHes of 128 B in flight. */
  private static String fanIn(String target, int port, int qos, long warmMs, long measureMs)
      throws Exception {
    int devices = 1000;
    try (Devices d = Devices.connect(target + "-in" + qos + "-", port, devices, 60, 8, 50)) {
      Recorder latency = new Recorder(3);
      AtomicLong done = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicBoolean running = new AtomicBoolean(true);
      long measureFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmMs);
      long stopAt = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMs);
      for (int i = 0; i < devices; i++) {
        Mqtt3AsyncClient c = d.clients.get(i);
        String topic = "bench/dev" + i + "/telemetry";
        for (int w = 0; w < 4; w++) {
          publishLoop(c, topic, qos, running, measureFrom, stopAt, latency, done, failed);
        }
      }
      long waitMs = (stopAt - System.nanoTime()) / 1_000_000 + 1;
      Thread.sleep(waitMs); // the benchmark's own timing, not a test
      running.set(false);
      Histogram h = latency.getIntervalHistogram();
      return String.format(
          Locale.ROOT,
          "  %-15s QoS %d fan-in  %,10.0f msgs/s   PUBLISH→%s p50 %,8.0f µs  p99 %,9.0f µs%s",
          target,
          qos,
          done.get() * 1000.0 / measureMs,
          qos == 0 ? "sent  " : "PUBACK",
          h.getValueAtPercentile(50) / 1e3,
          h.getValueAtPercentile(99) / 1e3,
          failed.get() > 0 ? "   (" + failed.get() + " failed)" : "");
    }
  }

  private static void publishLoop(
      Mqtt3AsyncClient c,
      String topic,
      int qos,
      AtomicBoolean running,
      long measureFrom,
      long stopAt,
      Recorder latency,
      AtomicLong done,
      AtomicLong failed) {
    long start = System.nanoTime();
    if (!running.get() || start >= stopAt) {
      return;
    }
    c.publishWith()
        .topic(topic)
        .qos(MqttQos.fromCode(qos))
        .payload(new byte[128])
        .send()
        .whenComplete(
            (r, e) -> {
              long end = System.nanoTime();
              if (e != null) {
                failed.incrementAndGet();
              } else if (start >= measureFrom && end < stopAt) {
                latency.recordValue(end - start);
                done.incrementAndGet();
              }
              publishLoop(c, topic, qos, running, measureFrom, stopAt, latency, done, failed);
            });
  }

  /** 1,000 subscribers of one topic; 10 publishers keep 8 QoS 0 PUBLISHes each in flight. */
  /** Messages per second the fan-out row publishes, each to every one of 1,000 subscribers. */
  private static final int FAN_OUT_RATE = 20;

  /**
   * Fan-out at a fixed offered load: one publisher sends {@value #FAN_OUT_RATE} QoS 0 messages per
   * second to a topic 1,000 QoS 0 subscribers hold, i.e. 20,000 deliveries/s offered. A closed loop
   * would measure the subscribers' client library (all in this JVM, on the same two cores) rather
   * than the server; at a fixed rate the row shows whether a server keeps up and how late its
   * deliveries are (publish → subscriber callback).
   */
  private static String fanOut(String target, int port, long warmMs, long measureMs)
      throws Exception {
    AtomicLong received = new AtomicLong();
    AtomicBoolean counting = new AtomicBoolean();
    Recorder latency = new Recorder(3);
    try (Devices subs = Devices.connect(target + "-sub-", port, 1000, 60, 8, 50);
        Devices pubs = Devices.connect(target + "-pub-", port, 1, 60, 1, 10)) {
      List<java.util.concurrent.CompletableFuture<?>> acks = new ArrayList<>();
      for (Mqtt3AsyncClient s : subs.clients) {
        acks.add(
            s.subscribeWith()
                .topicFilter("fan/all")
                .qos(MqttQos.AT_MOST_ONCE)
                .callback(
                    p -> {
                      if (counting.get()) {
                        received.incrementAndGet();
                        long sentAt = java.nio.ByteBuffer.wrap(p.getPayloadAsBytes()).getLong();
                        latency.recordValue(Math.max(0, System.nanoTime() - sentAt));
                      }
                    })
                .send());
      }
      java.util.concurrent.CompletableFuture.allOf(
              acks.toArray(java.util.concurrent.CompletableFuture[]::new))
          .get(60, TimeUnit.SECONDS);
      Mqtt3AsyncClient pub = pubs.clients.get(0);
      long periodNanos = 1_000_000_000L / FAN_OUT_RATE;
      long measureFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmMs);
      long stopAt = measureFrom + TimeUnit.MILLISECONDS.toNanos(measureMs);
      long published = 0;
      for (long next = System.nanoTime(); next < stopAt; next += periodNanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(next - System.nanoTime());
        if (!counting.get() && System.nanoTime() >= measureFrom) {
          latency.reset();
          counting.set(true);
        }
        if (counting.get()) {
          published++;
        }
        byte[] payload = java.nio.ByteBuffer.allocate(128).putLong(System.nanoTime()).array();
        pub.publishWith().topic("fan/all").qos(MqttQos.AT_MOST_ONCE).payload(payload).send();
      }
      Thread.sleep(2000); // deliveries still on their way count, late
      counting.set(false);
      Histogram h = latency.getIntervalHistogram();
      return String.format(
          Locale.ROOT,
          "  %-15s fan-out 20 msgs/s to 1,000 subscribers: %,8.0f deliveries/s of %,.0f offered"
              + "   publish→delivery p50 %,9d µs  p99 %,9d µs",
          target,
          received.get() * 1000.0 / measureMs,
          published * 1000.0 * 1000 / measureMs,
          h.getValueAtPercentile(50) / 1000,
          h.getValueAtPercentile(99) / 1000);
    }
  }

  /** Opens idle connections and reports the server's memory growth per connection. */
  private static String idle(String target, ChildProcess server, int n, boolean jvm)
      throws Exception {
    String heapBefore = jvm ? heapUsedKib(server.pid()) : "";
    long otherBefore = jvm ? nativeOtherKib(server.pid()) : 0;
    long rssBefore = server.rssKib();
    try (Devices d = Devices.connect(target + "-idle-", server.port(), n, 600, 250, 50)) {
      String heapAfter = jvm ? heapUsedKib(server.pid()) : "";
      long otherAfter = jvm ? nativeOtherKib(server.pid()) : 0;
      long rssAfter = server.rssKib();
      double rssPer = (rssAfter - rssBefore) * 1024.0 / n;
      String heap =
          jvm
              ? String.format(
                  Locale.ROOT,
                  ", heap after GC %,.0f B/connection, direct (NMT Other) %,.0f B/connection",
                  (Long.parseLong(heapAfter) - Long.parseLong(heapBefore)) * 1024.0 / n,
                  (otherAfter - otherBefore) * 1024.0 / n)
              : "";
      return String.format(
          Locale.ROOT,
          "  %-15s %,d idle connections: resident memory %,.0f B/connection%s",
          target,
          d.clients.size(),
          rssPer,
          heap);
    }
  }

  /** Heap in use after a full GC, in KiB, through jcmd. */
  private static String heapUsedKib(long pid) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    run(jcmd, Long.toString(pid), "GC.run");
    String info = run(jcmd, Long.toString(pid), "GC.heap_info");
    // ParallelGC: " PSYoungGen total 123K, used 45K" and " ParOldGen total ..., used 67K"
    long used = 0;
    for (String line : info.split("\n")) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(line);
      if ((line.contains("PSYoungGen") || line.contains("ParOldGen")) && m.find()) {
        used += Long.parseLong(m.group(1));
      }
    }
    return Long.toString(used);
  }

  /** Committed native memory of NMT's "Other" category (direct buffers), in KiB. */
  private static long nativeOtherKib(long pid) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    String out = run(jcmd, Long.toString(pid), "VM.native_memory", "summary");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("- +Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)")
            .matcher(out);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** JVM options of a child; with {@code -Dbench.jfr=DIR} it records a JFR profile there. */
  private static List<String> jvm(String name, String... options) {
    List<String> out = new java.util.ArrayList<>(List.of(options));
    String jfr = System.getProperty("bench.jfr");
    if (jfr != null) {
      out.add(
          "-XX:StartFlightRecording=settings=profile,filename="
              + Path.of(jfr, name + ".jfr").toAbsolutePath());
    }
    return out;
  }
}
