package io.edgemq.store.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where CPU time goes during a measured phase: per thread category (writers, the store's
 * dispatcher, flusher, allocator, housekeeping) plus what the JVM spends outside Java threads (GC,
 * JIT), and GC pauses. On a 2-core machine this tells at a glance which thread is the bottleneck.
 */
final class CpuSampler {
  /** Thread-name prefixes of the categories, in print order. */
  static final Map<String, String> CATEGORIES = new LinkedHashMap<>();

  static {
    CATEGORIES.put("bench-writer", "writers");
    CATEGORIES.put("store-dispatch", "dispatch");
    CATEGORIES.put("store-flush", "flush");
    CATEGORIES.put("store-allocate", "allocate");
    CATEGORIES.put("store-housekeeping", "housekeep");
  }

  static final String OTHER_JAVA = "other";
  static final String JVM = "jvm+gc";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CpuSampler() {}

  /** CPU counters at one instant. */
  record Snapshot(
      long wallNanos,
      long processCpuNanos,
      Map<Long, Long> threadCpu,
      Map<Long, Long> threadUser,
      Map<Long, String> names) {}

  /**
   * CPU use between two snapshots, in cores (1.0 = one core busy all the time).
   *
   * @param cores by category, including {@link #OTHER_JAVA} and {@link #JVM}
   * @param kernelCores the part of {@code cores} spent in the kernel (page faults, msync, write);
   *     unknown for {@link #JVM}
   * @param processCores the whole process
   * @param gcCount collections in the interval
   * @param gcMillis time the collectors report for them
   */
  record Breakdown(
      Map<String, Double> cores,
      Map<String, Double> kernelCores,
      double processCores,
      long gcCount,
      long gcMillis) {}

  /** GC totals at one instant. */
  record Gc(long count, long millis) {
    static Gc now() {
      long c = 0;
      long t = 0;
      for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
        c += Math.max(0, b.getCollectionCount());
        t += Math.max(0, b.getCollectionTime());
      }
      return new Gc(c, t);
    }
  }

  static Snapshot take() {
    Map<Long, Long> cpu = new HashMap<>();
    Map<Long, Long> user = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    if (THREADS.isThreadCpuTimeSupported()) {
      for (ThreadInfo ti : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (ti == null) {
          continue;
        }
        long t = THREADS.getThreadCpuTime(ti.getThreadId());
        long u = THREADS.getThreadUserTime(ti.getThreadId());
        if (t >= 0 && u >= 0) {
          cpu.put(ti.getThreadId(), t);
          user.put(ti.getThreadId(), u);
          names.put(ti.getThreadId(), ti.getThreadName());
        }
      }
    }
    return new Snapshot(System.nanoTime(), processCpu(), cpu, user, names);
  }

  static Breakdown between(Snapshot a, Snapshot b, Gc gcA, Gc gcB) {
    double wall = b.wallNanos() - a.wallNanos();
    Map<String, Double> cores = new LinkedHashMap<>();
    Map<String, Double> kernel = new LinkedHashMap<>();
    CATEGORIES.values().forEach(c -> cores.put(c, 0.0));
    cores.put(OTHER_JAVA, 0.0);
    cores.keySet().forEach(c -> kernel.put(c, 0.0));
    long javaTotal = 0;
    for (Map.Entry<Long, Long> e : b.threadCpu().entrySet()) {
      long id = e.getKey();
      long delta = e.getValue() - a.threadCpu().getOrDefault(id, 0L);
      long userDelta = b.threadUser().get(id) - a.threadUser().getOrDefault(id, 0L);
      javaTotal += delta;
      String c = category(b.names().get(id));
      cores.merge(c, delta / wall, Double::sum);
      kernel.merge(c, Math.max(0, delta - userDelta) / wall, Double::sum);
    }
    long process = b.processCpuNanos() - a.processCpuNanos();
    // Threads that ended in the interval also land here; the writers do not (they stop after).
    cores.put(JVM, Math.max(0, process - javaTotal) / wall);
    return new Breakdown(
        cores, kernel, process / wall, gcB.count() - gcA.count(), gcB.millis() - gcA.millis());
  }

  private static String category(String threadName) {
    for (Map.Entry<String, String> c : CATEGORIES.entrySet()) {
      if (threadName != null && threadName.startsWith(c.getKey())) {
        return c.getValue();
      }
    }
    return OTHER_JAVA;
  }

  private static long processCpu() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }
}
