package io.edgemq.sim.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server main class of this project in a child JVM, as an operator runs it: started, awaited
 * until it prints its listening line, stopped with SIGTERM (and killed if it does not stop).
 */
final class Server implements AutoCloseable {
  private final Process process;
  private final int port;

  private Server(Process process, int port) {
    this.process = process;
    this.port = port;
    // a benchmark stopped by Ctrl-C must not leave its servers running
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
  }

  static Server start(String mainClass, List<String> jvmArgs, List<String> args, String ready)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.add(line);
      int at = line.indexOf(ready);
      if (at >= 0) {
        Thread drain = new Thread(() -> drain(out), "child-output");
        drain.setDaemon(true);
        drain.start();
        String rest = line.substring(at + ready.length()).trim().split("\\s+")[0];
        return new Server(p, Integer.parseInt(rest));
      }
    }
    p.destroyForcibly();
    throw new IOException(mainClass + " exited before it was ready: " + seen);
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discarded: the servers' logs are not part of the figures
      }
    } catch (IOException e) {
      // exited
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
