package io.edgemq.dist.admin;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code topics}, {@code groups}...): prints its usage. */
abstract class CommandGroup implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public final void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
