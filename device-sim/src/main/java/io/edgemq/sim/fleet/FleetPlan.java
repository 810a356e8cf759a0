package io.edgemq.sim.fleet;

import io.edgemq.sim.scenario.CommandSpec;
import io.edgemq.sim.scenario.FleetSpec;
import io.edgemq.sim.scenario.StreamSpec;
import io.edgemq.sim.stream.PayloadFormat;
import io.edgemq.sim.stream.PayloadKind;
import io.edgemq.sim.stream.RateSchedule;
import io.edgemq.sim.stream.TopicTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fleet's spec compiled once: parsed templates, rate schedules and payload settings, so nothing
 * is parsed per device or per message.
 *
 * @param index the fleet's position in the scenario
 * @param spec the spec
 * @param streams compiled streams, by index
 * @param commandTopic command topic template, if the fleet receives commands
 */
public record FleetPlan(
    int index, FleetSpec spec, List<StreamPlan> streams, Optional<TopicTemplate> commandTopic) {

  /**
   * Compiles a fleet.
   *
   * @param index its position
   * @param spec the spec
   * @param commands the scenario's commands, or null
   * @return the plan
   */
  public static FleetPlan of(int index, FleetSpec spec, CommandSpec commands) {
    List<StreamPlan> streams = new ArrayList<>();
    for (StreamSpec s : spec.streams()) {
      streams.add(
          new StreamPlan(
              s.name(),
              s.template(),
              s.vars(),
              s.rate().schedule(),
              s.payload().kind(),
              s.payload().format(),
              s.payload().size()));
    }
    Optional<TopicTemplate> cmd =
        spec.receivesCommands() && commands != null
            ? Optional.of(TopicTemplate.parse(commands.topic(), java.util.Set.of()))
            : Optional.empty();
    return new FleetPlan(index, spec, List.copyOf(streams), cmd);
  }

  /**
   * The values of a device's placeholders.
   *
   * @param deviceId the id
   * @param deviceIndex its number in the fleet
   * @param stream the stream, or null for the command topic
   * @return placeholder values
   */
  public Map<String, String> values(String deviceId, int deviceIndex, StreamPlan stream) {
    Map<String, String> v = new HashMap<>();
    v.put("device", deviceId);
    v.put("index", Integer.toString(deviceIndex));
    v.put("fleet", spec.name());
    if (stream != null) {
      v.put("stream", stream.name());
      for (Map.Entry<String, List<String>> e : stream.vars().entrySet()) {
        v.put(e.getKey(), e.getValue().get(deviceIndex % e.getValue().size()));
      }
    }
    return v;
  }

  /**
   * One compiled stream.
   *
   * @param name name
   * @param topic template
   * @param vars variable values
   * @param schedule rate
   * @param kind payload model
   * @param format payload format
   * @param size payload size target
   */
  public record StreamPlan(
      String name,
      TopicTemplate topic,
      Map<String, List<String>> vars,
      RateSchedule schedule,
      PayloadKind kind,
      PayloadFormat format,
      int size) {}
}
