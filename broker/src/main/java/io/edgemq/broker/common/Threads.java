package io.edgemq.broker.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories for the broker's named daemon threads. */
public final class Threads {
  private Threads() {}

  /**
   * @param prefix the thread name, followed by {@code -N} for N = 1, 2, ...
   * @return a factory of daemon threads
   */
  public static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
