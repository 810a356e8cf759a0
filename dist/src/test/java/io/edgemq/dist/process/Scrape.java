package io.edgemq.dist.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a /metrics endpoint, parsed from the Prometheus text format: each sample line is
 * {@code name{label="value",...} number}; comment lines are skipped.
 */
public final class Scrape {
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? ([-+0-9.eEInfNa]+)( \\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private Scrape(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  /**
   * @param text Prometheus text format
   * @return the parsed samples
   * @throws IllegalArgumentException for a line that is no sample and no comment
   */
  public static Scrape parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return new Scrape(out);
  }

  /**
   * @param port the HTTP port on 127.0.0.1
   * @return the scrape
   */
  public static Scrape of(int port) throws IOException, InterruptedException {
    HttpResponse<String> r = get(port, "/metrics");
    if (r.statusCode() != 200) {
      throw new IOException("/metrics answered " + r.statusCode());
    }
    return parse(r.body());
  }

  /**
   * @param port the HTTP port on 127.0.0.1
   * @param path the path
   * @return the answer
   */
  public static HttpResponse<String> get(int port, String path)
      throws IOException, InterruptedException {
    HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return c.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * @param name a sample name
   * @param labels labels the sample must have (others may be there too)
   * @return the sum of the matching samples' values, if any matched
   */
  public Optional<Double> value(String name, Map<String, String> labels) {
    double sum = 0;
    boolean found = false;
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
        sum += s.value();
        found = true;
      }
    }
    return found ? Optional.of(sum) : Optional.empty();
  }

  /**
   * @param name a sample name
   * @return the sum over every label set, 0 when absent
   */
  public double sum(String name) {
    return value(name, Map.of()).orElse(0.0);
  }

  /**
   * @return every sample name
   */
  public java.util.Set<String> names() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    samples.forEach(s -> out.add(s.name()));
    return out;
  }
}
