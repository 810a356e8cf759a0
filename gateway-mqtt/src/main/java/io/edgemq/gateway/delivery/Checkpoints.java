package io.edgemq.gateway.delivery;

import io.edgemq.gateway.session.Session;
import io.edgemq.gateway.session.SessionState;
import io.edgemq.gateway.session.SessionStore;
import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes persistent sessions to the {@link SessionStore}: at once when a client subscribes,
 * unsubscribes or disconnects, and every checkpoint interval for sessions whose position moved, so
 * that after this node stops a client resumes elsewhere with at most an interval of messages sent
 * twice (QoS 1), never with messages missing.
 */
public final class Checkpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

  private final SessionStore store;
  private final Router router;
  private final Clock clock;

  /**
   * @param store where sessions go
   * @param router knows this node's feed positions
   * @param clock the clock
   */
  public Checkpoints(SessionStore store, Router router, Clock clock) {
    this.store = store;
    this.router = router;
    this.clock = clock;
  }

  /**
   * @return whether sessions are stored at all (not {@link SessionStore#NONE})
   */
  public boolean enabled() {
    return store != SessionStore.NONE;
  }

  /**
   * @return the store
   */
  public SessionStore store() {
    return store;
  }

  /**
   * Stores a persistent session now if it changed since it was last stored.
   *
   * @param s the session
   * @return completes when stored (at once if nothing changed or the session is not persistent);
   *     never exceptionally: a failure is logged and the next checkpoint tries again
   */
  public CompletableFuture<Void> save(Session s) {
    if (!enabled() || !s.persistent()) {
      return CompletableFuture.completedFuture(null);
    }
    SessionState state = s.snapshot(clock.millis(), router::livePosition, router.fedQueues(s));
    if (state == null) {
      return CompletableFuture.completedFuture(null);
    }
    return store
        .save(state)
        .handle(
            (v, e) -> {
              if (e == null) {
                s.saved(state);
              } else {
                LOG.warn("session of {} not stored: {}", s.clientId(), e.toString());
              }
              return null;
            });
  }

  /**
   * Stores a record that ends a client id's older sessions, so no node resumes one and nodes that
   * hold one drop it.
   *
   * @param s the session that replaces them, or that ended
   */
  public void end(Session s) {
    if (!enabled()) {
      return;
    }
    String clientId = s.clientId();
    store
        .save(SessionState.ended(clientId, s.incarnation(), s.createdAt(), clock.millis()))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.warn("end of the session of {} not stored: {}", clientId, e.toString());
              }
            });
  }

  /**
   * Stores every persistent session that changed (the periodic checkpoint).
   *
   * @param sessions the sessions
   */
  public void saveAll(Collection<Session> sessions) {
    for (Session s : sessions) {
      if (s.persistent()) {
        save(s);
      }
    }
  }
}
