package io.edgemq.dist.command;

import io.edgemq.dist.config.Role;
import io.edgemq.dist.launch.GatewayRole;
import io.edgemq.dist.launch.RoleStarter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code edgemq gateway}: one gateway process. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = "Runs an edgemq MQTT gateway node in front of the brokers of a cluster.")
public final class GatewayCommand extends ServerCommand {
  @Override
  String process() {
    return "gateway";
  }

  @Override
  Set<Role> roles() {
    return EnumSet.of(Role.GATEWAY);
  }

  @Override
  List<RoleStarter> starters() {
    return List.of(new GatewayRole());
  }
}
