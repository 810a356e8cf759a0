package io.edgemq.dist.admin;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumerLag;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.QueueLag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgemq admin groups ...}: list, create, delete, lag, reset, enable, disable. */
@Command(
    name = "groups",
    mixinStandardHelpOptions = true,
    description =
        "Consumer groups: list, create, delete, lag per queue, reset offsets, stop and resume.",
    subcommands = {
      GroupCommands.ListGroups.class,
      GroupCommands.Create.class,
      GroupCommands.Delete.class,
      GroupCommands.Lag.class,
      GroupCommands.Reset.class,
      GroupCommands.Enable.class,
      GroupCommands.Disable.class
    })
final class GroupCommands extends CommandGroup {

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every consumer group, and whether its consumption is enabled.")
  static final class ListGroups extends AdminAction {
    @Override
    int run(Admin a, AdminCommand.Printer p) {
      List<List<Object>> rows = new ArrayList<>();
      for (String g : a.listGroups()) {
        rows.add(List.of(g, a.consumeEnabled(g) ? "enabled" : "disabled"));
      }
      return p.rows(List.of("GROUP", "CONSUMPTION"), rows);
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "On every master.")
  static final class Create extends AdminAction {
    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      a.createGroup(group);
      return p.rows(List.of("CREATED"), List.of(List.of(group)));
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "The group and its offsets, on every master.")
  static final class Delete extends AdminAction {
    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      a.deleteGroup(group);
      return p.rows(List.of("DELETED"), List.of(List.of(group)));
    }
  }

  @Command(
      name = "lag",
      mixinStandardHelpOptions = true,
      description = "A group's lag on a topic, per queue (committed offset -1: none yet).")
  static final class Lag extends AdminAction {
    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Parameters(index = "1", paramLabel = "TOPIC")
    String topic;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      ConsumerLag lag = a.consumerLag(group, topic);
      List<List<Object>> rows = new ArrayList<>();
      for (QueueLag q : lag.queues()) {
        rows.add(
            List.of(
                q.queue().brokerName(),
                q.queue().queueId(),
                q.clientId().isEmpty() ? "-" : q.clientId(),
                q.committedOffset(),
                q.minOffset(),
                q.maxOffset(),
                q.lag()));
      }
      if (!p.json()) {
        rows.add(List.of("total", "", "", "", "", "", lag.totalLag()));
      }
      return p.rows(List.of("BROKER", "QUEUE", "CLIENT", "COMMITTED", "MIN", "MAX", "LAG"), rows);
    }
  }

  /** Where {@code groups reset} moves offsets: exactly one of the two options. */
  static final class ResetTarget {
    @Option(
        names = "--to",
        required = true,
        description = "EARLIEST (consume again) or LATEST (skip what is stored)")
    ConsumeFrom to;

    @Option(
        names = "--to-time",
        required = true,
        paramLabel = "ISO",
        description = "the first message stored at or after this time, e.g. 2026-11-25T14:00:00Z")
    Instant time;
  }

  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description =
          "Moves a group's offsets on a topic, in every queue, to the start, the end, or the first"
              + " message stored at or after a time.")
  static final class Reset extends AdminAction {
    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Parameters(index = "1", paramLabel = "TOPIC")
    String topic;

    @ArgGroup(multiplicity = "1")
    ResetTarget target;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      Map<MessageQueue, Long> moved =
          target.time != null
              ? a.resetOffset(group, topic, target.time)
              : a.resetOffset(group, topic, target.to);
      List<List<Object>> rows = new ArrayList<>();
      for (Map.Entry<MessageQueue, Long> e : moved.entrySet()) {
        rows.add(List.of(e.getKey().brokerName(), e.getKey().queueId(), e.getValue()));
      }
      return p.rows(List.of("BROKER", "QUEUE", "OFFSET"), rows);
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Resumes a stopped group's consumption, on every master.")
  static final class Enable extends AdminAction {
    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      a.setConsumeEnabled(group, true);
      return state(a, p, group);
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description =
          "Stops a group's consumption on every master: its members get no queues and its pulls"
              + " are refused until enabled again; offsets stay.")
  static final class Disable extends AdminAction {
    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      a.setConsumeEnabled(group, false);
      return state(a, p, group);
    }
  }

  /** Prints the group's state as the masters now report it. */
  private static int state(Admin a, AdminCommand.Printer p, String group) {
    String state = a.consumeEnabled(group) ? "enabled" : "disabled";
    return p.rows(List.of("GROUP", "CONSUMPTION"), List.of(List.of(group, state)));
  }
}
