package io.edgemq.store.bench;

import io.edgemq.store.api.FlushMode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Prints the benchmark's results as aligned tables, each store figure beside the machine limit it
 * is bounded by, then the targets with MET or MISSED.
 */
final class BenchReport {
  /** Apache RocketMQ 5.5 with SYNC_FLUSH on this machine, as measured for the issue. */
  static final double ROCKETMQ_SYNC_MSGS_PER_SEC = 6_000;

  private final PrintStream out;
  private final MachineLimits limits;

  BenchReport(PrintStream out, MachineLimits limits) {
    this.out = out;
    this.limits = limits;
  }

  void limits() {
    section("Machine limits (measured in this run, same directory as the stores)");
    Histogram a = limits.appendSyncNanos();
    Table t = new Table(2, "probe", "result", "p50 us", "p99 us", "mean us", "samples");
    t.row(
        "sequential write, 1 MiB chunks, one fdatasync at the end (dd bs=1M conv=fdatasync)",
        String.format(
            Locale.ROOT,
            "%.0f MB/s (%d MiB in %.2f s)",
            limits.seqWriteMbPerSec(),
            limits.seqBytes() >> 20,
            limits.seqSeconds()),
        "",
        "",
        "",
        "");
    latencyRow(t, "4 KiB write past EOF + fdatasync (dd bs=4k oflag=dsync)", a);
    latencyRow(
        t, "4 KiB write() into a preallocated file + fdatasync", limits.overwriteSyncNanos());
    latencyRow(
        t,
        "4 KiB write into a preallocated mmap + force(range) (the store's SYNC path)",
        limits.mappedSyncNanos());
    t.print(out);
    out.printf(
        Locale.ROOT,
        "  SYNC group-commit limit = writers / fdatasync p50 (%s us): 1 -> %s, 4 -> %s, 32 -> %s"
            + " msgs/s%n",
        us(a.getValueAtPercentile(50)),
        count(limits.groupCommitLimit(1)),
        count(limits.groupCommitLimit(4)),
        count(limits.groupCommitLimit(32)));
    out.printf(
        Locale.ROOT,
        "  (with the mmap + force primitive instead: 1 -> %s, 4 -> %s, 32 -> %s msgs/s)%n",
        count(limits.mappedGroupCommitLimit(1)),
        count(limits.mappedGroupCommitLimit(4)),
        count(limits.mappedGroupCommitLimit(32)));
  }

  private static void latencyRow(Table t, String what, Histogram h) {
    t.row(
        what,
        "",
        us(h.getValueAtPercentile(50)),
        us(h.getValueAtPercentile(99)),
        us(h.getMean()),
        h.getTotalCount());
  }

  void appends(List<AppendRun.Result> results, String phases) {
    section("Append throughput and latency (" + phases + ")");
    Table t =
        new Table(
            2,
            "mode",
            "body",
            "writers",
            "msgs/s",
            "body MB/s",
            "log MB/s",
            "rec B",
            "mean us",
            "p50 us",
            "p99 us",
            "p99.9 us",
            "max us",
            "limit msgs/s",
            "of limit",
            "failed");
    for (AppendRun.Result r : results) {
      Histogram h = r.latencyNanos();
      double limit = limit(r);
      t.row(
          r.spec().mode(),
          bytes(r.spec().bodyBytes()),
          r.spec().writersLabel(),
          count(r.msgsPerSec()),
          mb(r.bodyMbPerSec()),
          mb(r.logMbPerSec()),
          String.format(Locale.ROOT, "%.0f", r.recordBytes()),
          us(h.getMean()),
          us(h.getValueAtPercentile(50)),
          us(h.getValueAtPercentile(99)),
          us(h.getValueAtPercentile(99.9)),
          us(h.getMaxValue()),
          count(limit),
          pct(r.msgsPerSec() / limit),
          r.failures().values().stream().mapToLong(Long::longValue).sum());
    }
    t.print(out);
    out.println("  latency: append() call to its future completing, as the writer saw it (join).");
    out.println(
        "  log MB/s: whole CommitLog records (header, topic, tag, key, body); rec B: bytes per"
            + " record.");
    out.println(
        "  limit: ASYNC = sequential write bandwidth / rec B; SYNC = min(that, writers /"
            + " fdatasync p50).");
  }

  void dispatch(List<AppendRun.Result> results) {
    section(
        "Dispatch lag (append acknowledged -> arrival listener; ASYNC samples 1 in 64 messages,"
            + " SYNC all)");
    Table t =
        new Table(
            2,
            "mode",
            "body",
            "writers",
            "samples",
            "lag p50 us",
            "lag p99 us",
            "lag max us",
            "append->readable p50 us",
            "p99 us",
            "readable before ack",
            "max backlog KiB",
            "backlog at stop KiB",
            "catch-up ms",
            "catch-up msgs/s");
    for (AppendRun.Result r : results) {
      Histogram lag = r.lag().ackToReadable();
      Histogram e2e = r.lag().appendToReadable();
      long n = lag.getTotalCount();
      t.row(
          r.spec().mode(),
          bytes(r.spec().bodyBytes()),
          r.spec().writersLabel(),
          n,
          us(lag.getValueAtPercentile(50)),
          us(lag.getValueAtPercentile(99)),
          us(lag.getMaxValue()),
          us(e2e.getValueAtPercentile(50)),
          us(e2e.getValueAtPercentile(99)),
          n == 0 ? "-" : pct((double) r.lag().readableBeforeAck() / n),
          String.format(Locale.ROOT, "%,d", r.maxBacklogBytes() >> 10),
          String.format(Locale.ROOT, "%,d", r.backlogAtStopBytes() >> 10),
          String.format(Locale.ROOT, "%.1f", r.catchUpMillis()),
          r.backlogAtStopBytes() < 1 << 20 ? "-" : count(r.catchUpMsgsPerSec()));
    }
    t.print(out);
    out.println(
        "  backlog: CommitLog bytes written but not yet in consume queues/index, sampled every"
            + " 20 ms;");
    out.println(
        "  catch-up: time from the writers stopping until the dispatcher reached the end of the"
            + " log;");
    out.println(
        "  catch-up msgs/s: that backlog / the time, i.e. the dispatcher's own rate once writers"
            + " are idle (shown when >= 1 MiB).");
    out.println(
        "  readable before ack: the listener fired before the writer's join() returned (lag"
            + " counted as 0).");
  }

  void cpu(List<AppendRun.Result> results) {
    section(
        "CPU during the measured phase (cores busy, as total/in kernel; "
            + Runtime.getRuntime().availableProcessors()
            + " available)");
    List<String> header = new ArrayList<>(List.of("mode", "body", "writers", "process"));
    header.addAll(CpuSampler.CATEGORIES.values());
    header.addAll(List.of(CpuSampler.OTHER_JAVA, CpuSampler.JVM, "GCs", "GC ms"));
    Table t = new Table(2, header.toArray(new String[0]));
    for (AppendRun.Result r : results) {
      List<Object> row = new ArrayList<>();
      row.add(r.spec().mode());
      row.add(bytes(r.spec().bodyBytes()));
      row.add(r.spec().writersLabel());
      row.add(cores(r.cpu().processCores()));
      for (Map.Entry<String, Double> e : r.cpu().cores().entrySet()) {
        Double k = r.cpu().kernelCores().get(e.getKey());
        row.add(cores(e.getValue()) + (k == null ? "" : "/" + cores(k)));
      }
      row.add(r.cpu().gcCount());
      row.add(r.cpu().gcMillis());
      t.row(row.toArray());
    }
    t.print(out);
    out.println(
        "  jvm+gc: process CPU not charged to any Java thread (GC workers, JIT compilers);"
            + " kernel time there is not split out.");
    out.println(
        "  kernel time of flush/housekeep is msync writeback of mapped files; of allocate,"
            + " zero-filling the next segment.");
  }

  void reads(ReadBench.Result r) {
    section("Read throughput by queue (one thread, 8 queues each read from 0 to the end)");
    Table fills = new Table(1, "fill (1 writer, ASYNC)", "messages", "seconds", "msgs/s");
    for (ReadBench.Fill f : r.fills()) {
      fills.row(
          f.topic() + " (" + bytes(f.bodyBytes()) + ")",
          count(f.messages()),
          String.format(Locale.ROOT, "%.2f", f.seconds()),
          count(f.messages() / f.seconds()));
    }
    fills.print(out);
    out.println();
    Table t =
        new Table(
            1,
            "read(topic, q, offset, " + ReadBench.BATCH + ", ALL)",
            "messages",
            "msgs/s",
            "body MB/s",
            "slowest queue msgs/s",
            "fastest queue msgs/s");
    for (ReadBench.QueueRead q : r.reads()) {
      t.row(
          q.topic() + " (" + bytes(q.bodyBytes()) + ")",
          count(q.messages()),
          count(q.msgsPerSec()),
          mb(q.mbPerSec()),
          count(q.minQueueRate()),
          count(q.maxQueueRate()));
    }
    t.print(out);
    ReadBench.FilteredRead f = r.filtered();
    out.println();
    new Table(1, "filtered read, small queue 0", "units scanned", "matched", "ms", "units/s")
        .row(
            "anyTag(\"x\"), 1 in 10 tagged x",
            count(f.scanned()),
            count(f.matched()),
            String.format(Locale.ROOT, "%.1f", f.seconds() * 1e3),
            count(f.scanned() / f.seconds()))
        .row(
            "ALL (same queue, for comparison)",
            count(f.scanned()),
            count(f.scanned()),
            String.format(Locale.ROOT, "%.1f", f.allSeconds() * 1e3),
            count(f.scanned() / f.allSeconds()))
        .print(out);
    out.println(
        "  second of two passes (the first warms the JIT); data is in the page cache, so these"
            + " are CPU-bound.");
  }

  /**
   * Prints the targets and whether each is met.
   *
   * @return true when every target that ran is met
   */
  boolean targets(List<AppendRun.Result> results) {
    section("Targets");
    Table t = new Table(1, "target", "required", "measured", "verdict");
    boolean allMet = true;
    allMet &= target(t, results, FlushMode.ASYNC, 128, 1, 1_000_000, "ASYNC, 1 writer, 128 B");
    allMet &= target(t, results, FlushMode.ASYNC, 1024, 1, 400_000, "ASYNC, 1 writer, 1 KiB");
    double limit = limits.groupCommitLimit(32);
    allMet &=
        target(
            t,
            results,
            FlushMode.SYNC,
            1024,
            32,
            0.7 * limit,
            "SYNC, 32 writers, 1 KiB: >= 70% of group-commit limit " + count(limit));
    t.print(out);
    AppendRun.Result sync = find(results, FlushMode.SYNC, 1024, 32);
    if (sync != null) {
      out.printf(
          Locale.ROOT,
          "  for reference: SYNC 32 x 1 KiB = %.1f%% of the group-commit limit, %.1fx Apache"
              + " RocketMQ 5.5 SYNC_FLUSH (~%s msgs/s here)%n",
          100 * sync.msgsPerSec() / limit,
          sync.msgsPerSec() / ROCKETMQ_SYNC_MSGS_PER_SEC,
          count(ROCKETMQ_SYNC_MSGS_PER_SEC));
    }
    return allMet;
  }

  private boolean target(
      Table t,
      List<AppendRun.Result> results,
      FlushMode mode,
      int body,
      int writers,
      double required,
      String what) {
    AppendRun.Result r = find(results, mode, body, writers);
    if (r == null) {
      t.row(what, ">= " + count(required) + " msgs/s", "-", "NOT RUN");
      return true;
    }
    boolean met = r.msgsPerSec() >= required;
    t.row(
        what,
        ">= " + count(required) + " msgs/s",
        count(r.msgsPerSec()) + " msgs/s (" + pct(r.msgsPerSec() / required) + ")",
        met ? "MET" : "MISSED");
    return met;
  }

  void problems(List<String> problems) {
    section("Store problems found while benchmarking");
    if (problems.isEmpty()) {
      out.println("  none: every append was acknowledged OK, every acknowledged message reached");
      out.println("  its consume queue, and every queue read back complete and in order.");
      return;
    }
    for (String p : problems) {
      out.println("  ! " + p);
    }
  }

  private double limit(AppendRun.Result r) {
    double bw = limits.bandwidthLimit(Math.max(1, r.recordBytes()));
    return r.spec().mode() == FlushMode.SYNC
        ? Math.min(bw, limits.groupCommitLimit(r.spec().writers()))
        : bw;
  }

  private static AppendRun.Result find(
      List<AppendRun.Result> results, FlushMode mode, int body, int writers) {
    for (AppendRun.Result r : results) {
      AppendRun.Spec s = r.spec();
      if (s.mode() == mode
          && s.bodyBytes() == body
          && s.writers() == writers
          && s.ratePerWriter() == 0) {
        return r;
      }
    }
    return null;
  }

  void section(String title) {
    out.println();
    out.println("== " + title);
  }

  static String count(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  static String mb(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String pct(double ratio) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * ratio);
  }

  static String cores(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String bytes(int b) {
    return b % 1024 == 0 ? (b / 1024) + " KiB" : b + " B";
  }

  /** Nanoseconds as microseconds, with more decimals for small values. */
  static String us(double nanos) {
    double us = nanos / 1e3;
    if (us < 10) {
      return String.format(Locale.ROOT, "%.2f", us);
    }
    if (us < 1000) {
      return String.format(Locale.ROOT, "%.1f", us);
    }
    return String.format(Locale.ROOT, "%,.0f", us);
  }
}
