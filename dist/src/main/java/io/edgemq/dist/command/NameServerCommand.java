package io.edgemq.dist.command;

import io.edgemq.dist.config.Role;
import io.edgemq.dist.launch.NameServerRole;
import io.edgemq.dist.launch.RoleStarter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code edgemq nameserver}: one nameserver process. */
@Command(
    name = "nameserver",
    mixinStandardHelpOptions = true,
    description = "Runs an edgemq nameserver: broker registration and routes (gRPC).")
public final class NameServerCommand extends ServerCommand {
  @Override
  String process() {
    return "nameserver";
  }

  @Override
  Set<Role> roles() {
    return EnumSet.of(Role.NAMESERVER);
  }

  @Override
  List<RoleStarter> starters() {
    return List.of(new NameServerRole());
  }
}
