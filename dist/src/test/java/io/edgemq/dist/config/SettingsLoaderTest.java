package io.edgemq.dist.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.store.api.FlushMode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {
  @TempDir Path dir;

  private final SettingsLoader broker = new SettingsLoader(EnumSet.of(Role.BROKER), Map.of());

  @Test
  void shouldUseEveryKeysDefaultWithoutFileOrOverrides() throws ConfigException {
    Settings s = broker.load(null, Map.of());

    assertThat(s.get(Keys.BROKER_PORT)).isEqualTo(10911);
    assertThat(s.get(Keys.HTTP_PORT)).isEqualTo(8080);
    assertThat(s.get(Keys.STORE_FLUSH_MODE)).isEqualTo(FlushMode.ASYNC);
    assertThat(s.get(Keys.STORE_RETENTION)).isEqualTo(Duration.ofHours(72));
    assertThat(s.get(Keys.BROKER_NAMESRV))
        .containsExactly(InetSocketAddress.createUnresolved("127.0.0.1", 9876));
  }

  @Test
  void shouldLetTheCommandLineWinOverTheFileAndTheFileOverTheProfile() throws Exception {
    Path file = write("broker.port=1234\nbroker.name=b-file\nbroker.store.flushMode=sync\n");
    SettingsLoader loader =
        new SettingsLoader(EnumSet.of(Role.BROKER), Map.of("broker.name", "b-profile"));

    Settings s = loader.load(file, Map.of("broker.port", "4321"));

    assertThat(s.get(Keys.BROKER_PORT)).isEqualTo(4321);
    assertThat(s.get(Keys.BROKER_NAME)).isEqualTo("b-file");
    assertThat(s.get(Keys.STORE_FLUSH_MODE)).isEqualTo(FlushMode.SYNC);
  }

  @Test
  void shouldRefuseEveryUnknownKeyAndBadValueAtOnceNamingKeyAndReason() throws IOException {
    Path file = write("broker.prot=10911\nbroker.store.retention=3 days\n");

    assertThatThrownBy(
            () -> broker.load(file, Map.of("broker.id", "-1", "broker.namesrv", "host-only")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "config file " + file + ": broker.prot: unknown key (see docs/dist.md)",
                        "config file "
                            + file
                            + ": broker.store.retention=3 days: a duration like 500ms, 30s, 5m,"
                            + " 72h or 7d",
                        "command line: broker.id=-1: must be within [0, 1024]",
                        "command line: broker.namesrv=host-only: 'host-only': expected"
                            + " host:port[,host:port...]"));
  }

  @Test
  void shouldRefuseAKeyOfARoleTheProcessDoesNotRun() {
    assertThatThrownBy(() -> broker.load(null, Map.of("gateway.mqttPort", "1883")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "command line: gateway.mqttPort: a gateway key, but this process runs"
                            + " broker"));
  }

  @Test
  void shouldRefuseAnEmptyValueOfAKeyWithADefault() {
    assertThatThrownBy(() -> broker.load(null, Map.of("broker.port", " ")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "command line: broker.port is empty; remove the line to keep the default"));
  }

  @Test
  void shouldRefuseAMissingConfigFile() {
    Path missing = dir.resolve("nope.properties");

    assertThatThrownBy(() -> broker.load(missing, Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems()).containsExactly("config file " + missing + ": not found"));
  }

  @Test
  void shouldParseMappingRulesAndRefuseABadOne() throws ConfigException {
    SettingsLoader gateway = new SettingsLoader(EnumSet.of(Role.GATEWAY), Map.of());

    Settings s =
        gateway.load(
            null, Map.of("gateway.rules", "factory/+/+/telemetry/#=telemetry,{3},{2}; a/#=b"));

    assertThat(s.get(Keys.GATEWAY_RULES)).hasSize(2);
    assertThat(s.get(Keys.GATEWAY_RULES).get(0).brokerTopic()).isEqualTo("telemetry");
    assertThatThrownBy(() -> gateway.load(null, Map.of("gateway.rules", "a/#")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("gateway.rules=a/#: rule 'a/#': expected filter=topic[,tag[,keys]]");
  }

  @Test
  void shouldParseDurationsWithUnitsAndRefuseZero() {
    assertThat(Values.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Values.duration("7d")).isEqualTo(Duration.ofDays(7));
    for (String bad : List.of("0s", "10", "s", "5w", "-1s", "1.5h")) {
      assertThatThrownBy(() -> Values.duration(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void shouldReplaceOneValueInACopy() throws ConfigException {
    Settings s = broker.load(null, Map.of());

    Settings t = s.with(Keys.BROKER_NAMESRV, "127.0.0.1:1");

    assertThat(t.get(Keys.BROKER_NAMESRV).get(0).getPort()).isEqualTo(1);
    assertThat(s.get(Keys.BROKER_NAMESRV).get(0).getPort()).isEqualTo(9876);
  }

  private Path write(String text) throws IOException {
    Path f = dir.resolve("edgemq.properties");
    Files.writeString(f, text);
    return f;
  }
}
