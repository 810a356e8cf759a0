package io.edgemq.dist.admin;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.MessageView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgemq admin message id|key|range}: finds messages with their properties. */
@Command(
    name = "message",
    mixinStandardHelpOptions = true,
    description = "Finds messages by id, by key, or by store-time range.",
    subcommands = {
      MessageCommands.ById.class,
      MessageCommands.ByKey.class,
      MessageCommands.ByTime.class
    })
final class MessageCommands extends CommandGroup {
  static final List<String> COLUMNS =
      List.of(
          "ID",
          "TOPIC",
          "TAG",
          "KEYS",
          "BROKER",
          "QUEUE",
          "OFFSET",
          "STORED",
          "PROPERTIES",
          "BODY");

  static List<Object> row(MessageView m) {
    List<Object> r = new ArrayList<>();
    r.add(m.messageId());
    r.add(m.topic());
    r.add(m.tag().orElse(null));
    r.add(String.join(" ", m.keys()));
    r.add(m.queue().brokerName());
    r.add(m.queue().queueId());
    r.add(m.queueOffset());
    r.add(Instant.ofEpochMilli(m.storeTimestampMs()).toString());
    r.add(m.properties());
    r.add(new String(m.bodyBytes(), StandardCharsets.UTF_8));
    return r;
  }

  @Command(name = "id", mixinStandardHelpOptions = true, description = "By message id.")
  static final class ById extends AdminAction {
    @Parameters(index = "0", paramLabel = "MESSAGE_ID")
    String id;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      List<List<Object>> rows = new ArrayList<>();
      a.queryMessageById(id).ifPresent(m -> rows.add(row(m)));
      p.rows(COLUMNS, rows);
      return rows.isEmpty() ? fail("no message with id " + id) : 0;
    }
  }

  @Command(
      name = "key",
      mixinStandardHelpOptions = true,
      description = "By key, newest first (e.g. a device id mapped to the message keys).")
  static final class ByKey extends AdminAction {
    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Parameters(index = "1", paramLabel = "KEY")
    String key;

    @Option(names = "--begin", description = "earliest store time, ISO-8601 (default: none)")
    Instant begin;

    @Option(names = "--end", description = "latest store time, ISO-8601 (default: now)")
    Instant end;

    @Option(names = "--max", defaultValue = "32", description = "per broker (default: 32)")
    int max;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      List<List<Object>> rows = new ArrayList<>();
      a.queryMessageByKey(topic, key, millis(begin), millis(end), max)
          .forEach(m -> rows.add(row(m)));
      return p.rows(COLUMNS, rows);
    }
  }

  @Command(
      name = "range",
      mixinStandardHelpOptions = true,
      description = "Messages of a topic stored within a time range, oldest first, without a key.")
  static final class ByTime extends AdminAction {
    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Option(
        names = "--begin",
        required = true,
        paramLabel = "ISO",
        description = "earliest store time, ISO-8601, e.g. 2026-11-25T14:00:00Z")
    Instant begin;

    @Option(
        names = "--end",
        paramLabel = "ISO",
        description = "latest store time, ISO-8601 (default: now)")
    Instant end;

    @Option(
        names = "--max",
        defaultValue = "32",
        description = "at most this many in all, 1-1024; the oldest are shown (default: 32)")
    int max;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      List<List<Object>> rows = new ArrayList<>();
      a.queryMessagesByTime(topic, millis(begin), millis(end), max).forEach(m -> rows.add(row(m)));
      return p.rows(COLUMNS, rows);
    }
  }

  private static long millis(Instant t) {
    return t == null ? 0 : t.toEpochMilli();
  }
}
