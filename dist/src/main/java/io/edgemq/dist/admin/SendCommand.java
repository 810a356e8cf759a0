package io.edgemq.dist.admin;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.SendResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code edgemq admin send}: one test message through a real producer. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = "Sends one test message and prints where it was stored.")
final class SendCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TOPIC")
  String topic;

  @Parameters(index = "1", paramLabel = "BODY")
  String body;

  @Option(names = "--tag")
  String tag;

  @Option(names = "--keys", split = ",", description = "keys, comma-separated")
  List<String> keys = List.of();

  @Option(
      names = {"-p", "--property"},
      paramLabel = "NAME=VALUE",
      description = "user property; repeatable")
  Map<String, String> properties = new LinkedHashMap<>();

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    Message.Builder m = Message.builder().topic(topic).body(body.getBytes(StandardCharsets.UTF_8));
    if (tag != null) {
      m.tag(tag);
    }
    if (!keys.isEmpty()) {
      m.keys(keys.toArray(String[]::new));
    }
    properties.forEach(m::property);
    try (Producer p =
        Producer.builder()
            .clientConfig(ClientConfig.builder().nameServers(admin.nameServers.split(",")).build())
            .producerGroup("edgemq-admin")
            .build()) {
      SendResult r = p.send(m.build());
      return new AdminCommand.Printer(cl.getOut(), admin.json)
          .rows(
              List.of("ID", "BROKER", "QUEUE", "OFFSET"),
              List.of(
                  List.of(
                      r.messageId(),
                      r.queue().brokerName(),
                      r.queue().queueId(),
                      r.queueOffset())));
    } catch (ClientException | IllegalArgumentException e) {
      cl.getErr().println("edgemq admin: " + e.getMessage());
      cl.getErr().flush();
      return AdminCommand.CALL_FAILED;
    }
  }
}
