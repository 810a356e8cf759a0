package io.edgemq.dist.admin;

import io.edgemq.client.api.Admin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A leaf command of {@code edgemq admin}: runs {@link #run} with an admin client for the
 * nameservers of the command line, and prints what it returns as a table or JSON. Subclasses hold
 * only their own parameters.
 */
abstract class AdminAction implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public final Integer call() {
    return root().withAdmin(spec, this::run);
  }

  /**
   * @param admin a client for the cluster
   * @param printer where rows go
   * @return the exit status
   */
  abstract int run(Admin admin, AdminCommand.Printer printer);

  /** Reports a failure that is no refused call (e.g. nothing found); returns exit status 1. */
  int fail(String message) {
    spec.commandLine().getErr().println("edgemq admin: " + message);
    spec.commandLine().getErr().flush();
    return AdminCommand.CALL_FAILED;
  }

  private AdminCommand root() {
    for (CommandSpec s = spec.parent(); s != null; s = s.parent()) {
      if (s.userObject() instanceof AdminCommand a) {
        return a;
      }
    }
    throw new IllegalStateException(spec.name() + " is not under edgemq admin");
  }
}
