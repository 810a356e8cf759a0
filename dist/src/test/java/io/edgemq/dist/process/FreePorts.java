package io.edgemq.dist.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free TCP ports for child processes, which cannot take port 0 and report back every port. */
public final class FreePorts {
  private final Set<Integer> given = new HashSet<>();

  /**
   * @return a port free now and not given before by this instance
   */
  public synchronized int next() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket(0)) {
        int p = s.getLocalPort();
        if (given.add(p)) {
          return p;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free port found");
  }
}
