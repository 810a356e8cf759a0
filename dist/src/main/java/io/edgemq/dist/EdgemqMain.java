package io.edgemq.dist;

import io.edgemq.dist.admin.AdminCommand;
import io.edgemq.dist.command.BrokerCommand;
import io.edgemq.dist.command.DemoCommand;
import io.edgemq.dist.command.GatewayCommand;
import io.edgemq.dist.command.NameServerCommand;
import io.edgemq.dist.command.StandaloneCommand;
import io.edgemq.dist.command.VersionCommand;
import io.edgemq.gateway.auth.PasswdCommand;
import io.edgemq.sim.api.SimCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code edgemq} command: one subcommand per role, plus admin and version. */
@Command(
    name = "edgemq",
    mixinStandardHelpOptions = true,
    versionProvider = EdgemqMain.Version.class,
    description = "edgemq: MQTT gateway, broker and nameserver. See docs/dist.md.",
    subcommands = {
      StandaloneCommand.class,
      NameServerCommand.class,
      BrokerCommand.class,
      GatewayCommand.class,
      AdminCommand.class,
      PasswdCommand.class,
      SimCommand.class,
      DemoCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class EdgemqMain implements Runnable {

  /** The launcher's logging configuration, a class path resource. */
  static final String LOGBACK_CONFIG = "edgemq-logback.xml";

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args subcommand and its options
   */
  public static void main(String[] args) {
    // before the first logger exists; an operator's own -Dlogback.configurationFile wins
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    }
    if (System.getProperty("edgemq.log.level") == null && args.length > 0) {
      // admin prints tables and JSON for people and scripts; client INFO lines only get in the way
      if (args[0].equals("admin")) {
        System.setProperty("edgemq.log.level", "WARN");
      }
    }
    int code = new CommandLine(new EdgemqMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** {@code edgemq --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"edgemq " + VersionCommand.version()};
    }
  }
}
