package io.edgemq.client.rpc;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads, and stopping executors. */
public final class Threads {
  private Threads() {}

  /**
   * @param prefix the thread name, followed by {@code -N}
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

  /**
   * Shuts an executor down, waiting up to {@code millis} before interrupting its tasks.
   *
   * @param ex the executor
   * @param millis how long to wait
   * @return whether it terminated in time
   */
  public static boolean shutdown(ExecutorService ex, long millis) {
    ex.shutdown();
    try {
      if (ex.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ex.shutdownNow();
    return false;
  }
}
