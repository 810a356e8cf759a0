package io.edgemq.gateway.session;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
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

  /**
   * @param clock for session expiry
   * @param maxQueued per-session queue bound
   */
  public SessionRegistry(Clock clock, int maxQueued) {
    this.clock = clock;
    this.maxQueued = maxQueued;
  }

  /** The outcome of opening a session. */
  public record Opened(Session session, boolean present, Session discarded) {}

  /**
   * Opens the session of a CONNECT.
   *
   * @param clientId the client id
   * @param cleanStart MQTT 5 clean start / MQTT 3 clean session
   * @param persistent whether the new session outlives the connection
   * @return the session, whether it existed, and a session that was thrown away (or null) whose
   *     subscriptions the caller must remove
   */
  public synchronized Opened open(String clientId, boolean cleanStart, boolean persistent) {
    Session old = sessions.get(clientId);
    if (old != null && !cleanStart && !expired(old)) {
      return new Opened(old, true, null);
    }
    Session fresh = new Session(clientId, persistent, maxQueued);
    sessions.put(clientId, fresh);
    if (old != null) {
      old.takenOver(0x8E); // a connection still on the old session is closed: session taken over
    }
    return new Opened(fresh, false, old);
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
   * @return every session
   */
  public Collection<Session> all() {
    return sessions.values();
  }

  private boolean expired(Session s) {
    return clock.millis() >= s.expiresAt();
  }
}
