package io.edgemq.dist.admin;

import io.edgemq.client.api.TraceEntry;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code edgemq admin trace <msgId|key>}: a traced message's life in time order, as a table per
 * message (a key may match several) or, with {@code --json}, one array of every event.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description =
        "Shows the trace events (send, store, deliver, consume, retry, dead letter) of a message"
            + " by id, or of every message with a key, oldest first.")
final class TraceCommand implements Callable<Integer> {
  static final List<String> COLUMNS =
      List.of(
          "TIME", "KIND", "HOST", "CLIENT", "GROUP", "BROKER", "QUEUE", "OFFSET", "COST", "STATUS");

  /** The JSON form carries every field. */
  static final List<String> JSON_COLUMNS =
      List.of(
          "MESSAGE_ID",
          "TOPIC",
          "TAG",
          "KEYS",
          "TIME",
          "KIND",
          "HOST",
          "CLIENT",
          "GROUP",
          "BROKER",
          "QUEUE",
          "OFFSET",
          "COST_MS",
          "STATUS",
          "RECONSUME_TIMES",
          "TARGET_TOPIC");

  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MSG_ID_OR_KEY", description = "a message id or key")
  String idOrKey;

  @Override
  public Integer call() {
    return admin.withAdmin(
        spec,
        (a, p) -> {
          List<TraceEntry> events = a.trace(idOrKey);
          if (events.isEmpty()) {
            spec.commandLine()
                .getErr()
                .println(
                    "edgemq admin: no trace events for "
                        + idOrKey
                        + " (was it sent by a tracing producer?)");
            spec.commandLine().getErr().flush();
            return AdminCommand.CALL_FAILED;
          }
          if (p.json()) {
            List<List<Object>> rows = new ArrayList<>();
            events.forEach(e -> rows.add(jsonRow(e)));
            return p.rows(JSON_COLUMNS, rows);
          }
          tables(p.out(), events);
          return 0;
        });
  }

  private static void tables(PrintWriter out, List<TraceEntry> events) {
    Map<String, List<TraceEntry>> byMessage = new LinkedHashMap<>();
    events.forEach(e -> byMessage.computeIfAbsent(e.messageId(), k -> new ArrayList<>()).add(e));
    boolean first = true;
    for (List<TraceEntry> life : byMessage.values()) {
      TraceEntry e0 = life.get(0);
      if (!first) {
        out.println();
      }
      first = false;
      out.println(
          "message "
              + e0.messageId()
              + "  topic "
              + e0.topic()
              + (e0.tag().isEmpty() ? "" : "  tag " + e0.tag())
              + (e0.keys().isEmpty() ? "" : "  keys " + String.join(" ", e0.keys())));
      List<List<Object>> rows = new ArrayList<>();
      life.forEach(e -> rows.add(row(e)));
      Output.print(out, false, COLUMNS, rows);
    }
    out.flush();
  }

  static List<Object> row(TraceEntry e) {
    List<Object> r = new ArrayList<>();
    r.add(Instant.ofEpochMilli(e.timestampMs()).toString());
    r.add(e.kind());
    r.add(blankAsNull(e.host()));
    r.add(blankAsNull(e.clientId()));
    r.add(blankAsNull(e.group()));
    r.add(blankAsNull(e.brokerName()));
    r.add(e.queueId() < 0 ? null : e.queueId());
    r.add(e.queueOffset() < 0 ? null : e.queueOffset());
    r.add(e.costMs() + "ms");
    String status = blankAsNull(e.status());
    if (!e.targetTopic().isEmpty()) {
      status = (status == null ? "" : status + " ") + "-> " + e.targetTopic();
    }
    r.add(status);
    return r;
  }

  private static List<Object> jsonRow(TraceEntry e) {
    List<Object> r = new ArrayList<>();
    r.add(e.messageId());
    r.add(e.topic());
    r.add(e.tag());
    r.add(String.join(" ", e.keys()));
    r.add(Instant.ofEpochMilli(e.timestampMs()).toString());
    r.add(e.kind());
    r.add(e.host());
    r.add(e.clientId());
    r.add(e.group());
    r.add(e.brokerName());
    r.add(e.queueId());
    r.add(e.queueOffset());
    r.add(e.costMs());
    r.add(e.status());
    r.add(e.reconsumeTimes());
    r.add(e.targetTopic());
    return r;
  }

  private static String blankAsNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
