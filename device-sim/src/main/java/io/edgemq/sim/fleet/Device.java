package io.edgemq.sim.fleet;

import io.edgemq.sim.report.Metrics;
import io.edgemq.sim.stream.Envelope;
import io.edgemq.sim.stream.PayloadFormat;
import io.edgemq.sim.stream.PayloadModel;
import io.edgemq.sim.verify.Ledger;
import io.edgemq.sim.verify.StreamLedger;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One simulated device: its MQTT link, its streams' topics, payload models and ledgers, and its
 * connection state. Publishing never blocks: a device with {@code maxInflight} unacknowledged
 * PUBLISHes skips the send (counted), so an overloaded gateway shows as skipped sends and latency
 * rather than as a simulator that silently queues without bound.
 */
public final class Device {
  /** Where a device is in its life. */
  public enum State {
    OFFLINE,
    CONNECTING,
    ONLINE,
    DRAINING
  }

  private final String id;
  private final FleetPlan plan;
  private final MqttLink link;
  private final String commandTopic;
  private final String[] topics;
  private final PayloadModel[] models;
  private final StreamLedger[] ledgers;
  private final AtomicInteger inflight = new AtomicInteger();
  private final AtomicInteger failedConnects = new AtomicInteger();
  private volatile State state = State.OFFLINE;
  private volatile boolean subscribed;
  private volatile long connectedAtNanos;

  Device(
      String id,
      FleetPlan plan,
      MqttLink link,
      String commandTopic,
      String[] topics,
      PayloadModel[] models,
      StreamLedger[] ledgers) {
    this.id = id;
    this.plan = plan;
    this.link = link;
    this.commandTopic = commandTopic;
    this.topics = topics;
    this.models = models;
    this.ledgers = ledgers;
  }

  /** The client id. */
  public String id() {
    return id;
  }

  /** The MQTT topic this device receives commands on, or null. */
  public String commandTopic() {
    return commandTopic;
  }

  /** The fleet's plan. */
  public FleetPlan plan() {
    return plan;
  }

  /** The state. */
  public State state() {
    return state;
  }

  /** PUBLISHes not yet acknowledged. */
  public int inflight() {
    return inflight.get();
  }

  /**
   * Counts a failed connect.
   *
   * @return failed connects of this device in a row
   */
  public int connectFailed() {
    return failedConnects.incrementAndGet();
  }

  /** Whether the command subscription has been granted (it lives on in a persistent session). */
  public boolean subscribed() {
    return subscribed;
  }

  /** When the device last became online, ns since the run began. */
  public long connectedAtNanos() {
    return connectedAtNanos;
  }

  /**
   * Connects, and subscribes to commands the first time if the fleet receives them.
   *
   * @param clock the run's clock
   * @param metrics where to count
   * @param commands the command ledger (arrivals), or null
   * @param nowNanos ns since the run began
   * @return completes when online (and subscribed), exceptionally if the connect failed
   */
  public CompletableFuture<Void> connect(
      Clock clock, Metrics metrics, Ledger commands, long nowNanos) {
    state = State.CONNECTING;
    long t0 = micros(clock.instant());
    CompletableFuture<Void> f =
        link.connect()
            .thenCompose(
                sessionPresent -> {
                  metrics.connectLatency(micros(clock.instant()) - t0);
                  if (commandTopic == null || (subscribed && sessionPresent)) {
                    return CompletableFuture.completedFuture(null);
                  }
                  return link.subscribe(
                      commandTopic, plan.spec().qos(), p -> onCommand(p, clock, metrics, commands));
                });
    return f.whenComplete(
        (v, e) -> {
          if (e == null) {
            failedConnects.set(0);
            subscribed = commandTopic != null;
            connectedAtNanos = nowNanos;
            state = State.ONLINE;
            metrics.connected.incrementAndGet();
          } else {
            state = State.OFFLINE;
          }
        });
  }

  private void onCommand(byte[] payload, Clock clock, Metrics metrics, Ledger commands) {
    Optional<Envelope> e = Envelope.read(payload);
    if (e.isEmpty() || commands == null) {
      return;
    }
    metrics.commandsReceived.increment();
    metrics.commandLatency(micros(clock.instant()) - e.get().sentMicros());
    commands.arrived(e.get().deviceId(), e.get().stream(), e.get().seq());
  }

  /**
   * Sends the next message of a stream, unless the device is not online or has too many PUBLISHes
   * unacknowledged.
   *
   * @param stream the stream index
   * @param runId the run id
   * @param clock the run's clock
   * @param metrics where to count
   */
  public void publish(int stream, long runId, Clock clock, Metrics metrics) {
    if (state != State.ONLINE || inflight.get() >= plan.spec().maxInflight()) {
      metrics.skipped.increment();
      return;
    }
    StreamLedger ledger = ledgers[stream];
    long seq = ledger.nextSeq();
    long t0 = micros(clock.instant());
    FleetPlan.StreamPlan sp = plan.streams().get(stream);
    PayloadFormat format = sp.format();
    byte[] payload;
    synchronized (models[stream]) {
      payload = format.encode(new Envelope(runId, id, stream, seq, t0), models[stream], sp.size());
    }
    inflight.incrementAndGet();
    metrics.sent.increment();
    link.publish(topics[stream], payload)
        .whenComplete(
            (v, e) -> {
              inflight.decrementAndGet();
              if (e == null) {
                ledger.acked(seq);
                metrics.acked.increment();
                metrics.ackLatency(micros(clock.instant()) - t0);
              } else {
                ledger.failed(seq);
                metrics.publishFailed.increment();
              }
            });
  }

  /** Stops sending; the caller disconnects once nothing is in flight. */
  public void drain() {
    if (state == State.ONLINE) {
      state = State.DRAINING;
    }
  }

  /**
   * Disconnects normally.
   *
   * @param metrics where to count
   * @return completes when disconnected
   */
  public CompletableFuture<Void> disconnect(Metrics metrics) {
    State was = state;
    state = State.OFFLINE;
    if (was == State.ONLINE || was == State.DRAINING) {
      metrics.connected.decrementAndGet();
      return link.disconnect().exceptionally(e -> null);
    }
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Marks the link lost (the gateway closed it); the device counts as offline.
   *
   * @param metrics where to count
   */
  void lost(Metrics metrics) {
    if (state == State.ONLINE || state == State.DRAINING) {
      metrics.connected.decrementAndGet();
    }
    state = State.OFFLINE;
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
