package io.edgemq.sim.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgemq.sim.verify.QosTally;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  @TempDir Path dir;

  private static RunReport report(String name, List<String> violations, int seconds) {
    List<Sample> timeline = new ArrayList<>();
    for (int i = 1; i <= seconds; i++) {
      // latency and heap that grow: a soak run going wrong
      timeline.add(new Sample(i, 100, 1000, 990, 980, 2, 10 + i, 5, 20 + i, 100 + i));
    }
    Histogram h = new Histogram(3);
    for (int i = 1; i <= 1000; i++) {
      h.recordValue(i * 1000L); // 1..1000 ms in µs
    }
    LatencySummary l = LatencySummary.of(h);
    return new RunReport(
        name,
        "00000000000000ab",
        "2026-11-25T12:00:00Z",
        "127.0.0.1:1883",
        100,
        seconds,
        100,
        0,
        0,
        1000L * seconds,
        990L * seconds,
        0,
        0,
        990,
        980,
        l,
        l,
        LatencySummary.of(new Histogram(3)),
        l,
        List.of(new QosTally(1, 100, 1000, 1000, 0, 1000, 0, 0, 0, 0, 0, 0)),
        List.of(),
        0,
        0,
        0,
        violations,
        List.of(),
        List.of(),
        timeline);
  }

  @Test
  void shouldSummarizeAHistogramInMilliseconds() {
    Histogram h = new Histogram(3);
    for (int i = 1; i <= 1000; i++) {
      h.recordValue(i * 1000L);
    }
    LatencySummary l = LatencySummary.of(h);
    assertThat(l.count()).isEqualTo(1000);
    assertThat(l.p50()).isBetween(499.0, 501.0);
    assertThat(l.p99()).isBetween(989.0, 991.0);
    assertThat(l.max()).isBetween(999.0, 1001.0);
  }

  @Test
  void shouldWriteJsonThatReadsBackAndAHtmlFileThatNeedsNothingElse() throws Exception {
    RunReport r = report("plant <b>&</b>", List.of(), 60);
    ReportWriter.write(r, dir.resolve("out"));
    JsonNode json = new ObjectMapper().readTree(dir.resolve("out/report.json").toFile());
    assertThat(json.get("scenario").asText()).isEqualTo("plant <b>&</b>");
    assertThat(json.get("timeline")).hasSize(60);
    assertThat(json.get("telemetry").get(0).get("qos").asInt()).isEqualTo(1);
    assertThat(json.get("ackLatency").get("p50").asDouble()).isBetween(499.0, 501.0);

    String html = Files.readString(dir.resolve("out/report.html"));
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(html).contains("plant &lt;b&gt;&amp;&lt;/b&gt;").doesNotContain("<b>&</b>");
    assertThat(html)
        .doesNotContain("<script")
        .doesNotContain("src=")
        .doesNotContain("href=")
        .doesNotContain("NaN");
    // throughput, latency and connected/heap charts, 3 + 4 + 2 series
    assertThat(html.split("<svg", -1)).hasSize(4);
    assertThat(html.split("<polyline", -1)).hasSize(10);
    assertThat(html).contains("PASS");
  }

  @Test
  void shouldPrintTheVerdictAndTheDriftOfALongRun() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Summary.print(
        report("soak", List.of("QoS 1: 3 acknowledged messages lost"), 100),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("BROKEN: QoS 1: 3 acknowledged messages lost")
        .contains("RESULT: FAIL");
    // first quarter: samples 1..25 (median 13), last: 76..100 (median 88)
    assertThat(out).contains("ack p99 23.0 → 98.0 ms").contains("heap 113 → 188 MiB");
  }

  @Test
  void shouldNotComputeDriftForShortRuns() {
    assertThat(Drift.of(report("short", List.of(), 10).timeline())).isNull();
  }
}
