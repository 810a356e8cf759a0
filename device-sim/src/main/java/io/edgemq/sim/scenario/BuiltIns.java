package io.edgemq.sim.scenario;

import io.edgemq.sim.stream.PayloadFormat;
import io.edgemq.sim.stream.PayloadKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The scenarios that need no file: each a small, documented shape of load. */
public final class BuiltIns {
  /** Names accepted by {@link #get}. */
  public static final List<String> NAMES =
      List.of("telemetry", "commands", "connect-storm", "churn", "burst", "soak");

  private BuiltIns() {}

  /**
   * Knobs the command line can turn on a built-in scenario; null keeps the scenario's default.
   *
   * @param devices devices
   * @param duration sending phase
   * @param rate messages per second per device
   * @param qos QoS
   * @param mqttVersion 3 or 5
   * @param payloadSize payload size in bytes
   * @param connectRate connects per second
   * @param format payload format
   */
  public record Knobs(
      Integer devices,
      Duration duration,
      Double rate,
      Integer qos,
      Integer mqttVersion,
      Integer payloadSize,
      Double connectRate,
      PayloadFormat format) {}

  /**
   * A built-in scenario.
   *
   * @param name one of {@link #NAMES}
   * @param k command-line knobs
   * @return the scenario
   * @throws IllegalArgumentException for an unknown name or a bad knob
   */
  public static Scenario get(String name, Knobs k) {
    switch (name) {
      case "telemetry":
        return telemetry(k, "telemetry", RateSpec.fixed(or(k.rate(), 1.0)), 60);
      case "soak":
        return telemetry(
            k,
            "soak",
            new RateSpec(RateSpec.Kind.POISSON, or(k.rate(), 1.0), null, null, null),
            7200);
      case "burst":
        return telemetry(
            k,
            "burst",
            new RateSpec(
                RateSpec.Kind.BURST,
                or(k.rate(), 1.0),
                20 * or(k.rate(), 1.0),
                Duration.ofSeconds(10),
                Duration.ofSeconds(2)),
            60);
      case "connect-storm":
        return connectStorm(k);
      case "commands":
        return commands(k, false);
      case "churn":
        return commands(k, true);
      default:
        throw new IllegalArgumentException(
            "unknown built-in scenario '" + name + "'; choose one of " + NAMES);
    }
  }

  private static <T> T or(T v, T dflt) {
    return v == null ? dflt : v;
  }

  private static StreamSpec telemetryStream(Knobs k, RateSpec rate, PayloadKind kind) {
    return new StreamSpec(
        kind.name().toLowerCase(java.util.Locale.ROOT),
        "factory/{line}/{device}/telemetry/{sensor}",
        Map.of(
            "line",
            List.of("l1", "l2", "l3", "l4"),
            "sensor",
            List.of(kind == PayloadKind.GPS ? "gps" : "temp")),
        rate,
        new StreamSpec.PayloadSpec(kind, k.format(), k.payloadSize()));
  }

  private static Scenario telemetry(Knobs k, String name, RateSpec rate, int defaultSecs) {
    FleetSpec f =
        new FleetSpec(
            "sensor",
            or(k.devices(), 100),
            "sensor-{index:05}",
            or(k.connectRate(), 500.0),
            k.mqttVersion(),
            or(k.qos(), 1),
            true,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(telemetryStream(k, rate, PayloadKind.TEMPERATURE)),
            null,
            false);
    return new Scenario(
        name, or(k.duration(), Duration.ofSeconds(defaultSecs)), null, List.of(f), null, null);
  }

  private static Scenario connectStorm(Knobs k) {
    StreamSpec status =
        new StreamSpec(
            "status",
            "devices/{device}/status",
            null,
            RateSpec.fixed(or(k.rate(), 0.2)),
            new StreamSpec.PayloadSpec(PayloadKind.STATUS, k.format(), k.payloadSize()));
    FleetSpec f =
        new FleetSpec(
            "storm",
            or(k.devices(), 1000),
            "storm-{index:05}",
            or(k.connectRate(), 100_000.0),
            k.mqttVersion(),
            or(k.qos(), 1),
            true,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(status),
            null,
            false);
    return new Scenario(
        "connect-storm", or(k.duration(), Duration.ofSeconds(30)), null, List.of(f), null, null);
  }

  /** Commands to devices; with churn the devices drop and resume persistent sessions. */
  private static Scenario commands(Knobs k, boolean churn) {
    int devices = or(k.devices(), 100);
    double rate = or(k.rate(), 0.5);
    StreamSpec status =
        new StreamSpec(
            "status",
            "devices/{device}/status",
            null,
            RateSpec.fixed(rate),
            new StreamSpec.PayloadSpec(PayloadKind.STATUS, k.format(), k.payloadSize()));
    FleetSpec f =
        new FleetSpec(
            churn ? "churn" : "actuator",
            devices,
            (churn ? "churn" : "actuator") + "-{index:05}",
            or(k.connectRate(), 500.0),
            or(k.mqttVersion(), 5),
            or(k.qos(), 1),
            !churn,
            churn ? Duration.ofHours(1) : null,
            null,
            null,
            null,
            null,
            null,
            churn ? List.of(status) : List.of(),
            churn ? new ChurnSpec(Duration.ofSeconds(8), Duration.ofSeconds(2)) : null,
            true);
    CommandSpec cmd = new CommandSpec(devices * rate, or(k.qos(), 1), "cmd/{device}", null);
    return new Scenario(
        churn ? "churn" : "commands",
        or(k.duration(), Duration.ofSeconds(churn ? 40 : 30)),
        null,
        List.of(f),
        cmd,
        null);
  }
}
