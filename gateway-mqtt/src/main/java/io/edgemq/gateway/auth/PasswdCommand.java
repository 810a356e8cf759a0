package io.edgemq.gateway.auth;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgemq passwd <file> <username>}: adds a user to a password file, changes a user's
 * password, or deletes a user. Public with a no-argument constructor so the {@code edgemq} command
 * can mount it as a subcommand.
 *
 * <p>Without {@code -p} the password is read from the terminal without echo, twice, or, when there
 * is no terminal, as one line from standard input (for scripts: {@code echo secret | edgemq passwd
 * ...}). Exit codes: 0 done, 1 the file could not be used (missing, invalid, unknown user), 2 bad
 * usage.
 */
@Command(
    name = "passwd",
    mixinStandardHelpOptions = true,
    description = "Adds, changes or deletes a user in an MQTT gateway password file.")
public final class PasswdCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<file>", description = "the password file")
  Path file;

  @Parameters(
      index = "1",
      paramLabel = "<username>",
      description = "the user to add, change or delete")
  String username;

  @Option(
      names = {"-p", "--password"},
      paramLabel = "<password>",
      description =
          "the password; visible to other local users and kept in shell history,"
              + " so prefer the prompt (default: prompt, or one line from stdin)")
  char[] password;

  @Option(
      names = {"-d", "--delete"},
      description = "delete the user instead of setting a password")
  boolean delete;

  @Option(
      names = {"-c", "--create"},
      description = "create the file if it does not exist (an existing file is kept and edited)")
  boolean create;

  @Option(
      names = "--iterations",
      paramLabel = "<n>",
      defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
      description = "PBKDF2 iterations of the new hash (default: ${DEFAULT-VALUE})")
  int iterations;

  @Spec CommandSpec spec;

  private final InputStream stdin;
  private final Supplier<Function<String, char[]>> terminal;

  /** Reads a missing password from the terminal or, without one, from standard input. */
  public PasswdCommand() {
    this(System.in, PasswdCommand::consolePrompt);
  }

  /**
   * @param stdin where a password is read when there is no terminal
   * @param terminal gives a prompt that reads a password without echo, or null if there is no
   *     terminal
   */
  PasswdCommand(InputStream stdin, Supplier<Function<String, char[]>> terminal) {
    this.stdin = stdin;
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      PasswordFile.validateUsername(username);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    if (delete) {
      if (password != null) {
        err.println("--delete takes no password");
        return CommandLine.ExitCode.USAGE;
      }
      return run(err, () -> delete(out, err));
    }
    if (iterations < PasswordHash.MIN_ITERATIONS || iterations > PasswordHash.MAX_ITERATIONS) {
      err.println(
          "--iterations must be "
              + PasswordHash.MIN_ITERATIONS
              + "-"
              + PasswordHash.MAX_ITERATIONS
              + ", was "
              + iterations);
      return CommandLine.ExitCode.USAGE;
    }
    return run(err, () -> setPassword(out, err));
  }

  private int delete(PrintWriter out, PrintWriter err) throws IOException {
    if (!PasswordFile.removeUser(file, username)) {
      err.println(file + ": no user '" + username + "'");
      return 1;
    }
    out.println("deleted user '" + username + "' from " + file);
    return CommandLine.ExitCode.OK;
  }

  private int setPassword(PrintWriter out, PrintWriter err) throws IOException {
    char[] secret = password != null ? password : readPassword(err);
    if (secret == null) {
      return 1;
    }
    try {
      if (secret.length == 0) {
        err.println("the password must not be empty");
        return CommandLine.ExitCode.USAGE;
      }
      PasswordHash hash = PasswordHash.create(secret, iterations);
      boolean added = PasswordFile.putUser(file, username, hash, create);
      out.println((added ? "added user '" : "changed password of '") + username + "' in " + file);
      return CommandLine.ExitCode.OK;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return CommandLine.ExitCode.USAGE;
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  /** The password from the prompt (asked twice) or from one line of stdin; null after an error. */
  private char[] readPassword(PrintWriter err) throws IOException {
    Function<String, char[]> ask = terminal.get();
    if (ask == null) {
      // not closed: it is the process's stdin
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
      String line = reader.readLine();
      if (line == null) {
        err.println("no password given: use -p, a terminal, or one line on stdin");
        return null;
      }
      return line.toCharArray();
    }
    char[] first = ask.apply("Password: ");
    char[] second = ask.apply("Reenter password: ");
    try {
      if (first == null || second == null || !Arrays.equals(first, second)) {
        err.println("the passwords do not match");
        return null;
      }
      return first.clone();
    } finally {
      if (first != null) {
        Arrays.fill(first, '\0');
      }
      if (second != null) {
        Arrays.fill(second, '\0');
      }
    }
  }

  private static Function<String, char[]> consolePrompt() {
    Console console = System.console();
    return console == null ? null : label -> console.readPassword("%s", label);
  }

  private int run(PrintWriter err, FileAction action) {
    try {
      return action.run();
    } catch (NoSuchFileException e) {
      err.println(e.getFile() + ": no such file" + (delete ? "" : " (--create creates it)"));
      return 1;
    } catch (AuthFileException e) {
      // already names file, line and reason
      err.println(e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("could not update " + file + ": " + e);
      return 1;
    }
  }

  @FunctionalInterface
  private interface FileAction {
    int run() throws IOException;
  }
}
