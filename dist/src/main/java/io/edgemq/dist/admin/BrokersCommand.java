package io.edgemq.dist.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code edgemq admin brokers}: the broker groups the nameservers know. */
@Command(name = "brokers", mixinStandardHelpOptions = true, description = "Lists broker groups.")
final class BrokersCommand implements Callable<Integer> {
  @ParentCommand AdminCommand admin;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return admin.withAdmin(
        spec,
        (a, p) -> {
          List<List<Object>> rows = new ArrayList<>();
          for (String b : a.brokerNames()) {
            rows.add(List.of(b));
          }
          return p.rows(List.of("BROKER"), rows);
        });
  }
}
