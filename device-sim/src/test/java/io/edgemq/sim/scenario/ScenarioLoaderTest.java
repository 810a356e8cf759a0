package io.edgemq.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.sim.stream.PayloadFormat;
import io.edgemq.sim.stream.PayloadKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScenarioLoaderTest {
  private static final String GOOD =
      String.join(
          "\n",
          "name: plant",
          "duration: 2m",
          "seed: 7",
          "fleets:",
          "  - name: press",
          "    count: 250",
          "    idPattern: press-{index:04}",
          "    connectRate: 100",
          "    mqttVersion: 3",
          "    qos: 2",
          "    streams:",
          "      - name: temp",
          "        topic: factory/{line}/{device}/telemetry/{sensor}",
          "        vars: {line: [l1, l2], sensor: [temp]}",
          "        rate: {kind: poisson, perSecond: 2}",
          "        payload: {kind: gps, format: binary, size: 200}",
          "verify:",
          "  drainTimeout: 10s",
          "");

  private final ScenarioLoader loader = new ScenarioLoader();

  @Test
  void shouldReadAFullScenario() throws Exception {
    Scenario s = loader.parse("plant.yaml", GOOD);
    assertThat(s.name()).isEqualTo("plant");
    assertThat(s.duration()).isEqualTo(Duration.ofMinutes(2));
    FleetSpec f = s.fleets().get(0);
    assertThat(f.count()).isEqualTo(250);
    assertThat(f.qos()).isEqualTo(2);
    assertThat(DeviceIds.expand(f.idPattern(), f.name(), 7)).isEqualTo("press-0007");
    StreamSpec st = f.streams().get(0);
    assertThat(st.rate().kind()).isEqualTo(RateSpec.Kind.POISSON);
    assertThat(st.payload().kind()).isEqualTo(PayloadKind.GPS);
    assertThat(st.payload().format()).isEqualTo(PayloadFormat.BINARY);
    assertThat(s.verifyTopics()).containsExactly("factory");
    assertThat(s.verify().drainTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void shouldReadJsonToo(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("s.json");
    Files.writeString(
        f,
        "{\"duration\": \"30s\", \"fleets\": [{\"count\": 3, \"streams\": [{\"topic\": "
            + "\"sensors/{device}\", \"rate\": {\"perSecond\": 1}}]}]}");
    Scenario s = loader.load(f);
    assertThat(s.deviceCount()).isEqualTo(3);
    assertThat(s.verifyTopics()).containsExactly("sensors");
  }

  @Test
  void shouldRejectAnUnknownKeyWithItsLine() {
    String bad = GOOD.replace("    connectRate: 100", "    conectRate: 100");
    assertThatThrownBy(() -> loader.parse("plant.yaml", bad))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("plant.yaml:8: fleets[0].conectRate: unknown key 'conectRate'")
        .hasMessageContaining("connectRate");
  }

  @Test
  void shouldRejectAnImpossibleRateWithLineAndReason() {
    String bad = GOOD.replace("perSecond: 2}", "perSecond: -5}");
    assertThatThrownBy(() -> loader.parse("plant.yaml", bad))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("plant.yaml:15: fleets[0].streams[0].rate")
        .hasMessageContaining("-5.0/s is impossible");
  }

  @Test
  void shouldRejectATemplateThatDoesNotParse() {
    String bad = GOOD.replace("telemetry/{sensor}", "telemetry/{sensr}");
    assertThatThrownBy(() -> loader.parse("plant.yaml", bad))
        .isInstanceOf(ScenarioException.class)
        .hasMessageMatching("plant\\.yaml:12: fleets\\[0]\\.streams\\[0]: .*")
        .hasMessageContaining("unknown placeholder {sensr}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "duration: 2m|duration: soon|does not parse",
        "    qos: 2|    qos: 3|qos 3 must be 0, 1 or 2",
        "    count: 250|    count: 0|count 0 must be",
        "    mqttVersion: 3|    mqttVersion: 4|mqttVersion 4 must be 3 or 5",
        "    connectRate: 100|    connectRate: 0|connectRate 0.0/s is impossible",
        "size: 200|size: 99999999|payload size",
        "idPattern: press-{index:04}|idPattern: press|needs {index}",
        "kind: poisson|kind: sometimes|sometimes",
        "seed: 7|seed: 7\\nseed: 8|Duplicate field 'seed'",
      })
  void shouldRejectBadValuesBeforeTheRun(String spec) {
    String[] p = spec.split("\\|");
    String bad = GOOD.replace(p[0], p[1].replace("\\n", "\n"));
    assertThat(bad).isNotEqualTo(GOOD);
    assertThatThrownBy(() -> loader.parse("s.yaml", bad))
        .isInstanceOf(ScenarioException.class)
        .hasMessageMatching("s\\.yaml:\\d+: .*")
        .hasMessageContaining(p[2]);
  }

  @Test
  void shouldAskForVerifyTopicsWhenTheFirstLevelIsAPlaceholder() throws Exception {
    Scenario s =
        loader.parse(
            "s",
            "duration: 1s\nfleets: [{count: 1, streams: [{topic: '{device}/t', rate: {perSecond: 1}}]}]");
    assertThatThrownBy(s::verifyTopics).hasMessageContaining("give verify.topics");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plant.yaml", "telemetry.json"})
  void shouldReadTheExampleScenariosShippedWithTheModule(String name) throws Exception {
    // surefire runs in the module's folder
    Scenario s = loader.load(Path.of("scenarios", name));
    assertThat(s.deviceCount()).isPositive();
    assertThat(s.verifyTopics()).isNotEmpty();
  }

  @Test
  void shouldRejectTwoFleetsThatWouldShareDeviceIds() {
    String two =
        "duration: 1s\nfleets:\n"
            + "  - {name: a, count: 2, idPattern: 'd-{index}'}\n"
            + "  - {name: b, count: 2, idPattern: 'd-{index}'}\n";
    assertThatThrownBy(() -> loader.parse("s", two))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining("device id 'd-0' of fleet 'b' is also used");
  }

  @Test
  void shouldBuildEveryBuiltIn() {
    BuiltIns.Knobs none = new BuiltIns.Knobs(null, null, null, null, null, null, null, null);
    for (String n : BuiltIns.NAMES) {
      Scenario s = BuiltIns.get(n, none);
      assertThat(s.name()).isEqualTo(n);
      assertThat(s.deviceCount()).isPositive();
    }
    assertThat(BuiltIns.get("churn", none).fleets().get(0).churn()).isNotNull();
    assertThat(BuiltIns.get("commands", none).commands().brokerTopic()).isEqualTo("cmd");
    assertThatThrownBy(() -> BuiltIns.get("nope", none)).hasMessageContaining("telemetry");
    assertThat(List.of(BuiltIns.get("telemetry", none).verifyTopics())).hasSize(1);
  }
}
