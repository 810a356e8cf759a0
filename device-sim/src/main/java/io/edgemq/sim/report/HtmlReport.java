package io.edgemq.sim.report;

import io.edgemq.sim.verify.QosTally;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML page: summary tables and line charts drawn as inline SVG, with no script
 * and nothing loaded from elsewhere, so the file can be mailed or archived as it is.
 */
final class HtmlReport {
  private static final int W = 860;
  private static final int H = 240;
  private static final int PAD = 48;
  private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"};

  private HtmlReport() {}

  static String render(RunReport r) {
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>edgemq sim: ")
        .append(esc(r.scenario()))
        .append("</title><style>body{font:14px system-ui,sans-serif;margin:24px;max-width:920px}")
        .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;")
        .append("padding:3px 8px;text-align:right}th{background:#f3f3f3}.pass{color:#2a2}")
        .append(
            ".fail{color:#c22}svg{background:#fcfcfc;border:1px solid #ddd}</style></head><body>");
    b.append("<h1>edgemq sim: ").append(esc(r.scenario())).append("</h1>");
    b.append("<p class=\"")
        .append(r.passed() ? "pass\"><b>PASS</b>" : "fail\"><b>FAIL</b>")
        .append(" · run ")
        .append(esc(r.runId()))
        .append(" · started ")
        .append(esc(r.startedAt()))
        .append(" · gateway ")
        .append(esc(r.gateway()))
        .append("</p>");
    list(b, "Broken guarantees", r.violations());
    list(b, "Errors", r.errors());
    list(b, "Notes", r.notes());
    overview(b, r);
    latency(b, r);
    Drift drift = Drift.of(r.timeline());
    if (drift != null) {
      b.append("<p>").append(esc(drift.line())).append("</p>");
    }
    tallies(b, "Device → backend", r.telemetry());
    tallies(b, "Backend → device (commands)", r.commands());
    List<Sample> t = r.timeline();
    b.append("<h2>Throughput over time (msg/s)</h2>");
    chart(
        b,
        t,
        new String[] {"sent", "acked", "received"},
        List.of(Sample::sentPerSec, Sample::ackedPerSec, Sample::receivedPerSec));
    b.append("<h2>Latency over time (ms, per second)</h2>");
    chart(
        b,
        t,
        new String[] {"ack p50", "ack p99", "end-to-end p50", "end-to-end p99"},
        List.of(Sample::ackP50Ms, Sample::ackP99Ms, Sample::e2eP50Ms, Sample::e2eP99Ms));
    b.append("<h2>Connected devices and simulator heap (MiB)</h2>");
    chart(
        b,
        t,
        new String[] {"connected", "heap MiB"},
        List.of(s -> (double) s.connected(), Sample::heapMb));
    b.append("</body></html>\n");
    return b.toString();
  }

  private static void list(StringBuilder b, String title, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    b.append("<h3>").append(title).append("</h3><ul>");
    items.forEach(i -> b.append("<li>").append(esc(i)).append("</li>"));
    b.append("</ul>");
  }

  private static void overview(StringBuilder b, RunReport r) {
    b.append("<h2>Overview</h2><table>");
    row(b, "devices", String.format("%,d", r.devices()));
    row(
        b,
        "connects ok / failed / reconnects",
        String.format("%,d / %,d / %,d", r.connectOk(), r.connectFailed(), r.reconnects()));
    row(b, "sending phase", String.format(Locale.ROOT, "%.1f s", r.publishSeconds()));
    row(
        b,
        "published / acked / failed / skipped",
        String.format(
            "%,d / %,d / %,d / %,d", r.sent(), r.acked(), r.publishFailed(), r.skipped()));
    row(b, "acked msg/s", String.format("%,.0f", r.ackedPerSecond()));
    row(b, "received by backend msg/s", String.format("%,.0f", r.receivedPerSecond()));
    row(b, "commands accepted by the broker", String.format("%,d", r.commandsSent()));
    b.append("</table>");
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("<tr><th style=\"text-align:left\">")
        .append(esc(k))
        .append("</th><td>")
        .append(esc(v))
        .append("</td></tr>");
  }

  private static void latency(StringBuilder b, RunReport r) {
    b.append("<h2>Latency (ms)</h2><table><tr><th></th><th>count</th><th>p50</th><th>p90</th>")
        .append("<th>p99</th><th>p99.9</th><th>max</th></tr>");
    lat(b, "PUBLISH → ack", r.ackLatency());
    lat(b, "device → backend", r.endToEndLatency());
    lat(b, "backend → device", r.commandLatency());
    lat(b, "CONNECT → CONNACK", r.connectLatency());
    b.append("</table>");
  }

  private static void lat(StringBuilder b, String name, LatencySummary l) {
    if (l.count() == 0) {
      return;
    }
    b.append(
        String.format(
            Locale.ROOT,
            "<tr><th style=\"text-align:left\">%s</th><td>%,d</td><td>%.2f</td><td>%.2f</td>"
                + "<td>%.2f</td><td>%.2f</td><td>%.2f</td></tr>",
            esc(name),
            l.count(),
            l.p50(),
            l.p90(),
            l.p99(),
            l.p999(),
            l.max()));
  }

  private static void tallies(StringBuilder b, String title, List<QosTally> ts) {
    if (ts.isEmpty()) {
      return;
    }
    b.append("<h2>")
        .append(esc(title))
        .append("</h2><table><tr><th>QoS</th><th>streams</th>")
        .append("<th>sent</th><th>acked</th><th>failed</th><th>received</th><th>lost</th>")
        .append("<th>duplicated</th><th>reordered</th><th>redelivered</th></tr>");
    for (QosTally t : ts) {
      b.append(
          String.format(
              "<tr><td>%d</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td>"
                  + "<td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td><td>%,d</td></tr>",
              t.qos(),
              t.streams(),
              t.sent(),
              t.acked(),
              t.failed(),
              t.received(),
              t.lost(),
              t.duplicates(),
              t.reordered(),
              t.redelivered()));
    }
    b.append("</table>");
  }

  /** A line chart of one or more series against the run time, with axes and a legend. */
  static void chart(
      StringBuilder b, List<Sample> t, String[] names, List<ToDoubleFunction<Sample>> series) {
    if (t.isEmpty()) {
      b.append("<p>(no samples)</p>");
      return;
    }
    double maxX = Math.max(1, t.get(t.size() - 1).atSeconds());
    double maxY = 0;
    for (ToDoubleFunction<Sample> f : series) {
      for (Sample s : t) {
        maxY = Math.max(maxY, f.applyAsDouble(s));
      }
    }
    maxY = maxY <= 0 ? 1 : maxY * 1.05;
    b.append(
        String.format(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\">",
            W, H, W, H));
    axes(b, maxX, maxY);
    for (int i = 0; i < series.size(); i++) {
      b.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"")
          .append(COLORS[i % COLORS.length])
          .append("\" points=\"");
      for (Sample s : t) {
        b.append(
            String.format(
                Locale.ROOT,
                "%.1f,%.1f ",
                x(s.atSeconds(), maxX),
                y(series.get(i).applyAsDouble(s), maxY)));
      }
      b.append("\"/>");
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" fill=\"%s\" font-size=\"12\">%s</text>",
              PAD + 10 + i * 150,
              14,
              COLORS[i % COLORS.length],
              esc(names[i])));
    }
    b.append("</svg>");
  }

  private static void axes(StringBuilder b, double maxX, double maxY) {
    b.append(
        String.format(
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
            PAD, H - PAD / 2, W - 10, H - PAD / 2));
    b.append(
        String.format(
            "<line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>",
            PAD, PAD, H - PAD / 2));
    for (int k = 0; k <= 4; k++) {
      double v = maxY * k / 4;
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>",
              PAD - 4,
              y(v, maxY) + 3,
              num(v)));
      double s = maxX * k / 4;
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%ss</text>",
              x(s, maxX),
              H - PAD / 2 + 14,
              num(s)));
    }
  }

  private static double x(double sec, double maxX) {
    return PAD + (W - PAD - 10) * sec / maxX;
  }

  private static double y(double v, double maxY) {
    return (H - PAD / 2.0) - (H - PAD / 2.0 - 20) * v / maxY;
  }

  private static String num(double v) {
    if (v == 0) {
      return "0";
    }
    if (v >= 10_000) {
      return String.format(Locale.ROOT, "%.0fk", v / 1000);
    }
    return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
