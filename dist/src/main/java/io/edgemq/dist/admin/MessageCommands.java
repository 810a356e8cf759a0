package io.edgemq.dist.admin;

import io.edgemq.client.api.MessageView;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code edgemq admin message id|key}: finds messages with their properties. */
@Command(
    name = "message",
    mixinStandardHelpOptions = true,
    description = "Finds messages by id or by key (within a store-time range).",
    subcommands = {MessageCommands.ById.class, MessageCommands.ByKey.class})
final class MessageCommands implements Runnable {
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

  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

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
  static final class ById implements Callable<Integer> {
    @ParentCommand MessageCommands parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MESSAGE_ID")
    String id;

    @Override
    public Integer call() {
      return parent.admin.withAdmin(
          spec,
          (a, p) -> {
            List<List<Object>> rows = new ArrayList<>();
            a.queryMessageById(id).ifPresent(m -> rows.add(row(m)));
            p.rows(COLUMNS, rows);
            if (rows.isEmpty()) {
              spec.commandLine().getErr().println("edgemq admin: no message with id " + id);
              return AdminCommand.CALL_FAILED;
            }
            return 0;
          });
    }
  }

  @Command(
      name = "key",
      mixinStandardHelpOptions = true,
      description = "By key, newest first (e.g. a device id mapped to the message keys).")
  static final class ByKey implements Callable<Integer> {
    @ParentCommand MessageCommands parent;
    @Spec CommandSpec spec;

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
    public Integer call() {
      long from = begin == null ? 0 : begin.toEpochMilli();
      long to = end == null ? 0 : end.toEpochMilli();
      return parent.admin.withAdmin(
          spec,
          (a, p) -> {
            List<List<Object>> rows = new ArrayList<>();
            a.queryMessageByKey(topic, key, from, to, max).forEach(m -> rows.add(row(m)));
            return p.rows(COLUMNS, rows);
          });
    }
  }
}
