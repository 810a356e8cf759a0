package io.edgemq.broker.pop;

import io.edgemq.broker.retry.RetryService;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every second: dead-letters expired last deliveries (so they leave even when nobody
 * receives), syncs the pop log, and compacts it once {@link #COMPACT_AFTER_BYTES} were appended.
 */
final class Sweeper {
  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

  /** The pop log is compacted once this much was appended since the last compaction. */
  static final long COMPACT_AFTER_BYTES = 16L * 1024 * 1024;

  private final PopTable table;
  private final RetryService retry;
  private final DeadLetterer deadLetterer;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();

  Sweeper(PopTable table, RetryService retry, DeadLetterer deadLetterer, Clock clock) {
    this.table = table;
    this.retry = retry;
    this.deadLetterer = deadLetterer;
    this.clock = clock;
  }

  void sweep() throws IOException {
    long now = clock.millis();
    for (PopQueue q : table.all()) {
      int maxRetries = retry.policy(q.key.group()).maxRetries();
      List<InFlight> dead =
          table.update(
              q.key,
              k -> 0,
              queue -> {
                List<InFlight> out = new ArrayList<>();
                for (InFlight f : queue.expired(now, Integer.MAX_VALUE)) {
                  if (f.attempt() >= maxRetries) {
                    queue.markDeadLettering(f.offset());
                    out.add(f);
                  }
                }
                return out;
              });
      deadLetterer.deadLetter(q.key, dead);
    }
    table.force();
    if (table.appendedBytes() > COMPACT_AFTER_BYTES) {
      table.compact();
    }
  }

  /**
   * Runs a sweep on the executor unless the previous one is still running.
   *
   * @param executor where it runs
   */
  void runOn(Executor executor) {
    if (!running.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(this::sweepQuietly);
    } catch (RejectedExecutionException e) {
      running.set(false); // shutting down
    }
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (IOException | RuntimeException e) {
      LOG.error("pop sweep failed; trying again in a second", e);
    } finally {
      running.set(false);
    }
  }
}
