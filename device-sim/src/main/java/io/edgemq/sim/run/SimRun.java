package io.edgemq.sim.run;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.Producer;
import io.edgemq.sim.fleet.Device;
import io.edgemq.sim.fleet.Fleet;
import io.edgemq.sim.report.Metrics;
import io.edgemq.sim.report.RunReport;
import io.edgemq.sim.report.Timeline;
import io.edgemq.sim.scenario.Scenario;
import io.edgemq.sim.verify.BackendVerifier;
import io.edgemq.sim.verify.Ledger;
import io.edgemq.sim.verify.QosTally;
import io.edgemq.sim.verify.StreamLedger;
import java.io.IOException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One run: checks that the gateway and the backend answer, builds the fleet, starts the verifier,
 * drives the sending phase, drains what is still on its way, and returns the report.
 */
public final class SimRun {
  private final Settings settings;
  private final Metrics metrics = new Metrics();
  private final Ledger ledger = new Ledger();
  private final Ledger commandLedger = new Ledger();
  private final long runId = new SecureRandom().nextLong();
  private long startNanos;

  private SimRun(Settings settings) {
    this.settings = settings;
  }

  /**
   * Everything a run needs besides the scenario's own content.
   *
   * @param scenario what to simulate
   * @param target where devices connect
   * @param backend how the verifier and command sender reach the nameservers; empty: no
   *     verification (load only)
   * @param clock the clock for pacing and timestamps
   * @param progress where the live progress line goes, or null
   * @param overwrite rewrite the progress line in place (a terminal)
   */
  public record Settings(
      Scenario scenario,
      Fleet.Target target,
      Optional<ClientConfig> backend,
      Clock clock,
      PrintStream progress,
      boolean overwrite) {}

  /**
   * Runs a scenario to its verdict.
   *
   * @param settings the settings
   * @return the report
   * @throws UnreachableException if the gateway or the backend does not answer
   * @throws IOException if a credentials or CA file cannot be read
   * @throws InterruptedException if interrupted
   */
  public static RunReport run(Settings settings)
      throws UnreachableException, IOException, InterruptedException {
    return new SimRun(settings).execute();
  }

  private long now() {
    return nanosOf(settings.clock().instant()) - startNanos;
  }

  private static long nanosOf(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private RunReport execute() throws UnreachableException, IOException, InterruptedException {
    Scenario sc = settings.scenario();
    Preflight.gateway(settings.target().gateway(), settings.target().connectTimeout());
    if (settings.backend().isPresent()) {
      Preflight.backend(settings.backend().get(), backendTopics(sc), 8);
    }
    Fleet fleet = Fleet.build(sc, settings.target(), ledger, metrics);
    Instant started = settings.clock().instant();
    startNanos = nanosOf(started);
    long ramp = Driver.rampNanos(fleet);
    long end = ramp + sc.duration().toNanos();
    Timeline timeline =
        new Timeline(metrics, this::now, end, settings.progress(), settings.overwrite());
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sim-progress");
              t.setDaemon(true);
              return t;
            });
    List<String> errors = new ArrayList<>();
    BackendVerifier verifier = null;
    Producer producer = null;
    try {
      if (settings.backend().isPresent()) {
        verifier =
            new BackendVerifier(
                settings.backend().get(),
                sc.verifyTopics(),
                runId,
                ledger,
                metrics,
                settings.clock(),
                sc.verify().dropEvery());
      }
      ticker.scheduleAtFixedRate(timeline::tick, 1, 1, TimeUnit.SECONDS);
      Driver driver =
          new Driver(fleet, metrics, commandLedger, settings.clock(), this::now, runId, sc.seed());
      if (sc.commands() != null && settings.backend().isPresent()) {
        producer =
            Producer.builder()
                .clientConfig(settings.backend().get())
                .producerGroup("sim-commands")
                .build();
        driver.commands(commandSender(fleet, producer));
      }
      String gaveUp = driver.run(end);
      long sendingNanos = Math.min(now(), end);
      if (gaveUp != null) {
        errors.add(gaveUp);
      } else {
        driver.reconnectChurned();
        drain(fleet, verifier);
      }
      ticker.shutdown();
      ticker.awaitTermination(5, TimeUnit.SECONDS);
      timeline.tick();
      timeline.finish();
      disconnectAll(fleet);
      if (verifier != null && verifier.failure().isPresent()) {
        errors.add("the verifier's consumer failed: " + verifier.failure().get());
      }
      return report(sc, fleet, started, sendingNanos, timeline, verifier, driver, errors);
    } finally {
      ticker.shutdownNow();
      if (producer != null) {
        producer.close();
      }
      if (verifier != null) {
        verifier.close();
      }
    }
  }

  private static Set<String> backendTopics(Scenario sc) {
    Set<String> topics = new LinkedHashSet<>(sc.verifyTopics());
    if (sc.commands() != null) {
      topics.add(sc.commands().brokerTopic());
    }
    return topics;
  }

  private CommandSender commandSender(Fleet fleet, Producer producer) {
    List<Device> targets = new ArrayList<>();
    Map<String, StreamLedger> ledgers = new HashMap<>();
    for (Device d : fleet.devices()) {
      if (d.commandTopic() != null) {
        targets.add(d);
        int qos = Math.min(settings.scenario().commands().qos(), d.plan().spec().qos());
        ledgers.put(d.id(), commandLedger.register(d.id(), qos)[0]);
      }
    }
    return new CommandSender(
        producer,
        settings.scenario().commands(),
        targets,
        ledgers,
        metrics,
        settings.clock(),
        runId);
  }

  /**
   * Waits for acknowledgements still in flight, then for arrivals: until nothing owed is missing,
   * the drain timeout passes, or nothing arrived for 10 s.
   */
  private void drain(Fleet fleet, BackendVerifier verifier) throws InterruptedException {
    long deadline = now() + settings.scenario().verify().drainTimeout().toNanos();
    while (now() < deadline && fleet.devices().stream().anyMatch(d -> d.inflight() > 0)) {
      Thread.sleep(50);
    }
    long quietFor = Duration.ofSeconds(10).toNanos();
    long lastArrivals = -1;
    long lastChange = now();
    while (now() < deadline) {
      long arrivals = ledger.arrivals() + commandLedger.arrivals();
      if (arrivals != lastArrivals) {
        lastArrivals = arrivals;
        lastChange = now();
      } else if (now() - lastChange > quietFor) {
        return;
      }
      if (outstanding(ledger, verifier != null) + outstanding(commandLedger, true) == 0) {
        Thread.sleep(500); // a duplicate usually follows its original closely: give it a chance
        return;
      }
      Thread.sleep(200);
    }
  }

  private static long outstanding(Ledger l, boolean verified) {
    if (!verified) {
      return 0;
    }
    return l.tallies().stream().mapToLong(QosTally::lost).sum();
  }

  private void disconnectAll(Fleet fleet) {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (Device d : fleet.devices()) {
      all.add(d.disconnect(metrics));
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the gateway closes what is left; the figures are already taken
    }
  }

  private RunReport report(
      Scenario sc,
      Fleet fleet,
      Instant started,
      long sendingNanos,
      Timeline timeline,
      BackendVerifier verifier,
      Driver driver,
      List<String> errors) {
    double secs = Math.max(1e-3, sendingNanos / 1e9);
    List<QosTally> telemetry = verifier == null ? List.of() : ledger.tallies();
    List<QosTally> commands = sc.commands() == null ? List.of() : commandLedger.tallies();
    List<String> violations = new ArrayList<>();
    boolean reorder = sc.verify().failOnReorder();
    telemetry.forEach(t -> violations.addAll(t.violations(reorder)));
    commands.forEach(t -> violations.addAll(prefix("commands ", t.violations(reorder))));
    if (ledger.unknown() > 0) {
      violations.add(ledger.unknown() + " arrivals of this run match no device stream");
    }
    List<String> notes = new ArrayList<>();
    if (driver.firstConnectError() != null) {
      notes.add("first connect error: " + Driver.describe(driver.firstConnectError()));
    }
    if (verifier == null) {
      notes.add("not verified: no backend given");
    }
    List<String> lost = new ArrayList<>(verifier == null ? List.of() : ledger.lostExamples(10));
    commandLedger.lostExamples(10).forEach(c -> lost.add("command " + c));
    if (!lost.isEmpty()) {
      notes.add("lost (first " + lost.size() + ", device/stream#seq): " + String.join(", ", lost));
    }
    long connectOk = metrics.connectOk.sum();
    return new RunReport(
        sc.name(),
        String.format("%016x", runId),
        started.toString(),
        settings.target().gateway().getHostString() + ":" + settings.target().gateway().getPort(),
        fleet.devices().size(),
        secs,
        connectOk,
        metrics.connectFailed.sum(),
        metrics.reconnects.sum(),
        metrics.sent.sum(),
        metrics.acked.sum(),
        metrics.publishFailed.sum(),
        metrics.skipped.sum(),
        metrics.acked.sum() / secs,
        metrics.received.sum() / secs,
        timeline.ack(),
        timeline.endToEnd(),
        timeline.command(),
        timeline.connect(),
        telemetry,
        commands,
        metrics.commandsSent.sum(),
        verifier == null ? 0 : verifier.foreign(),
        verifier == null ? 0 : verifier.dropped(),
        violations,
        errors,
        notes,
        timeline.samples());
  }

  private static List<String> prefix(String p, List<String> lines) {
    List<String> out = new ArrayList<>();
    lines.forEach(l -> out.add(p + l));
    return out;
  }
}
