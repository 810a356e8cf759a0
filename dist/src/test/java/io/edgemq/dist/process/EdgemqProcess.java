package io.edgemq.dist.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code edgemq} command run as a child JVM on this test's class path: the same main class the
 * shaded jar runs (the jar itself is built after the test phase). Standard output is kept for the
 * {@code listening on port} lines, standard error goes to a log file in the work directory.
 */
public final class EdgemqProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("edgemq (\\S+) listening on port (\\d+)");

  private final Process process;
  private final Path stderr;
  private final List<String> out = new ArrayList<>();
  private final Thread reader;

  private EdgemqProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.reader = new Thread(this::readOut, "edgemq-child-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * @param workDir working directory (relative data dirs land here) and where stderr.log goes
   * @param args the edgemq command line
   * @return the started process
   * @throws IOException when java cannot be started
   */
  public static EdgemqProcess start(Path workDir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.add("io.edgemq.dist.EdgemqMain");
    cmd.addAll(List.of(args));
    return start(workDir, cmd);
  }

  /**
   * @param workDir working directory and where stderr.log goes
   * @param cmd the whole command line (e.g. {@code java -jar edgemq.jar standalone})
   * @return the started process
   * @throws IOException when the command cannot be started
   */
  public static EdgemqProcess start(Path workDir, List<String> cmd) throws IOException {
    Path stderr = workDir.resolve("stderr-" + System.nanoTime() + ".log");
    Process p =
        new ProcessBuilder(cmd).directory(workDir.toFile()).redirectError(stderr.toFile()).start();
    return new EdgemqProcess(p, stderr);
  }

  /**
   * @return {@code java -Xmx256m -cp <this test's class path>}
   */
  public static List<String> javaCommand() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-cp",
        System.getProperty("java.class.path"));
  }

  private void readOut() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (out) {
          out.add(line);
          out.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process ended; what it printed is kept
    }
  }

  /**
   * Waits for the {@code edgemq <role> listening on port N} line.
   *
   * @param role nameserver, broker, gateway or http
   * @param timeout how long to wait
   * @return the port
   */
  public int awaitPort(String role, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (out) {
      while (true) {
        for (String line : out) {
          Matcher m = LISTENING.matcher(line);
          if (m.matches() && m.group(1).equals(role)) {
            return Integer.parseInt(m.group(2));
          }
        }
        long left = end - System.nanoTime();
        if (left <= 0 || !process.isAlive() && !hasMoreOutput()) {
          throw new AssertionError(
              "no 'edgemq " + role + " listening' line; stdout " + out + "; stderr:\n" + stderr());
        }
        out.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
      }
    }
  }

  private boolean hasMoreOutput() {
    try {
      return process.getInputStream().available() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sends SIGTERM and waits for the exit.
   *
   * @param timeout how long to wait
   * @return the exit status
   */
  public int stop(Duration timeout) throws InterruptedException {
    // SIGTERM, the shutdown hook runs; Process.destroy() would also close our end of stdout
    process.toHandle().destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("did not stop within " + timeout + "; stderr:\n" + stderr());
    }
    reader.join(5_000); // its last lines
    return process.exitValue();
  }

  /**
   * Waits for the process to end by itself.
   *
   * @param timeout how long to wait
   * @return the exit status
   */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout);
    }
    reader.join(5_000);
    return process.exitValue();
  }

  /**
   * @return standard output so far
   */
  public List<String> stdout() {
    synchronized (out) {
      return List.copyOf(out);
    }
  }

  /**
   * @return standard error so far
   */
  public String stderr() {
    try {
      return Files.readString(stderr);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
