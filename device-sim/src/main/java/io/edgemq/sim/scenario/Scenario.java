package io.edgemq.sim.scenario;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A whole run: one or more fleets of devices, optional backend commands, and how to verify.
 *
 * @param name shown in reports
 * @param duration how long devices publish (after the connect ramp of each device)
 * @param seed random seed, so two runs make the same payloads and phases
 * @param fleets the device fleets (at least one)
 * @param commands backend → device commands, or null for none
 * @param verify how delivery is checked
 */
public record Scenario(
    String name,
    Duration duration,
    Long seed,
    List<FleetSpec> fleets,
    CommandSpec commands,
    VerifySpec verify) {

  /** Checks cross-field rules and fills defaults. */
  public Scenario {
    name = name == null ? "scenario" : name;
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be given and positive");
    }
    seed = seed == null ? 1L : seed;
    if (fleets == null || fleets.isEmpty()) {
      throw new IllegalArgumentException("at least one fleet is needed");
    }
    fleets = List.copyOf(fleets);
    Set<String> names = new HashSet<>();
    for (FleetSpec f : fleets) {
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("two fleets are named '" + f.name() + "'");
      }
    }
    checkDistinctIds(fleets);
    verify = verify == null ? VerifySpec.DEFAULT : verify;
    if (commands != null && fleets.stream().noneMatch(FleetSpec::receivesCommands)) {
      throw new IllegalArgumentException(
          "commands are sent but no fleet has receiveCommands: true");
    }
  }

  // the verifier tells devices apart by id; two fleets with one pattern would merge their counts
  private static void checkDistinctIds(List<FleetSpec> fleets) {
    Set<String> ids = new HashSet<>();
    for (FleetSpec f : fleets) {
      for (int i = 0; i < f.count(); i++) {
        String id = DeviceIds.expand(f.idPattern(), f.name(), i);
        if (!ids.add(id)) {
          throw new IllegalArgumentException(
              "device id '" + id + "' of fleet '" + f.name() + "' is also used by another device");
        }
      }
    }
  }

  /** Total devices of all fleets. */
  public int deviceCount() {
    return fleets.stream().mapToInt(FleetSpec::count).sum();
  }

  /**
   * The broker topics the verifier reads: {@code verify.topics} if given, else the broker topic the
   * gateway's default mapping gives each stream (its first topic level, or {@code mqtt}).
   *
   * @return topic names, in order
   */
  public List<String> verifyTopics() {
    if (!verify.topics().isEmpty()) {
      return verify.topics();
    }
    Set<String> topics = new LinkedHashSet<>();
    for (FleetSpec f : fleets) {
      for (StreamSpec s : f.streams()) {
        topics.add(s.defaultBrokerTopic());
      }
    }
    return List.copyOf(topics);
  }
}
