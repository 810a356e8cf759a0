package io.edgemq.dist.admin;

import io.edgemq.client.api.Admin;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code edgemq admin brokers}: the broker groups the nameservers know. */
@Command(name = "brokers", mixinStandardHelpOptions = true, description = "Lists broker groups.")
final class BrokersCommand extends AdminAction {
  @Override
  int run(Admin a, AdminCommand.Printer p) {
    List<List<Object>> rows = new ArrayList<>();
    for (String b : a.brokerNames()) {
      rows.add(List.of(b));
    }
    return p.rows(List.of("BROKER"), rows);
  }
}
