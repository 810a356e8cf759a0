package io.edgemq.dist.command;

import io.edgemq.dist.config.ConfigException;
import io.edgemq.dist.config.Role;
import io.edgemq.dist.config.Settings;
import io.edgemq.dist.config.SettingsLoader;
import io.edgemq.dist.launch.Launcher;
import io.edgemq.dist.launch.RoleStarter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * What every server subcommand shares: a config file, {@code --set} overrides, {@code --check}, and
 * the launcher's start/stop shape. A subcommand only says which roles it runs.
 */
abstract class ServerCommand implements Callable<Integer> {
  /** Exit status of a refused configuration, as picocli's for a bad command line. */
  static final int CONFIG_REFUSED = 2;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "properties file of settings (keys and defaults: docs/dist.md)")
  Path config;

  @Option(
      names = {"-s", "--set"},
      paramLabel = "KEY=VALUE",
      description = "a setting that wins over the file; repeatable")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(
      names = "--check",
      description = "check the configuration, print the resolved settings and exit")
  boolean check;

  /**
   * @return the process's name in log lines
   */
  abstract String process();

  /**
   * @return the roles it runs
   */
  abstract Set<Role> roles();

  /**
   * @return the roles' starters in start order
   */
  abstract List<RoleStarter> starters();

  /**
   * @return defaults replacing the keys' own for this kind of process
   */
  Map<String, String> profileDefaults() {
    return Map.of();
  }

  @Override
  public Integer call() {
    Settings settings;
    try {
      settings = new SettingsLoader(roles(), profileDefaults()).load(config, overrides);
      for (RoleStarter s : starters()) {
        s.check(settings);
      }
    } catch (ConfigException e) {
      refuse(e.problems());
      return CONFIG_REFUSED;
    } catch (IllegalArgumentException e) {
      refuse(List.of(e.getMessage()));
      return CONFIG_REFUSED;
    }
    if (check) {
      settings.texts().forEach((k, v) -> System.out.println(k + "=" + v));
      return 0;
    }
    return Launcher.runUntilSignalled(process(), settings, starters());
  }

  private void refuse(List<String> problems) {
    System.err.println("edgemq " + process() + ": configuration refused:");
    for (String p : problems) {
      System.err.println("  " + p);
    }
  }
}
