package io.edgemq.store.bench;

import io.edgemq.store.api.FlushMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The benchmark's options, given as {@code --name=value}. {@code --quick=true} shortens every phase
 * for iteration; any other option given explicitly overrides what {@code --quick} implies.
 *
 * @param quick whether the short defaults apply
 * @param warmup how long each append run warms up before measuring
 * @param measure how long each append run is measured
 * @param modes the flush modes to run
 * @param bodies the body sizes to run, in bytes
 * @param writers the writer counts to run
 * @param reads whether to run the fill and read phase
 * @param baseDir where store and probe files go, or null to choose {@code store/target/bench-data}
 * @param seqWriteBytes bytes written for the sequential bandwidth probe
 * @param fsyncIterations samples for the small write + fdatasync probe
 * @param fillSmall 128 B messages stored for the read phase
 * @param fillLarge 1 KiB messages stored for the read phase
 * @param failOnMiss whether a missed target or a store error makes the exit status non-zero
 */
public record BenchArgs(
    boolean quick,
    Duration warmup,
    Duration measure,
    List<FlushMode> modes,
    List<Integer> bodies,
    List<Integer> writers,
    boolean reads,
    Path baseDir,
    long seqWriteBytes,
    int fsyncIterations,
    int fillSmall,
    int fillLarge,
    boolean failOnMiss) {

  /** What {@link #parse} accepts, printed on a bad option. */
  public static final String USAGE =
      String.join(
          "\n",
          "options (all --name=value):",
          "  --quick=true|false       short phases (0.5 s warm-up, 1.5 s measured, small fills)",
          "  --warmup-ms=N            warm-up per append run (default 2000, quick 500)",
          "  --measure-ms=N           measured phase per append run (default 5000, quick 1500)",
          "  --modes=ASYNC,SYNC       flush modes to run",
          "  --bodies=128,1024        body sizes in bytes",
          "  --writers=1,4,32         writer thread counts",
          "  --reads=true|false       run the fill + read-by-queue phase",
          "  --dir=PATH               base directory (default store/target/bench-data)",
          "  --seq-write-mib=N        sequential bandwidth probe size (default 512, quick 128)",
          "  --fsync-iterations=N     small write + fdatasync samples (default 2000, quick 500)",
          "  --fill-small=N           128 B messages for the read phase (default 1000000)",
          "  --fill-large=N           1 KiB messages for the read phase (default 300000)",
          "  --fail-on-miss=true      exit 1 when a target is missed or the store misbehaves");

  /**
   * Parses the command line.
   *
   * @param args the arguments, each {@code --name=value}
   * @return the options
   * @throws IllegalArgumentException on an unknown option or a bad value
   */
  public static BenchArgs parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (!a.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("expected --name=value, got '" + a + "'");
      }
      given.put(a.substring(2, eq), a.substring(eq + 1));
    }
    Options o = new Options(given);
    boolean quick = o.get("quick", false, Boolean::parseBoolean);
    BenchArgs parsed =
        new BenchArgs(
            quick,
            Duration.ofMillis(o.get("warmup-ms", quick ? 500L : 2000L, Long::parseLong)),
            Duration.ofMillis(o.get("measure-ms", quick ? 1500L : 5000L, Long::parseLong)),
            o.get(
                "modes",
                List.of(FlushMode.ASYNC, FlushMode.SYNC),
                s -> list(s, v -> FlushMode.valueOf(v.toUpperCase(Locale.ROOT)))),
            o.get("bodies", List.of(128, 1024), s -> list(s, Integer::parseInt)),
            o.get("writers", List.of(1, 4, 32), s -> list(s, Integer::parseInt)),
            o.get("reads", true, Boolean::parseBoolean),
            o.get("dir", null, Path::of),
            o.get("seq-write-mib", quick ? 128L : 512L, Long::parseLong) << 20,
            o.get("fsync-iterations", quick ? 500 : 2000, Integer::parseInt),
            o.get("fill-small", quick ? 200_000 : 1_000_000, Integer::parseInt),
            o.get("fill-large", quick ? 60_000 : 300_000, Integer::parseInt),
            o.get("fail-on-miss", false, Boolean::parseBoolean));
    if (!given.isEmpty()) {
      throw new IllegalArgumentException("unknown option(s): " + given.keySet());
    }
    return parsed;
  }

  private static <T> List<T> list(String csv, Function<String, T> each) {
    List<T> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(each.apply(s.trim()));
      }
    }
    return List.copyOf(out);
  }

  /** Takes options out of the map as they are read, so what is left over is unknown. */
  private record Options(Map<String, String> given) {
    <T> T get(String name, T dflt, Function<String, T> parse) {
      String v = given.remove(name);
      if (v == null) {
        return dflt;
      }
      try {
        return parse.apply(v);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad value for --" + name + ": '" + v + "'", e);
      }
    }
  }
}
