package io.edgemq.client.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A broker in a child JVM, as an operator would run it, stopped with SIGTERM. */
final class BrokerProcess implements AutoCloseable {
  private static final String LISTENING = "edgemq broker listening on port ";

  private final Process process;
  private final int port;

  private BrokerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static BrokerProcess start(Path dataDir, String flushMode, int nameServerPort)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            java,
            "-Xms1g",
            "-Xmx1g",
            "-XX:+UseParallelGC",
            "-cp",
            System.getProperty("java.class.path"),
            "io.edgemq.broker.BrokerMain",
            "--data-dir",
            dataDir.toString(),
            "--port",
            "0",
            "--flush-mode",
            flushMode,
            "--namesrv",
            "127.0.0.1:" + nameServerPort,
            "--heartbeat-interval-ms",
            "1000",
            "--segment-bytes",
            Integer.toString(256 << 20)));
    Process p =
        new ProcessBuilder(cmd)
            .redirectError(dataDir.resolveSibling(dataDir.getFileName() + ".err").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(LISTENING)) {
        // keep reading: a full pipe would block the broker's logging, and the broker with it
        Thread drain = new Thread(() -> drain(out), "broker-stdout");
        drain.setDaemon(true);
        drain.start();
        return new BrokerProcess(p, Integer.parseInt(line.substring(LISTENING.length()).trim()));
      }
    }
    p.destroyForcibly();
    throw new IOException("broker exited before listening; see " + dataDir + ".err");
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discarded
      }
    } catch (IOException e) {
      // the broker exited
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
