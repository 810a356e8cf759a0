package io.edgemq.gateway.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child process, as an operator runs it: started, awaited until it prints its
 * listening line, stopped with SIGTERM. Its output is drained so a full pipe never blocks it.
 */
final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private ChildProcess(Process process, int port) {
    this.process = process;
    this.port = port;
    // a benchmark stopped by a signal must not leave its servers running
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
  }

  /** A Java main class of this project, on this JVM's class path. */
  static ChildProcess java(String mainClass, List<String> jvmArgs, List<String> args, String ready)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return start(cmd, ready);
  }

  /** Any command that prints {@code ready} followed by its port. */
  static ChildProcess start(List<String> cmd, String ready) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.add(line);
      if (line.startsWith(ready)) {
        Thread drain = new Thread(() -> drain(out), "child-output");
        drain.setDaemon(true);
        drain.start();
        return new ChildProcess(p, Integer.parseInt(line.substring(ready.length()).trim()));
      }
    }
    p.destroyForcibly();
    throw new IOException(cmd.get(0) + " exited before it was ready: " + seen);
  }

  /** A process whose port we chose; ready once the port accepts connections. */
  static ChildProcess withPort(List<String> cmd, int port, Path log) throws IOException {
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return new ChildProcess(p, port);
      } catch (IOException notYet) {
        if (!p.isAlive()) {
          break;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // start-up, not measured
      }
    }
    p.destroyForcibly();
    throw new IOException(cmd.get(0) + " did not listen on " + port + ": " + Files.readString(log));
  }

  /** Discards a child's output, or with {@code -Dbench.log=FILE} appends its WARN/ERROR lines. */
  private static void drain(BufferedReader out) {
    String log = System.getProperty("bench.log");
    try {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (log != null && (line.contains(" WARN ") || line.contains(" ERROR "))) {
          synchronized (ChildProcess.class) {
            Files.writeString(
                Path.of(log),
                line + System.lineSeparator(),
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
          }
        }
      }
    } catch (IOException e) {
      // exited
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** Resident set size of the process, in KiB, from /proc. */
  long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for " + pid());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
