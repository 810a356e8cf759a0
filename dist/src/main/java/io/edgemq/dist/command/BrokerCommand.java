package io.edgemq.dist.command;

import io.edgemq.dist.config.Role;
import io.edgemq.dist.launch.BrokerRole;
import io.edgemq.dist.launch.RoleStarter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code edgemq broker}: one broker process. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description =
        "Runs an edgemq broker: the store, topics, offsets (gRPC), registered with the nameservers.")
public final class BrokerCommand extends ServerCommand {
  @Override
  String process() {
    return "broker";
  }

  @Override
  Set<Role> roles() {
    return EnumSet.of(Role.BROKER);
  }

  @Override
  List<RoleStarter> starters() {
    return List.of(new BrokerRole());
  }
}
