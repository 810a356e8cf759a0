package io.edgemq.gateway.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The state MQTT keeps for a client id across its connections: subscriptions, outbound QoS 1/2
 * messages not yet acknowledged (resent with DUP on reconnect), messages queued beyond the client's
 * receive window or while it is offline, and inbound QoS 2 packet ids awaiting PUBREL.
 *
 * <p>A persistent session also tracks, per broker queue, which messages it has taken (a cursor) and
 * which it has not completed yet, so that its {@link #snapshot} names the offset to read again from
 * after this gateway node stops. A session resumed from such a snapshot starts every queue
 * "catching up": messages arriving from this node's live feed are ignored (only noted) while a
 * replay reads the queue from the checkpoint, until the replay has reached the live feed (see
 * {@link #finishCatchUp}); the cursor drops what both deliver.
 *
 * <p>Outbound state is guarded by this object's monitor: messages arrive from broker feed threads
 * while acknowledgements arrive from the connection's event loop.
 */
public final class Session {
  private final String clientId;
  private final boolean persistent;
  private final int maxQueued;
  private final long incarnation = ThreadLocalRandom.current().nextLong();
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Set<Integer> awaitingRelease = ConcurrentHashMap.newKeySet();
  private final Map<Integer, CompletableFuture<?>> storingQos2 = new ConcurrentHashMap<>();
  private final LinkedHashMap<Integer, Flight> inflight = new LinkedHashMap<>();
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private final Map<QueueRef, Track> tracks = new HashMap<>();
  private final Map<Position, SessionState.Inflight> resumed = new HashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final SessionDrops drops;
  private Outlet outlet;
  private int window = 1;
  private int nextPacketId = 1;
  private volatile long expiresAtMillis = Long.MAX_VALUE;
  private volatile long expiryIntervalMillis;
  private SessionState saved;
  private long createdAtMillis;

  /**
   * @param clientId the client id
   * @param persistent whether the session outlives its connection (MQTT 3 clean session false, or
   *     MQTT 5 session expiry above 0)
   * @param maxQueued messages queued beyond the in-flight window
   */
  public Session(String clientId, boolean persistent, int maxQueued) {
    this(clientId, persistent, maxQueued, new SessionDrops());
  }

  /**
   * @param clientId the client id
   * @param persistent whether the session outlives its connection
   * @param maxQueued messages queued beyond the in-flight window
   * @param drops where the node counts what its sessions dropped
   */
  public Session(String clientId, boolean persistent, int maxQueued, SessionDrops drops) {
    this.clientId = clientId;
    this.persistent = persistent;
    this.maxQueued = maxQueued;
    this.drops = drops;
  }

  /**
   * A session resumed from a stored record: its subscriptions and QoS 2 state are back, and every
   * queue it has a checkpoint for is catching up from there.
   *
   * @param state the stored record
   * @param maxQueued messages queued beyond the in-flight window
   * @return the session, offline
   */
  public static Session resume(SessionState state, int maxQueued) {
    return resume(state, maxQueued, new SessionDrops());
  }

  /**
   * @param state the stored record
   * @param maxQueued messages queued beyond the in-flight window
   * @param drops where the node counts what its sessions dropped
   * @return the session, offline
   */
  public static Session resume(SessionState state, int maxQueued, SessionDrops drops) {
    Session s = new Session(state.clientId(), true, maxQueued, drops);
    for (Subscription sub : state.subscriptions()) {
      s.subscriptions.put(rawFilter(sub), sub);
    }
    state.checkpoints().forEach((q, offset) -> s.tracks.put(q, Track.catchingUp(offset)));
    for (SessionState.Inflight f : state.inflight()) {
      s.resumed.put(new Position(f.queue(), f.offset()), f);
    }
    s.awaitingRelease.addAll(state.awaitingRelease());
    s.expiryIntervalMillis = state.expiryMillis();
    return s;
  }

  /**
   * @param sub a subscription
   * @return the filter as the client wrote it in SUBSCRIBE (with its {@code $share/} prefix)
   */
  public static String rawFilter(Subscription sub) {
    return sub.shareGroup() == null
        ? sub.filter()
        : "$share/" + sub.shareGroup() + '/' + sub.filter();
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
   * @return the random id of this copy of the session, written into its records
   */
  public long incarnation() {
    return incarnation;
  }

  /**
   * @return when this copy of the session was created (epoch ms), written into its records
   */
  public long createdAt() {
    return createdAtMillis;
  }

  void createdAt(long millis) {
    this.createdAtMillis = millis;
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
   * Notes an inbound QoS 2 PUBLISH on its way to the broker, so that the same packet id resent on
   * another connection (the first one dropped meanwhile) waits for this store instead of storing
   * the message twice. Once stored, the packet id awaits PUBREL.
   *
   * @param packetId the packet id
   * @param store completes when the broker answered
   * @param <T> the store's result
   * @return completes like {@code store}, but only after this bookkeeping: acknowledge from it, so
   *     that the client cannot reuse the packet id (after PUBREC, PUBREL, PUBCOMP) while the
   *     session still takes it for the earlier message
   */
  public <T> CompletableFuture<T> storingQos2(int packetId, CompletableFuture<T> store) {
    CompletableFuture<T> tracked = new CompletableFuture<>();
    storingQos2.put(packetId, tracked);
    store.whenComplete(
        (v, e) -> {
          if (e == null) {
            awaitingRelease.add(packetId); // before the removal: a checker sees one or the other
          }
          storingQos2.remove(packetId, tracked);
          if (e == null) {
            tracked.complete(v);
          } else {
            tracked.completeExceptionally(e);
          }
        });
    return tracked;
  }

  /**
   * @param packetId an inbound QoS 2 packet id
   * @return the store of that packet id still in progress, or null; check this before {@link
   *     #awaitingRelease()}
   */
  public CompletableFuture<?> storingQos2(int packetId) {
    return storingQos2.get(packetId);
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
   * @param millis the session expiry interval the client asked for (kept in its records)
   */
  public void expiryInterval(long millis) {
    this.expiryIntervalMillis = millis;
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
   * @return the attached connection, or null while offline
   */
  public synchronized Peer peer() {
    return outlet == null ? null : outlet.peer();
  }

  /**
   * @return whether a connection is attached
   */
  public synchronized boolean online() {
    return outlet != null;
  }

  /**
   * Delivers a message read by this node's live feed: at once if the client's window has room,
   * otherwise queued (QoS 0 messages are not kept for offline sessions, as MQTT allows). A message
   * of a queue that is catching up, or one taken before, is not delivered.
   *
   * @param m the message
   */
  public synchronized void offer(Outgoing m) {
    if (persistent && m.queue() != null && !take(m)) {
      return;
    }
    deliver(m);
  }

  /**
   * Takes a message read again from a checkpoint while its queue catches up: the cursor moves past
   * it, and it is delivered if it matched a subscription.
   *
   * @param q the queue it was read from
   * @param offset its offset
   * @param m what to deliver, or null when no subscription of this session matches it
   */
  public synchronized void offerReplayed(QueueRef q, long offset, Outgoing m) {
    Track t = tracks.get(q);
    if (t == null || !t.catching || offset < t.cursor) {
      return;
    }
    t.cursor = offset + 1;
    if (m != null) {
      deliver(m);
    }
  }

  /**
   * @return the queues catching up, each with the offset to read from
   */
  public synchronized Map<QueueRef, Long> catchingUp() {
    Map<QueueRef, Long> out = new HashMap<>();
    tracks.forEach(
        (q, t) -> {
          if (t.catching) {
            out.put(q, t.cursor);
          }
        });
    return out;
  }

  /**
   * Ends the catch-up of a queue if the replay has reached the live feed: it has taken every
   * message below the live feed's position, and every message the live feed offered meanwhile. From
   * then on the live feed delivers, and the cursor drops what it offers below the replay's end.
   *
   * @param q the queue
   * @param livePosition the next offset the live feed will offer, or -1 if unknown
   * @return true if the queue no longer catches up
   */
  public synchronized boolean finishCatchUp(QueueRef q, long livePosition) {
    Track t = tracks.get(q);
    if (t == null || !t.catching) {
      return true;
    }
    if (livePosition < 0 || t.cursor < livePosition || t.cursor <= t.liveSeen) {
      return false;
    }
    t.catching = false;
    return true;
  }

  /**
   * @return whether a replay should wait: the client is offline or the queue is half full
   */
  public synchronized boolean backlogged() {
    return outlet == null || queue.size() >= maxQueued / 2;
  }

  /**
   * The client acknowledged a QoS 1 message (PUBACK) or completed a QoS 2 one (PUBCOMP).
   *
   * @param packetId the packet id
   * @return false if no such message was in flight
   */
  public synchronized boolean completed(int packetId) {
    Flight f = inflight.remove(packetId);
    if (f == null) {
      return false;
    }
    done(f.message);
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

  /**
   * The record to store for this session now, or null when it equals the last one stored (see
   * {@link #saved}).
   *
   * @param nowMillis the time
   * @param livePositions per queue, the next offset this node's live feed will offer (-1 if
   *     unknown); read under this session's monitor, so every message the feed offered below it has
   *     been taken or passed over
   * @param fedQueues the queues of the broker topics behind this session's subscriptions
   * @return the record, or null if nothing changed
   */
  public synchronized SessionState snapshot(
      long nowMillis, ToLongFunction<QueueRef> livePositions, Set<QueueRef> fedQueues) {
    Map<QueueRef, Long> checkpoints = new HashMap<>();
    Set<QueueRef> all = new HashSet<>(fedQueues);
    all.addAll(tracks.keySet());
    for (QueueRef q : all) {
      long c = checkpoint(q, tracks.get(q), livePositions.applyAsLong(q));
      if (c >= 0) {
        checkpoints.put(q, c);
      }
    }
    List<SessionState.Inflight> flights = new ArrayList<>();
    inflight.forEach(
        (id, f) -> {
          if (f.message.queue() != null) {
            flights.add(
                new SessionState.Inflight(id, f.message.queue(), f.message.offset(), f.released));
          }
        });
    // lastSeen stays put while nothing else changes, so an unchanged session is not written again
    long lastSeen = outlet == null && saved != null ? saved.lastSeenMillis() : nowMillis;
    SessionState s =
        new SessionState(
            clientId,
            incarnation,
            false,
            expiryIntervalMillis,
            lastSeen,
            createdAtMillis,
            List.copyOf(subscriptions.values()),
            checkpoints,
            flights,
            Set.copyOf(awaitingRelease));
    if (saved != null && sameButTime(saved, s)) {
      return null;
    }
    return s;
  }

  /**
   * Notes that a record was stored.
   *
   * @param s the record
   */
  public synchronized void saved(SessionState s) {
    saved = s;
  }

  private static boolean sameButTime(SessionState a, SessionState b) {
    return a.expiryMillis() == b.expiryMillis()
        && a.subscriptions().equals(b.subscriptions())
        && subscriptionOptionsEqual(a.subscriptions(), b.subscriptions())
        && a.checkpoints().equals(b.checkpoints())
        && a.inflight().equals(b.inflight())
        && a.awaitingRelease().equals(b.awaitingRelease());
  }

  // Subscription.equals compares identity (client, share group) only
  private static boolean subscriptionOptionsEqual(List<Subscription> a, List<Subscription> b) {
    for (int i = 0; i < a.size(); i++) {
      Subscription x = a.get(i);
      Subscription y = b.get(i);
      if (!x.filter().equals(y.filter())
          || x.qos() != y.qos()
          || x.noLocal() != y.noLocal()
          || x.retainAsPublished() != y.retainAsPublished()
          || x.retainHandling() != y.retainHandling()
          || x.subscriptionId() != y.subscriptionId()) {
        return false;
      }
    }
    return true;
  }

  private static long checkpoint(QueueRef q, Track t, long live) {
    if (t == null) {
      return live;
    }
    if (!t.pending.isEmpty()) {
      return t.pending.first();
    }
    // nothing pending: everything the live feed offered below its position was taken or skipped
    return t.catching ? t.cursor : Math.max(t.cursor, live);
  }

  private boolean take(Outgoing m) {
    Track t = tracks.computeIfAbsent(m.queue(), q -> new Track());
    if (t.catching) {
      t.liveSeen = Math.max(t.liveSeen, m.offset());
      return false;
    }
    if (m.offset() < t.cursor) {
      return false; // taken before, by a replay
    }
    t.cursor = m.offset() + 1;
    return true;
  }

  private void deliver(Outgoing m) {
    if (m.qos() > 0 && m.queue() != null && resend(m)) {
      return;
    }
    if (outlet == null) {
      if (!persistent || m.qos() == 0) {
        dropped.incrementAndGet();
        drops.droppedOffline();
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

  // a message that was in flight when the stored record was written goes out with its packet id
  private boolean resend(Outgoing m) {
    SessionState.Inflight r = resumed.remove(new Position(m.queue(), m.offset()));
    if (r == null || inflight.containsKey(r.packetId())) {
      return false;
    }
    Flight f = new Flight(m);
    f.released = r.released();
    inflight.put(r.packetId(), f);
    pend(m);
    if (outlet != null) {
      if (f.released) {
        outlet.release(r.packetId());
      } else {
        outlet.publish(m, r.packetId(), true);
      }
    }
    return true;
  }

  private void enqueue(Outgoing m) {
    if (queue.size() >= maxQueued) {
      dropped.incrementAndGet();
      drops.droppedQueueFull();
      return;
    }
    queue.add(m);
    pend(m);
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
        done(m);
      } else {
        int id = nextId();
        inflight.put(id, new Flight(m));
        outlet.publish(m, id, false);
      }
    }
  }

  private void send(Outgoing m) {
    int id = nextId();
    inflight.put(id, new Flight(m));
    pend(m);
    outlet.publish(m, id, false);
  }

  private void pend(Outgoing m) {
    if (persistent && m.queue() != null) {
      tracks.computeIfAbsent(m.queue(), q -> new Track()).pending.add(m.offset());
    }
  }

  private void done(Outgoing m) {
    if (persistent && m.queue() != null) {
      Track t = tracks.get(m.queue());
      if (t != null) {
        t.pending.remove(m.offset());
      }
    }
  }

  private int nextId() {
    // ids in flight are skipped; the window is far below 65535, so this ends quickly
    while (true) {
      int id = nextPacketId;
      nextPacketId = id == 65_535 ? 1 : id + 1;
      if (!inflight.containsKey(id) && !resumedId(id)) {
        return id;
      }
    }
  }

  private boolean resumedId(int id) {
    if (resumed.isEmpty()) {
      return false;
    }
    for (SessionState.Inflight f : resumed.values()) {
      if (f.packetId() == id) {
        return true;
      }
    }
    return false;
  }

  /** A message in flight: its PUBREC arrived once {@code released} is set. */
  private static final class Flight {
    final Outgoing message;
    boolean released;

    Flight(Outgoing message) {
      this.message = message;
    }
  }

  /** Where a persistent session stands in one broker queue. */
  private static final class Track {
    long cursor;
    boolean catching;
    long liveSeen = -1;
    final TreeSet<Long> pending = new TreeSet<>();

    static Track catchingUp(long from) {
      Track t = new Track();
      t.cursor = from;
      t.catching = true;
      return t;
    }
  }

  private record Position(QueueRef queue, long offset) {}
}
