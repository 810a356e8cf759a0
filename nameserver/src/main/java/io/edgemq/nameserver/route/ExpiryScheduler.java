package io.edgemq.nameserver.route;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Scans a {@link RouteTable} for silent brokers at a fixed interval on its own daemon thread. */
public final class ExpiryScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryScheduler.class);

  private final ScheduledExecutorService executor;

  private ExpiryScheduler(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /**
   * Starts scanning.
   *
   * @param table the table to scan
   * @param interval time between the end of one scan and the start of the next
   * @return the running scheduler; close it to stop
   */
  public static ExpiryScheduler start(RouteTable table, Duration interval) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nameserver-expiry");
              t.setDaemon(true);
              return t;
            });
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(() -> scan(table), millis, millis, TimeUnit.MILLISECONDS);
    return new ExpiryScheduler(executor);
  }

  private static void scan(RouteTable table) {
    // an exception escaping a scheduled task would cancel every later scan
    try {
      table.expireSilentBrokers();
    } catch (RuntimeException e) {
      LOG.error("broker expiry scan failed; will try again at the next interval", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
