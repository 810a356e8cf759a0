package io.edgemq.dist.admin;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.Permission;
import io.edgemq.client.api.TopicInfo;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgemq admin topics ...}: list, get, create, update, delete. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Lists, shows, creates, updates and deletes topics.",
    subcommands = {
      TopicCommands.ListTopics.class,
      TopicCommands.Get.class,
      TopicCommands.Create.class,
      TopicCommands.Update.class,
      TopicCommands.Delete.class
    })
final class TopicCommands extends CommandGroup {
  static final List<String> COLUMNS =
      List.of("TOPIC", "BROKER", "WRITE_QUEUES", "READ_QUEUES", "PERMISSION");

  static List<List<Object>> rows(List<TopicInfo> topics) {
    List<List<Object>> rows = new ArrayList<>();
    for (TopicInfo t : topics) {
      rows.add(
          List.of(
              t.topic(), t.brokerName(), t.writeQueues(), t.readQueues(), t.permission().name()));
    }
    return rows;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every user topic.")
  static final class ListTopics extends AdminAction {
    @Override
    int run(Admin a, AdminCommand.Printer p) {
      return p.rows(COLUMNS, rows(a.listTopics()));
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "One topic per broker.")
  static final class Get extends AdminAction {
    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      return p.rows(COLUMNS, rows(a.getTopic(topic)));
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Creates a topic on every master, or on one broker with --broker.")
  static final class Create extends AdminAction {
    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Option(names = "--queues", defaultValue = "0", description = "queues (0: broker default)")
    int queues;

    @Option(names = "--broker", description = "only on this broker group")
    String broker;

    @Option(
        names = "--read-queues",
        defaultValue = "0",
        description = "with --broker (0: as write)")
    int readQueues;

    @Option(
        names = "--perm",
        defaultValue = "READ_WRITE",
        description = "with --broker: ${COMPLETION-CANDIDATES}")
    Permission permission;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      return p.rows(
          COLUMNS,
          rows(
              broker == null
                  ? a.createTopic(topic, queues)
                  : List.of(a.createTopic(broker, topic, queues, readQueues, permission))));
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = "Changes queue counts and permission on every broker of the topic.")
  static final class Update extends AdminAction {
    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Option(names = "--write-queues", required = true)
    int writeQueues;

    @Option(names = "--read-queues", required = true)
    int readQueues;

    @Option(names = "--perm", defaultValue = "READ_WRITE", description = "${COMPLETION-CANDIDATES}")
    Permission permission;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      return p.rows(COLUMNS, rows(a.updateTopic(topic, writeQueues, readQueues, permission)));
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Deletes a topic's config and offsets on every broker of its route.")
  static final class Delete extends AdminAction {
    @Parameters(index = "0", paramLabel = "TOPIC")
    String topic;

    @Override
    int run(Admin a, AdminCommand.Printer p) {
      a.deleteTopic(topic);
      return p.rows(List.of("DELETED"), List.of(List.of(topic)));
    }
  }
}
