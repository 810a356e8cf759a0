package io.edgemq.dist.command;

import io.edgemq.dist.config.Keys;
import io.edgemq.dist.config.Role;
import io.edgemq.dist.launch.BrokerRole;
import io.edgemq.dist.launch.GatewayRole;
import io.edgemq.dist.launch.NameServerRole;
import io.edgemq.dist.launch.RoleStarter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;

/** {@code edgemq standalone}: nameserver, broker and gateway in one JVM, for one machine. */
@Command(
    name = "standalone",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a nameserver, a broker and an MQTT gateway in one JVM (data under ./data).",
      "Single-machine defaults: topics are created on first use, MQTT clients need no password."
    })
public final class StandaloneCommand extends ServerCommand {

  /** The single-machine profile: what differs from a cluster node's defaults. */
  public static final Map<String, String> PROFILE =
      Map.of(
          Keys.BROKER_AUTO_CREATE.name(), "true",
          Keys.GATEWAY_ANONYMOUS.name(), "true",
          Keys.GATEWAY_CREATE_TOPICS.name(), "8",
          Keys.BROKER_HEARTBEAT.name(), "5s",
          Keys.STORE_SEGMENT_BYTES.name(), "134217728",
          Keys.NAMESERVER_KV_FILE.name(), "data/nameserver/kv.properties");

  @Override
  String process() {
    return "standalone";
  }

  @Override
  Set<Role> roles() {
    return EnumSet.of(Role.NAMESERVER, Role.BROKER, Role.GATEWAY);
  }

  @Override
  Map<String, String> profileDefaults() {
    return PROFILE;
  }

  @Override
  List<RoleStarter> starters() {
    return List.of(new NameServerRole(), new BrokerRole(true), new GatewayRole());
  }
}
