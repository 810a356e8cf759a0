package io.edgemq.gateway.session;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state MQTT keeps for a client id across its connections: subscriptions, outbound QoS 1/2
 * messages not yet acknowledged (resent with DUP on reconnect), messages queued beyond the client's
 * receive window or while it is offline, and inbound QoS 2 packet ids awaiting PUBREL.
 *
 * <p>Outbound state is guarded by this object's monitor: messages arrive from broker feed threads
 * while acknowledgements arrive from the connection's event loop.
 */
public final class Session {
  private final String clientId;
  private final boolean persistent;
  private final int maxQueued;
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Set<Integer> awaitingRelease = ConcurrentHashMap.newKeySet();
  private final LinkedHashMap<Integer, Flight> inflight = new LinkedHashMap<>();
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private final AtomicLong dropped = new AtomicLong();
  private Outlet outlet;
  private int window = 1;
  private int nextPacketId = 1;
  private volatile long expiresAtMillis = Long.MAX_VALUE;

  /**
   * @param clientId the client id
   * @param persistent whether the session outlives its connection (MQTT 3 clean session false, or
   *     MQTT 5 session expiry above 0)
   * @param maxQueued messages queued beyond the in-flight window
   */
  public Session(String clientId, boolean persistent, int maxQueued) {
    this.clientId = clientId;
    this.persistent = persistent;
    this.maxQueued = maxQueued;
  }

  /**
   * @return the client id
   */
  public String clientId() {
    return clientId;
  }

  /**
   * @return whether the session outlives its connection
   */
  public boolean persistent() {
    return persistent;
  }

  /**
   * @return subscriptions by their SUBSCRIBE filter (with a {@code $share/} prefix when shared)
   */
  public Map<String, Subscription> subscriptions() {
    return subscriptions;
  }

  /**
   * @return inbound QoS 2 packet ids stored at the broker and awaiting the client's PUBREL
   */
  public Set<Integer> awaitingRelease() {
    return awaitingRelease;
  }

  /**
   * @return messages dropped because the queue was full or the session offline (QoS 0)
   */
  public long dropped() {
    return dropped.get();
  }

  /**
   * @param millis when an offline session ends, epoch ms ({@code Long.MAX_VALUE} = never)
   */
  public void expiresAt(long millis) {
    this.expiresAtMillis = millis;
  }

  /**
   * @return when this session ends if it stays offline
   */
  public long expiresAt() {
    return expiresAtMillis;
  }

  /**
   * Connects the session to a connection: unacknowledged messages are sent again (PUBLISH with DUP,
   * or PUBREL for those the client already received), then the queue.
   *
   * @param o the connection
   * @param receiveMaximum how many QoS 1/2 messages the client takes unacknowledged
   */
  public synchronized void attach(Outlet o, int receiveMaximum) {
    Outlet old = outlet;
    outlet = o;
    window = receiveMaximum;
    expiresAtMillis = Long.MAX_VALUE;
    if (old != null && old != o) {
      old.kick(0x8E); // session taken over
    }
    for (Map.Entry<Integer, Flight> e : inflight.entrySet()) {
      if (e.getValue().released) {
        o.release(e.getKey());
      } else {
        o.publish(e.getValue().message, e.getKey(), true);
      }
    }
    drain();
  }

  /**
   * Disconnects the session from a connection, if it is still the current one.
   *
   * @param o the connection that closed
   * @return true if it was the current connection
   */
  public synchronized boolean detach(Outlet o) {
    if (outlet != o) {
      return false;
    }
    outlet = null;
    return true;
  }

  /**
   * Ends this session's connection, if one is attached: a new connection with the same client id
   * started a clean session in its place (MQTT-3.1.4-3).
   *
   * @param reason the MQTT 5 DISCONNECT reason code
   */
  public synchronized void takenOver(int reason) {
    Outlet old = outlet;
    outlet = null;
    if (old != null) {
      old.kick(reason);
    }
  }

  /**
   * @return whether a connection is attached
   */
  public synchronized boolean online() {
    return outlet != null;
  }

  /**
   * Delivers a message: at once if the client's window has room, otherwise queued (QoS 0 messages
   * are not kept for offline sessions, as MQTT allows).
   *
   * @param m the message
   */
  public synchronized void offer(Outgoing m) {
    if (outlet == null) {
      if (!persistent || m.qos() == 0) {
        dropped.incrementAndGet();
        return;
      }
      enqueue(m);
      return;
    }
    if (m.qos() == 0) {
      outlet.publish(m, 0, false);
      return;
    }
    if (inflight.size() < window && queue.isEmpty()) {
      send(m);
    } else {
      enqueue(m);
    }
  }

  /**
   * The client acknowledged a QoS 1 message (PUBACK) or completed a QoS 2 one (PUBCOMP).
   *
   * @param packetId the packet id
   * @return false if no such message was in flight
   */
  public synchronized boolean completed(int packetId) {
    if (inflight.remove(packetId) == null) {
      return false;
    }
    drain();
    return true;
  }

  /**
   * The client received a QoS 2 message (PUBREC): answer with PUBREL.
   *
   * @param packetId the packet id
   * @return false if no such message was in flight
   */
  public synchronized boolean received(int packetId) {
    Flight f = inflight.get(packetId);
    if (f == null) {
      return false;
    }
    f.released = true;
    if (outlet != null) {
      outlet.release(packetId);
    }
    return true;
  }

  /**
   * @return messages in flight and queued
   */
  public synchronized int pending() {
    return inflight.size() + queue.size();
  }

  private void enqueue(Outgoing m) {
    if (queue.size() >= maxQueued) {
      dropped.incrementAndGet();
      return;
    }
    queue.add(m);
  }

  private void drain() {
    if (outlet == null) {
      return;
    }
    Iterator<Outgoing> it = queue.iterator();
    while (it.hasNext() && inflight.size() < window) {
      Outgoing m = it.next();
      it.remove();
      if (m.qos() == 0) {
        outlet.publish(m, 0, false);
      } else {
        send(m);
      }
    }
  }

  private void send(Outgoing m) {
    int id = nextId();
    inflight.put(id, new Flight(m));
    outlet.publish(m, id, false);
  }

  private int nextId() {
    // ids in flight are skipped; the window is far below 65535, so this ends quickly
    while (true) {
      int id = nextPacketId;
      nextPacketId = id == 65_535 ? 1 : id + 1;
      if (!inflight.containsKey(id)) {
        return id;
      }
    }
  }

  /** A message in flight: its PUBREC arrived once {@code released} is set. */
  private static final class Flight {
    final Outgoing message;
    boolean released;

    Flight(Outgoing message) {
      this.message = message;
    }
  }
}
