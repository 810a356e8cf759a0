package io.edgemq.store.bench;

import ch.qos.logback.classic.Level;
import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.Message;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store benchmark's entry point: measures the machine's disk limits, then append throughput,
 * latency and dispatch lag for every flush mode x body size x writer count, then read throughput by
 * queue, and prints it all with the targets. See the package documentation for how to run it.
 */
public final class StoreBenchmark {
  private static final PrintStream OUT = System.out;

  private StoreBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args options, see {@link BenchArgs#USAGE}
   * @throws Exception if the store or the probes fail in a way the report cannot show
   */
  public static void main(String[] args) throws Exception {
    // The store logs every open and close at INFO; the tables would drown in it.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);
    BenchArgs options;
    try {
      options = BenchArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(BenchArgs.USAGE);
      System.exit(2);
      return;
    }
    Path work = workDir(options);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(work)));
    long started = System.nanoTime();
    int status;
    try {
      status = run(options, work);
    } finally {
      deleteQuietly(work);
    }
    OUT.printf(Locale.ROOT, "%ntotal time %.0f s%n", (System.nanoTime() - started) / 1e9);
    OUT.flush();
    System.exit(status);
  }

  private static int run(BenchArgs options, Path work) throws Exception {
    Files.createDirectories(work);
    OUT.println("EdgeMQ store benchmark: progress first, the full report at the end");
    OUT.println("measuring machine limits...");
    MachineLimits limits =
        MachineLimits.measure(work, options.seqWriteBytes(), options.fsyncIterations());
    BenchReport report = new BenchReport(OUT, limits);
    report.limits();

    List<AppendRun.Result> results = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<AppendRun.Spec> specs = new ArrayList<>();
    for (FlushMode mode : options.modes()) {
      for (int body : options.bodies()) {
        for (int writers : options.writers()) {
          specs.add(new AppendRun.Spec(mode, body, writers));
        }
      }
    }
    if (options.modes().contains(FlushMode.ASYNC)) {
      // Paced: how soon a reader sees a message when the store is busy but not saturated.
      specs.add(new AppendRun.Spec(FlushMode.ASYNC, 1024, 1, 50_000));
      specs.add(new AppendRun.Spec(FlushMode.ASYNC, 128, 4, 50_000));
    }
    jvmWarmup(work, options);
    // After the warm-up, which compiled Message.Builder, so this is the steady-state cost.
    long buildNanos = messageBuildNanos();
    for (int i = 0; i < specs.size(); i++) {
      AppendRun.Spec spec = specs.get(i);
      // Start every run with an empty young generation, so one run's garbage is not the next's GC.
      System.gc();
      Path dir = work.resolve(String.format(Locale.ROOT, "append-%02d", i));
      try {
        AppendRun.Result r = new AppendRun(spec).run(dir, options.warmup(), options.measure());
        results.add(r);
        problems.addAll(r.problems());
        if (!r.failures().isEmpty()) {
          problems.add(spec.label() + ": appends not OK: " + r.failures());
        }
        OUT.printf(
            Locale.ROOT,
            "[%2d/%d] %-26s %12s msgs/s  p99 %9s us  lag p99 %9s us%n",
            i + 1,
            specs.size(),
            spec.label(),
            BenchReport.count(r.msgsPerSec()),
            BenchReport.us(r.latencyNanos().getValueAtPercentile(99)),
            BenchReport.us(r.lag().ackToReadable().getValueAtPercentile(99)));
      } catch (IOException | RuntimeException e) {
        problems.add(spec.label() + ": run failed: " + e);
        OUT.println("[" + (i + 1) + "/" + specs.size() + "] " + spec.label() + " FAILED: " + e);
        e.printStackTrace(OUT);
      } finally {
        deleteQuietly(dir);
      }
    }

    ReadBench.Result reads = null;
    if (options.reads()) {
      OUT.printf(
          Locale.ROOT,
          "filling %,d x 128 B + %,d x 1 KiB messages and reading them back...%n",
          options.fillSmall(),
          options.fillLarge());
      System.gc();
      Path dir = work.resolve("reads");
      try {
        reads = new ReadBench().run(dir, options.fillSmall(), options.fillLarge());
        problems.addAll(reads.problems());
      } catch (IOException | RuntimeException e) {
        problems.add("read phase failed: " + e);
        e.printStackTrace(OUT);
      } finally {
        deleteQuietly(dir);
      }
    }

    header(options, work, buildNanos);
    report.limits();
    String phases =
        String.format(
            Locale.ROOT,
            "fresh store per row, %.1f s warm-up, %.1f s measured; MB = 10^6 bytes",
            options.warmup().toMillis() / 1e3,
            options.measure().toMillis() / 1e3);
    report.appends(results, phases);
    report.dispatch(results);
    report.cpu(results);
    if (reads != null) {
      report.reads(reads);
    }
    boolean met = report.targets(results);
    report.problems(problems);
    return options.failOnMiss() && (!met || !problems.isEmpty()) ? 1 : 0;
  }

  /**
   * One unreported ASYNC run first, so that JIT compilation of the store's append and dispatch
   * paths is not charged to whichever row happens to run first.
   */
  private static void jvmWarmup(Path work, BenchArgs options) throws Exception {
    Duration d =
        options.warmup().compareTo(Duration.ofSeconds(1)) < 0
            ? Duration.ofSeconds(1)
            : options.warmup();
    OUT.println("warming up the JVM (" + d.toMillis() + " ms, not reported)...");
    Path dir = work.resolve("jvm-warmup");
    try {
      new AppendRun(new AppendRun.Spec(FlushMode.ASYNC, 128, 2))
          .run(dir, d.dividedBy(2), d.dividedBy(2));
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void header(BenchArgs options, Path work, long buildNanos) throws IOException {
    OUT.println();
    OUT.println("== EdgeMQ store benchmark");
    String vm =
        System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.vm.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")";
    String gcs =
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .collect(Collectors.joining(", "));
    FileStore fs = Files.getFileStore(work);
    boolean memoryBacked = fs.type().equals("tmpfs") || fs.type().equals("ramfs");
    printField("date", ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
    printField("java", vm);
    printField(
        "jvm",
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())
            + "; max heap "
            + (Runtime.getRuntime().maxMemory() >> 20)
            + " MiB; GC "
            + gcs);
    printField("cpus", Runtime.getRuntime().availableProcessors() + " " + cpuModel());
    printField(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    printField(
        "store dir",
        work
            + " on "
            + fs.name()
            + " ("
            + fs.type()
            + (memoryBacked ? ", MEMORY-BACKED: disk numbers below are meaningless" : "")
            + ")");
    printField(
        "options",
        String.format(
            Locale.ROOT,
            "quick=%s warm-up=%d ms measured=%d ms modes=%s bodies=%s writers=%s reads=%s",
            options.quick(),
            options.warmup().toMillis(),
            options.measure().toMillis(),
            options.modes(),
            options.bodies(),
            options.writers(),
            options.reads()));
    printField(
        "store config",
        "defaults (preallocated segments, CRC on read, 1M-slot index) but "
            + (AppendRun.SEGMENT_BYTES >> 20)
            + " MiB CommitLog segments; topic 'bench', 8 queues (writer i -> queue i % 8),"
            + " tag 't', one unique key per message");
    printField(
        "harness cost",
        buildNanos
            + " ns to build one 128 B Message (done in the writer loop, outside the latency)");
  }

  private static void printField(String name, String value) {
    OUT.printf(Locale.ROOT, "  %-13s %s%n", name, value);
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> "x " + l.substring(l.indexOf(':') + 1).trim())
          .orElse("");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** What the writer loop spends before calling append; an upper bound on any msgs/s figure. */
  private static long messageBuildNanos() {
    byte[] body = new byte[128];
    long sink = 0;
    long n = 0;
    long start = System.nanoTime();
    long end = start + 1_000_000_000L;
    long measuredFrom = start + 500_000_000L;
    long t0 = 0;
    while (true) {
      long now = System.nanoTime();
      if (t0 == 0 && now >= measuredFrom) {
        t0 = now;
        n = 0;
      }
      if (now >= end) {
        sink += n;
        return sink == Long.MIN_VALUE ? 0 : (now - t0) / Math.max(1, n);
      }
      for (int i = 0; i < 1000; i++) {
        Message m =
            Message.builder()
                .topic(AppendRun.TOPIC)
                .queueId(i & 7)
                .tags("t")
                .keys(List.of("k0-" + n))
                .body(body)
                .bornTimestamp(System.currentTimeMillis())
                .build();
        sink += m.bodyLength();
        n++;
      }
    }
  }

  /** {@code store/target/bench-data/run-PID}: on the project's disk, never a tmpfs /tmp. */
  private static Path workDir(BenchArgs options) throws URISyntaxException {
    Path base = options.baseDir();
    if (base == null) {
      Path classes =
          Path.of(StoreBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // .../store/target/test-classes -> .../store/target
      Path target = classes.getParent();
      base =
          target != null && target.getFileName().toString().equals("target")
              ? target.resolve("bench-data")
              : Path.of(System.getProperty("java.io.tmpdir"), "edgemq-bench");
    }
    return base.toAbsolutePath().resolve("run-" + ProcessHandle.current().pid());
  }

  static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  /** Prints every thread's stack, for a run that hangs. */
  static void dumpThreads() {
    OUT.println("---- thread dump ----");
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      OUT.println("\"" + e.getKey().getName() + "\" " + e.getKey().getState());
      for (StackTraceElement s : e.getValue()) {
        OUT.println("    at " + s);
      }
    }
    OUT.println("---- end of thread dump ----");
  }
}
