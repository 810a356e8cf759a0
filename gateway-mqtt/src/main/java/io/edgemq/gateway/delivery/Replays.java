package io.edgemq.gateway.delivery;

import io.edgemq.gateway.link.BrokerLink;
import io.edgemq.gateway.link.BrokerLink.FeedMessage;
import io.edgemq.gateway.session.QueueRef;
import io.edgemq.gateway.session.Session;
import io.edgemq.gateway.session.SessionRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads again, for a session resumed from its stored record, what it missed: each queue from its
 * checkpoint until the session says the live feed has taken over ({@link Session#finishCatchUp}). A
 * replay waits while its session's queue is half full and stops when the client goes offline (it
 * starts again from the cursor at the next CONNECT). A few replays run at a time; others wait their
 * turn.
 */
public final class Replays implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Replays.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long BACKLOG_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final BrokerLink link;
  private final Router router;
  private final SessionRegistry sessions;
  private final ExecutorService threads;
  private volatile boolean closed;

  /**
   * @param link reads the queues
   * @param router matches messages and knows the live positions
   * @param sessions to see whether a session still exists
   * @param concurrency replays at once
   */
  public Replays(BrokerLink link, Router router, SessionRegistry sessions, int concurrency) {
    this.link = link;
    this.router = router;
    this.sessions = sessions;
    this.threads =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "edgemq-gw-replay");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts the replay of a session that has queues catching up (does nothing otherwise).
   *
   * @param s the session, just attached to its connection
   */
  public void start(Session s) {
    Map<QueueRef, Long> from = s.catchingUp();
    from.keySet().removeIf(q -> s.finishCatchUp(q, router.livePosition(q)));
    if (from.isEmpty() || closed) {
      return;
    }
    threads.execute(() -> replay(s, from));
  }

  private void replay(Session s, Map<QueueRef, Long> from) {
    // the turn may come late: start from where the session stands now
    Map<QueueRef, Long> now = s.catchingUp();
    now.keySet().retainAll(from.keySet());
    if (now.isEmpty()) {
      return;
    }
    try (BrokerLink.QueueReader reader = link.reader(now)) {
      while (!now.isEmpty() && !closed && sessions.find(s.clientId()) == s) {
        if (s.backlogged()) {
          if (!s.online()) {
            return; // resumes at the next CONNECT
          }
          LockSupport.parkNanos(BACKLOG_WAIT_NANOS);
          continue;
        }
        for (FeedMessage m : reader.poll(POLL)) {
          if (now.containsKey(m.queue())) {
            s.offerReplayed(m.queue(), m.offset(), router.matchFor(s, m));
          }
        }
        now.keySet().removeIf(q -> s.finishCatchUp(q, router.livePosition(q)));
      }
    } catch (RuntimeException e) {
      // brokers busy or briefly gone: the session would ignore its live feed until the next
      // CONNECT, so try again shortly while the client is there
      LOG.warn("replay for {} failed: {}; trying again in 1 s", s.clientId(), e.toString());
      if (!closed && s.online() && sessions.find(s.clientId()) == s) {
        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> retry(s));
      }
    }
  }

  private void retry(Session s) {
    try {
      start(s);
    } catch (RejectedExecutionException closing) {
      // the gateway is stopping: the session's record keeps its checkpoints
    }
  }

  @Override
  public void close() {
    closed = true;
    threads.shutdownNow();
  }
}
