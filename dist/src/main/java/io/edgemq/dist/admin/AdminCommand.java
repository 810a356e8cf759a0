package io.edgemq.dist.admin;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code edgemq admin}: the operator's commands against a running cluster. */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Inspects and changes a running cluster through its nameservers.",
    subcommands = {
      BrokersCommand.class,
      TopicCommands.class,
      GroupCommands.class,
      MessageCommands.class,
      SendCommand.class,
      GatewayCommands.class,
      TraceCommand.class
    })
public final class AdminCommand implements Runnable {
  /** Exit status when the cluster refused or failed a call. */
  static final int CALL_FAILED = 1;

  @Option(
      names = {"-n", "--namesrv"},
      scope = ScopeType.INHERIT,
      defaultValue = "127.0.0.1:9876",
      description = "nameservers host:port[,host:port] (default: ${DEFAULT-VALUE})")
  String nameServers;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "print JSON (an array of objects) instead of a table")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What a subcommand does with an admin client; returns the exit status. */
  @FunctionalInterface
  interface Action {
    int run(Admin admin, Printer printer);
  }

  /** Prints rows as a table or as JSON, as the command line asked. */
  record Printer(PrintWriter out, boolean json) {
    int rows(List<String> columns, List<List<Object>> rows) {
      Output.print(out, json, columns, rows);
      return 0;
    }
  }

  /**
   * Runs an action with a client for the nameservers of the command line; a refused or failed call
   * is one line on standard error and exit status 1.
   */
  int withAdmin(CommandSpec sub, Action action) {
    CommandLine cl = sub.commandLine();
    ClientConfig config;
    try {
      config = ClientConfig.builder().nameServers(nameServers.split(",")).build();
    } catch (IllegalArgumentException e) {
      cl.getErr().println("edgemq admin: --namesrv " + nameServers + ": " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    try (Admin admin = Admin.builder().clientConfig(config).build()) {
      return action.run(admin, new Printer(cl.getOut(), json));
    } catch (ClientException | IllegalArgumentException e) {
      cl.getErr().println("edgemq admin: " + e.getMessage());
      cl.getErr().flush();
      return CALL_FAILED;
    }
  }
}
