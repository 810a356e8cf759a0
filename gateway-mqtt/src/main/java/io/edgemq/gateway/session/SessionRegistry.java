package io.edgemq.gateway.session;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Sessions by client id. A CONNECT either resumes a session (clean start false and a session
 * exists) or replaces it; a connection that drops leaves a persistent session until it expires.
 */
public final class SessionRegistry {
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;
  private final int maxQueued;
  private final SessionDrops drops = new SessionDrops();

  /**
   * @param clock for session expiry
   * @param maxQueued per-session queue bound
   */
  public SessionRegistry(Clock clock, int maxQueued) {
    this.clock = clock;
    this.maxQueued = maxQueued;
  }

  /**
   * The outcome of opening a session.
   *
   * @param session the session
   * @param present whether it existed (CONNACK session present)
   * @param discarded a session thrown away (or null) whose subscriptions the caller must remove
   * @param restored whether the session was rebuilt from its stored record: the caller adds its
   *     subscriptions to the router
   */
  public record Opened(Session session, boolean present, Session discarded, boolean restored) {}

  /**
   * Opens the session of a CONNECT. With clean start false the newest of this node's copy and the
   * stored record is resumed: this node's copy when the record was written by it (same incarnation)
   * or is older than it, else the record.
   *
   * @param clientId the client id
   * @param cleanStart MQTT 5 clean start / MQTT 3 clean session
   * @param persistent whether the new session outlives the connection
   * @param stored the client id's stored record, if one was read (empty with clean start)
   * @return the session and what happened
   */
  public synchronized Opened open(
      String clientId, boolean cleanStart, boolean persistent, Optional<SessionState> stored) {
    long now = clock.millis();
    Session old = sessions.get(clientId);
    Session live = old != null && !expired(old) ? old : null;
    if (!cleanStart) {
      SessionState record = stored.orElse(null);
      if (live != null
          && (record == null
              || record.incarnation() == live.incarnation()
              || record.createdAtMillis() < live.createdAt())) {
        return new Opened(live, true, null, false);
      }
      if (record != null && !record.expiredAt(now)) {
        Session resumed = Session.resume(record, maxQueued, drops);
        resumed.createdAt(now);
        replace(clientId, old, resumed);
        return new Opened(resumed, true, old, true);
      }
    }
    Session fresh = new Session(clientId, persistent, maxQueued, drops);
    fresh.createdAt(now);
    replace(clientId, old, fresh);
    return new Opened(fresh, false, old, false);
  }

  private void replace(String clientId, Session old, Session next) {
    sessions.put(clientId, next);
    if (old != null) {
      old.takenOver(0x8E); // a connection still on the old session is closed: session taken over
    }
  }

  /**
   * Drops this node's copy of a session that another node took over or ended, as a stored record
   * shows: the record is not this copy's and was written by a copy created after it (a checkpoint
   * of an older copy elsewhere, written while this node took the session over, does not count). A
   * connection still on the copy is closed (session taken over).
   *
   * @param record a record some node stored
   * @return the dropped copy, whose subscriptions the caller removes, or null
   */
  public synchronized Session superseded(SessionState record) {
    Session local = sessions.get(record.clientId());
    if (local == null
        || local.incarnation() == record.incarnation()
        || record.createdAtMillis() <= local.createdAt()) {
      return null;
    }
    sessions.remove(record.clientId(), local);
    local.takenOver(0x8E);
    return local;
  }

  /**
   * Called when a connection closed: a non-persistent session ends now, a persistent one expires
   * later.
   *
   * @param s the session
   * @param expiryMillis session expiry interval
   * @return true if the session ended now
   */
  public synchronized boolean closed(Session s, long expiryMillis) {
    if (s.online()) {
      return false; // another connection took it over
    }
    if (!s.persistent() || expiryMillis == 0) {
      sessions.remove(s.clientId(), s);
      return true;
    }
    long now = clock.millis();
    s.expiresAt(expiryMillis >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + expiryMillis);
    return false;
  }

  /**
   * Removes offline sessions whose expiry passed.
   *
   * @param onExpired called for each removed session
   */
  public void expire(Consumer<Session> onExpired) {
    for (Session s : sessions.values()) {
      synchronized (this) {
        if (!s.online() && expired(s) && sessions.remove(s.clientId(), s)) {
          onExpired.accept(s);
        }
      }
    }
  }

  /**
   * @param clientId a client id
   * @return its session, or null
   */
  public Session find(String clientId) {
    return sessions.get(clientId);
  }

  /**
   * @return what this node's sessions dropped
   */
  public SessionDrops drops() {
    return drops;
  }

  /**
   * @return every session
   */
  public Collection<Session> all() {
    return sessions.values();
  }

  private boolean expired(Session s) {
    return clock.millis() >= s.expiresAt();
  }
}
