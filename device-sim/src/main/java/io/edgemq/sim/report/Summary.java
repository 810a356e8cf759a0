package io.edgemq.sim.report;

import io.edgemq.sim.verify.QosTally;
import java.io.PrintStream;
import java.util.List;

/** Prints the end-of-run summary a person reads in the terminal. */
public final class Summary {
  private Summary() {}

  /**
   * Prints a report.
   *
   * @param r the report
   * @param out where
   */
  public static void print(RunReport r, PrintStream out) {
    out.printf("%n== edgemq sim: %s (run %s) ==%n", r.scenario(), r.runId());
    out.printf(
        "devices %,d · connects ok %,d · failed %,d · reconnects %,d · sending %.1f s%n",
        r.devices(), r.connectOk(), r.connectFailed(), r.reconnects(), r.publishSeconds());
    out.printf(
        "published %,d · acked %,d · failed %,d · skipped %,d%n",
        r.sent(), r.acked(), r.publishFailed(), r.skipped());
    out.printf(
        "throughput: acked %,.0f msg/s · received by backend %,.0f msg/s%n",
        r.ackedPerSecond(), r.receivedPerSecond());
    if (r.ackLatency().count() > 0) {
      out.println("latency PUBLISH→ack      " + r.ackLatency().line());
    }
    if (r.endToEndLatency().count() > 0) {
      out.println("latency device→backend   " + r.endToEndLatency().line());
    }
    if (r.commandLatency().count() > 0) {
      out.println("latency backend→device   " + r.commandLatency().line());
    }
    out.println("latency CONNECT→CONNACK  " + r.connectLatency().line());
    Drift drift = Drift.of(r.timeline());
    if (drift != null) {
      out.println(drift.line());
    }
    tallies("device → backend", r.telemetry(), out);
    if (!r.commands().isEmpty()) {
      out.printf("commands accepted by the broker: %,d%n", r.commandsSent());
      tallies("backend → device (commands)", r.commands(), out);
    }
    if (r.foreign() > 0) {
      out.printf("skipped %,d backend messages of other runs%n", r.foreign());
    }
    if (r.droppedByFaultInjection() > 0) {
      out.printf("FAULT INJECTION: verifier ignored %,d arrivals%n", r.droppedByFaultInjection());
    }
    r.notes().forEach(n -> out.println("note: " + n));
    r.errors().forEach(e -> out.println("ERROR: " + e));
    r.violations().forEach(v -> out.println("BROKEN: " + v));
    out.println(r.passed() ? "RESULT: PASS" : "RESULT: FAIL");
  }

  private static void tallies(String title, List<QosTally> tallies, PrintStream out) {
    if (tallies.isEmpty()) {
      return;
    }
    out.println(title + ":");
    out.println(
        "  QoS  streams        sent       acked    received    lost   dup  reorder  redelivered");
    for (QosTally t : tallies) {
      out.printf(
          "  %3d  %7d  %10d  %10d  %10d  %6d  %4d  %7d  %11d%n",
          t.qos(),
          t.streams(),
          t.sent(),
          t.acked(),
          t.received(),
          t.lost(),
          t.duplicates(),
          t.reordered(),
          t.redelivered());
    }
  }
}
