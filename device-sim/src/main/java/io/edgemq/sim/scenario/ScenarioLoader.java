package io.edgemq.sim.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a scenario file. YAML is a superset of JSON, so one parser reads both. Unknown keys,
 * repeated keys, wrong types and every rule the scenario types check are reported with the line and
 * the key path, before anything runs.
 */
public final class ScenarioLoader {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  private final ObjectMapper mapper;

  /** A loader. */
  public ScenarioLoader() {
    SimpleModule durations = new SimpleModule("durations");
    durations.addDeserializer(Duration.class, new DurationDeserializer());
    this.mapper =
        YAMLMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .addModule(durations)
            .build();
  }

  /**
   * Reads and checks a scenario file.
   *
   * @param file a .yaml, .yml or .json file
   * @return the scenario
   * @throws ScenarioException naming the line, the key and the reason
   */
  public Scenario load(Path file) throws ScenarioException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ScenarioException(file + ": cannot read: " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  /**
   * Reads and checks a scenario from text.
   *
   * @param source the name used in messages
   * @param text YAML or JSON
   * @return the scenario
   * @throws ScenarioException naming the line, the key and the reason
   */
  public Scenario parse(String source, String text) throws ScenarioException {
    try {
      Scenario s = mapper.readValue(text, Scenario.class);
      if (s == null) {
        throw new ScenarioException(source + ": empty scenario");
      }
      return s;
    } catch (JsonProcessingException e) {
      throw new ScenarioException(describe(source, text, e));
    }
  }

  private String describe(String source, String text, JsonProcessingException e) {
    StringBuilder b = new StringBuilder(source);
    int line = -1;
    String path = "";
    if (e instanceof JsonMappingException) {
      List<JsonMappingException.Reference> refs = ((JsonMappingException) e).getPath();
      path = path(refs);
      line = lineOf(text, refs);
    }
    JsonLocation at = e.getLocation();
    if (line < 0 && at != null && at.getLineNr() > 0) {
      line = at.getLineNr();
    }
    if (line > 0) {
      b.append(':').append(line);
    }
    if (!path.isEmpty()) {
      b.append(": ").append(path);
    }
    b.append(": ").append(reason(e));
    return b.toString();
  }

  /**
   * The line where the key or element at {@code refs} begins. Jackson's own location is where it
   * noticed the problem, which for a record (built once all its keys are read) is past the end of
   * the object; so the text is scanned again for the path.
   */
  private int lineOf(String text, List<JsonMappingException.Reference> refs) {
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      pointer.append('/').append(r.getFieldName() != null ? r.getFieldName() : r.getIndex());
    }
    if (pointer.length() == 0) {
      return -1;
    }
    String want = pointer.toString();
    try (JsonParser p = mapper.createParser(text)) {
      while (p.nextToken() != null) {
        if (p.getParsingContext().pathAsPointer().toString().equals(want)) {
          return p.currentTokenLocation().getLineNr();
        }
      }
    } catch (IOException notParsable) {
      return -1;
    }
    return -1;
  }

  private static String reason(JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException) {
      UnrecognizedPropertyException u = (UnrecognizedPropertyException) e;
      return "unknown key '" + u.getPropertyName() + "'; known keys: " + u.getKnownPropertyIds();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof IllegalArgumentException) {
      return root.getMessage();
    }
    String m = e.getOriginalMessage();
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
  }

  /**
   * Parses {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code
   * PT10S}).
   *
   * @param text the duration
   * @return the duration
   * @throws IllegalArgumentException if it does not parse
   */
  public static Duration parseDuration(String text) {
    String t = text.trim();
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      double v = Double.parseDouble(m.group(1));
      long unitMs;
      switch (m.group(2)) {
        case "ms":
          unitMs = 1;
          break;
        case "s":
          unitMs = 1000;
          break;
        case "m":
          unitMs = 60_000;
          break;
        case "h":
          unitMs = 3_600_000;
          break;
        default:
          unitMs = 86_400_000;
      }
      return Duration.ofNanos(Math.round(v * unitMs * 1_000_000));
    }
    try {
      return Duration.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "duration '" + text + "' does not parse; write e.g. 500ms, 10s, 5m, 2h or PT10S");
    }
  }

  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String text = p.getValueAsString();
      if (text == null) {
        return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
      }
      try {
        return parseDuration(text);
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, e.getMessage(), e);
      }
    }
  }
}
