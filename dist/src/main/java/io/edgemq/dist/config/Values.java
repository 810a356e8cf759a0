package io.edgemq.dist.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Parsers of the value kinds config files hold; each refuses bad text with the reason. */
public final class Values {
  private Values() {}

  /**
   * @param min smallest allowed
   * @param max largest allowed
   * @return a parser of decimal integers within [min, max]
   */
  public static Function<String, Integer> intIn(int min, int max) {
    return text -> {
      long v = longIn(min, max).apply(text);
      return (int) v;
    };
  }

  /**
   * @param min smallest allowed
   * @param max largest allowed
   * @return a parser of decimal longs within [min, max]
   */
  public static Function<String, Long> longIn(long min, long max) {
    return text -> {
      long v;
      try {
        v = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an integer");
      }
      if (v < min || v > max) {
        throw new IllegalArgumentException("must be within [" + min + ", " + max + "]");
      }
      return v;
    };
  }

  /**
   * @param allowOff whether -1 (listener off) is allowed
   * @return a parser of TCP ports, 0 = any free port
   */
  public static Function<String, Integer> port(boolean allowOff) {
    Function<String, Integer> range = intIn(allowOff ? -1 : 0, 65535);
    return text -> {
      try {
        return range.apply(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            allowOff ? "a port 0-65535 (0 = any free one) or -1 (off)" : "a port 0-65535");
      }
    };
  }

  /**
   * @param text {@code true} or {@code false}
   * @return the boolean
   */
  public static Boolean bool(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  /**
   * Parses a duration written as a number and a unit: {@code 500ms}, {@code 30s}, {@code 5m},
   * {@code 72h}, {@code 7d}.
   *
   * @param text the text
   * @return the duration, positive
   */
  public static Duration duration(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    int unitAt = 0;
    while (unitAt < t.length() && Character.isDigit(t.charAt(unitAt))) {
      unitAt++;
    }
    if (unitAt == 0 || unitAt == t.length()) {
      throw new IllegalArgumentException("a duration like 500ms, 30s, 5m, 72h or 7d");
    }
    long n;
    try {
      n = Long.parseLong(t.substring(0, unitAt));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a duration like 500ms, 30s, 5m, 72h or 7d");
    }
    Duration d =
        switch (t.substring(unitAt)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default ->
              throw new IllegalArgumentException("a duration like 500ms, 30s, 5m, 72h or 7d");
        };
    if (d.isZero()) {
      throw new IllegalArgumentException("must be positive");
    }
    return d;
  }

  /**
   * Parses a comma-separated list of durations, e.g. {@code 10s,30s,1m}.
   *
   * @param text the list
   * @return the durations, at least one
   */
  public static List<Duration> durations(String text) {
    List<Duration> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      out.add(duration(part.trim()));
    }
    return List.copyOf(out);
  }

  /**
   * @param text a path; empty means none
   * @return the path, or null for empty text
   */
  public static Path optionalPath(String text) {
    return text.isEmpty() ? null : Path.of(text);
  }

  /**
   * @param text a path
   * @return the path
   */
  public static Path path(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("a path is required");
    }
    return Path.of(text);
  }

  /**
   * @param text a string matching {@code [A-Za-z0-9_-]{1,40}}
   * @return the text
   */
  public static String name(String text) {
    if (!text.matches("[A-Za-z0-9_-]{1,40}")) {
      throw new IllegalArgumentException("1-40 characters of [A-Za-z0-9_-]");
    }
    return text;
  }

  /**
   * @param text a host name or address
   * @return the text
   */
  public static String host(String text) {
    if (text.isEmpty() || text.contains(" ")) {
      throw new IllegalArgumentException("a host name or address");
    }
    return text;
  }

  /**
   * @param text {@code 0 < ratio < 1}
   * @return the ratio
   */
  public static Double ratio(String text) {
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a number between 0 and 1");
    }
    if (!(v > 0 && v < 1)) {
      throw new IllegalArgumentException("a number between 0 and 1 (exclusive)");
    }
    return v;
  }

  /**
   * @param type the enum
   * @param <E> the enum type
   * @return a parser of its constant names, case-insensitive
   */
  public static <E extends Enum<E>> Function<String, E> oneOf(Class<E> type) {
    return text -> {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(text)) {
          return e;
        }
      }
      List<String> names = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        names.add(e.name());
      }
      throw new IllegalArgumentException("one of " + String.join(", ", names));
    };
  }

  /**
   * Parses {@code host:port[,host:port...]}.
   *
   * @param text the list; empty is an empty list
   * @return the addresses, unresolved
   */
  public static List<InetSocketAddress> addresses(String text) {
    List<InetSocketAddress> out = new ArrayList<>();
    if (text.isEmpty()) {
      return out;
    }
    for (String part : text.split(",")) {
      String a = part.trim();
      int colon = a.lastIndexOf(':');
      int port = -1;
      if (colon > 0) {
        try {
          port = Integer.parseInt(a.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("'" + a + "': expected host:port[,host:port...]");
      }
      out.add(InetSocketAddress.createUnresolved(a.substring(0, colon), port));
    }
    return List.copyOf(out);
  }
}
