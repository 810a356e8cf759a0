package io.edgemq.sim.scenario;

import io.edgemq.sim.stream.PayloadFormat;
import io.edgemq.sim.stream.PayloadKind;
import io.edgemq.sim.stream.TopicTemplate;
import java.util.List;
import java.util.Map;

/**
 * What each device of a fleet publishes on one topic.
 *
 * @param name stream name (reports)
 * @param topic topic template, e.g. {@code factory/{line}/{device}/telemetry/{sensor}}
 * @param vars values of the template's own placeholders; a device takes {@code values[index %
 *     size]}
 * @param rate how often
 * @param payload what
 */
public record StreamSpec(
    String name, String topic, Map<String, List<String>> vars, RateSpec rate, PayloadSpec payload) {

  /** Largest payload: the gateway's default maximum packet is 1 MiB. */
  public static final int MAX_PAYLOAD = 256 * 1024;

  private static final String BROKER_TOPIC = "[A-Za-z0-9_|%-]{1,127}";

  /** Parses the template against the declared variables and fills defaults. */
  public StreamSpec {
    name = name == null ? "telemetry" : name;
    vars = vars == null ? Map.of() : Map.copyOf(vars);
    for (Map.Entry<String, List<String>> e : vars.entrySet()) {
      if (e.getValue() == null || e.getValue().isEmpty()) {
        throw new IllegalArgumentException("variable '" + e.getKey() + "' has no values");
      }
      for (String v : e.getValue()) {
        if (v == null || v.isEmpty() || v.matches(".*[+#/\u0000].*")) {
          throw new IllegalArgumentException(
              "value '" + v + "' of variable '" + e.getKey() + "' must be one non-empty level");
        }
      }
    }
    if (topic == null) {
      throw new IllegalArgumentException("stream '" + name + "' needs a topic");
    }
    TopicTemplate.parse(topic, vars.keySet());
    if (rate == null) {
      throw new IllegalArgumentException("stream '" + name + "' needs a rate");
    }
    payload = payload == null ? new PayloadSpec(null, null, null) : payload;
  }

  /** The parsed topic template. */
  public TopicTemplate template() {
    return TopicTemplate.parse(topic, vars.keySet());
  }

  /** The broker topic of the gateway's default mapping: the first level, or {@code mqtt}. */
  String defaultBrokerTopic() {
    String first = template().literalFirstLevel();
    if (first.isEmpty() && !topic.startsWith("/")) {
      throw new IllegalArgumentException(
          "the first level of '"
              + topic
              + "' is a placeholder: give verify.topics (the broker topics the gateway maps it to)");
    }
    return first.matches(BROKER_TOPIC) && !first.startsWith("%") ? first : "mqtt";
  }

  /**
   * Payload settings.
   *
   * @param kind temperature, gps, counter, status or raw
   * @param format json or binary
   * @param size target size in bytes (padding), 0 for none
   */
  public record PayloadSpec(PayloadKind kind, PayloadFormat format, Integer size) {
    /** Fills defaults and checks the size. */
    public PayloadSpec {
      kind = kind == null ? PayloadKind.TEMPERATURE : kind;
      format = format == null ? PayloadFormat.JSON : format;
      size = size == null ? 0 : size;
      if (size < 0 || size > MAX_PAYLOAD) {
        throw new IllegalArgumentException("payload size " + size + " must be 0.." + MAX_PAYLOAD);
      }
    }
  }
}
