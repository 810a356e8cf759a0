package io.edgemq.dist.admin;

import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumerLag;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.QueueLag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code edgemq admin groups ...}: list, create, delete, lag, reset. */
@Command(
    name = "groups",
    mixinStandardHelpOptions = true,
    description = "Consumer groups: list, create, delete, lag per queue, reset offsets.",
    subcommands = {
      GroupCommands.ListGroups.class,
      GroupCommands.Create.class,
      GroupCommands.Delete.class,
      GroupCommands.Lag.class,
      GroupCommands.Reset.class
    })
final class GroupCommands implements Runnable {
  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every consumer group.")
  static final class ListGroups implements Callable<Integer> {
    @ParentCommand GroupCommands parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return parent.admin.withAdmin(
          spec,
          (a, p) -> {
            List<List<Object>> rows = new ArrayList<>();
            a.listGroups().forEach(g -> rows.add(List.of(g)));
            return p.rows(List.of("GROUP"), rows);
          });
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "On every master.")
  static final class Create implements Callable<Integer> {
    @ParentCommand GroupCommands parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Override
    public Integer call() {
      return parent.admin.withAdmin(
          spec,
          (a, p) -> {
            a.createGroup(group);
            return p.rows(List.of("CREATED"), List.of(List.of(group)));
          });
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "The group and its offsets, on every master.")
  static final class Delete implements Callable<Integer> {
    @ParentCommand GroupCommands parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Override
    public Integer call() {
      return parent.admin.withAdmin(
          spec,
          (a, p) -> {
            a.deleteGroup(group);
            return p.rows(List.of("DELETED"), List.of(List.of(group)));
          });
    }
  }

  @Command(
      name = "lag",
      mixinStandardHelpOptions = true,
      description = "A group's lag on a topic, per queue (committed offset -1: none yet).")
  static final class Lag implements Callable<Integer> {
    @ParentCommand GroupCommands parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Parameters(index = "1", paramLabel = "TOPIC")
    String topic;

    @Override
    public Integer call() {
      return parent.admin.withAdmin(
          spec,
          (a, p) -> {
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
            return p.rows(
                List.of("BROKER", "QUEUE", "CLIENT", "COMMITTED", "MIN", "MAX", "LAG"), rows);
          });
    }
  }

  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description = "Moves a group's offsets on a topic to the start or end of every queue.")
  static final class Reset implements Callable<Integer> {
    @ParentCommand GroupCommands parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Parameters(index = "1", paramLabel = "TOPIC")
    String topic;

    @Option(
        names = "--to",
        required = true,
        description = "EARLIEST (consume again) or LATEST (skip what is stored)")
    ConsumeFrom to;

    @Override
    public Integer call() {
      return parent.admin.withAdmin(
          spec,
          (a, p) -> {
            List<List<Object>> rows = new ArrayList<>();
            for (Map.Entry<MessageQueue, Long> e : a.resetOffset(group, topic, to).entrySet()) {
              rows.add(List.of(e.getKey().brokerName(), e.getKey().queueId(), e.getValue()));
            }
            return p.rows(List.of("BROKER", "QUEUE", "OFFSET"), rows);
          });
    }
  }
}
