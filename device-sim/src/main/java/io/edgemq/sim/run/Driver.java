package io.edgemq.sim.run;

import io.edgemq.sim.fleet.Device;
import io.edgemq.sim.fleet.Fleet;
import io.edgemq.sim.fleet.FleetPlan;
import io.edgemq.sim.report.Metrics;
import io.edgemq.sim.scenario.ChurnSpec;
import io.edgemq.sim.stream.Pacer;
import io.edgemq.sim.verify.Ledger;
import java.time.Clock;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The sending phase, on one thread: connects devices along each fleet's ramp, fires the pacer,
 * takes churning devices offline and back, and sends commands. Work that completes on client
 * threads (a CONNACK) only schedules timers or pacer slots, so all decisions stay on this thread.
 */
final class Driver {
  /** Stop early if this many connects in a row failed and none ever succeeded. */
  private static final int GIVE_UP_AFTER = 20;

  /** Retries of a device whose connect failed (timeout, refusal), 2 s apart. */
  private static final int CONNECT_RETRIES = 5;

  private final Fleet fleet;
  private final Metrics metrics;
  private final Ledger commandLedger;
  private final Clock clock;
  private final LongSupplier now;
  private final long runId;
  private final SplittableRandom random;
  private final Pacer<Slot> pacer = new Pacer<>();
  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
  private final AtomicReference<Throwable> firstConnectError = new AtomicReference<>();
  private CommandSender commands;
  private volatile boolean sending = true;

  Driver(
      Fleet fleet,
      Metrics metrics,
      Ledger commandLedger,
      Clock clock,
      LongSupplier now,
      long runId,
      long seed) {
    this.fleet = fleet;
    this.metrics = metrics;
    this.commandLedger = commandLedger;
    this.clock = clock;
    this.now = now;
    this.runId = runId;
    this.random = new SplittableRandom(seed);
  }

  void commands(CommandSender sender) {
    this.commands = sender;
  }

  /** Length of the longest connect ramp. */
  static long rampNanos(Fleet fleet) {
    long max = 0;
    for (FleetPlan p : fleet.plans()) {
      max = Math.max(max, (long) (p.spec().count() / p.spec().connectRate() * 1e9));
    }
    return max;
  }

  /**
   * Runs until {@code endNanos}.
   *
   * @return null, or why the run was given up (nothing could connect)
   */
  String run(long endNanos) {
    scheduleRamp();
    while (true) {
      long t = now.getAsLong();
      if (t >= endNanos) {
        break;
      }
      runTimers(t);
      pacer.fireDue(t, (slot, at) -> slot.device.publish(slot.stream, runId, clock, metrics));
      if (commands != null) {
        commands.sendDue(t);
      }
      if (metrics.connectOk.sum() == 0 && metrics.connectFailed.sum() >= giveUpAfter()) {
        sending = false;
        return "no device could connect ("
            + metrics.connectFailed.sum()
            + " attempts): "
            + describe(firstConnectError.get());
      }
      long next = Math.min(Math.min(nextTimer(), pacer.nextDue()), endNanos);
      if (commands != null) {
        next = Math.min(next, commands.nextDue());
      }
      long wait = Math.min(next - now.getAsLong(), 10_000_000L);
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    sending = false;
    return null;
  }

  private int giveUpAfter() {
    return Math.min(GIVE_UP_AFTER, fleet.devices().size());
  }

  private void scheduleRamp() {
    int offset = 0;
    for (FleetPlan p : fleet.plans()) {
      double rate = p.spec().connectRate();
      for (int i = 0; i < p.spec().count(); i++) {
        Device d = fleet.devices().get(offset + i);
        timer((long) (i / rate * 1e9), () -> connect(d));
      }
      offset += p.spec().count();
    }
  }

  private void connect(Device d) {
    d.connect(clock, metrics, commandLedger, now.getAsLong())
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                metrics.connectFailed.increment();
                firstConnectError.compareAndSet(null, e);
                // a real device retries: a few times, 2 s apart (churning ones for ever)
                if (sending
                    && (d.connectFailed() <= CONNECT_RETRIES || d.plan().spec().churn() != null)) {
                  timer(now.getAsLong() + 2_000_000_000L, () -> connect(d));
                }
                return;
              }
              metrics.connectOk.increment();
              long t = now.getAsLong();
              for (int s = 0; s < d.plan().streams().size(); s++) {
                FleetPlan.StreamPlan sp = d.plan().streams().get(s);
                pacer.add(new Slot(d, s), sp.schedule(), random(), t);
              }
              ChurnSpec churn = d.plan().spec().churn();
              if (churn != null && sending) {
                timer(t + exponential(churn.every()), () -> goOffline(d));
              }
            });
  }

  private void goOffline(Device d) {
    if (!sending || d.state() != Device.State.ONLINE) {
      return;
    }
    d.drain();
    pacer.removeIf(slot -> slot.device == d);
    awaitDrained(d, now.getAsLong() + 5_000_000_000L);
  }

  private void awaitDrained(Device d, long deadline) {
    long t = now.getAsLong();
    if (d.inflight() > 0 && t < deadline) {
      timer(t + 10_000_000L, () -> awaitDrained(d, deadline));
      return;
    }
    ChurnSpec churn = d.plan().spec().churn();
    d.disconnect(metrics)
        .whenComplete(
            (v, e) ->
                timer(
                    now.getAsLong() + churn.offline().toNanos(),
                    () -> {
                      if (sending) {
                        metrics.reconnects.increment();
                        connect(d);
                      }
                    }));
  }

  /** Devices left offline by churn when sending stopped: back online, to collect their queue. */
  void reconnectChurned() {
    for (Device d : fleet.devices()) {
      if (d.plan().spec().churn() != null && d.state() == Device.State.OFFLINE) {
        metrics.reconnects.increment();
        d.connect(clock, metrics, commandLedger, now.getAsLong())
            .whenComplete(
                (v, e) -> {
                  if (e == null) {
                    metrics.connectOk.increment();
                  } else {
                    metrics.connectFailed.increment();
                  }
                });
      }
    }
  }

  private long exponential(Duration mean) {
    return Math.max(1L, (long) (-Math.log(1.0 - random().nextDouble()) * mean.toNanos()));
  }

  private synchronized SplittableRandom random() {
    return random.split();
  }

  private synchronized void timer(long at, Runnable action) {
    timers.add(new Timer(at, action));
  }

  private synchronized long nextTimer() {
    Timer t = timers.peek();
    return t == null ? Long.MAX_VALUE : t.at;
  }

  private void runTimers(long t) {
    while (true) {
      Timer due;
      synchronized (this) {
        due = timers.peek();
        if (due == null || due.at > t) {
          return;
        }
        timers.poll();
      }
      due.action.run();
    }
  }

  Throwable firstConnectError() {
    return firstConnectError.get();
  }

  static String describe(Throwable e) {
    if (e == null) {
      return "unknown";
    }
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static final class Slot {
    final Device device;
    final int stream;

    Slot(Device device, int stream) {
      this.device = device;
      this.stream = stream;
    }
  }

  private static final class Timer {
    final long at;
    final Runnable action;

    Timer(long at, Runnable action) {
      this.at = at;
      this.action = action;
    }
  }
}
