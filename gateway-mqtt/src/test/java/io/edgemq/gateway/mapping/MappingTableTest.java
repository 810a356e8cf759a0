package io.edgemq.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.client.api.Message;
import io.edgemq.gateway.topic.InvalidTopicException;
import io.edgemq.gateway.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MappingTableTest {

  private static final MappingRule DESIGN_EXAMPLE =
      new MappingRule("factory/+/+/telemetry/#", "telemetry", "{3}", "{2}");

  private final MappingTable design = new MappingTable(List.of(DESIGN_EXAMPLE));
  private final MappingTable defaults = new MappingTable(List.of());

  @Test
  void route_followsTheDesignExample() {
    assertThat(design.route("factory/l1/dev7/telemetry/temp", "c1", null))
        .isEqualTo(new Route("telemetry", "telemetry", List.of("dev7")));
  }

  @Test
  void route_expandsEveryPlaceholder() {
    MappingTable table =
        new MappingTable(
            List.of(
                new MappingRule(
                    "factory/+/+/telemetry/#",
                    "telemetry",
                    "{1}-{4}",
                    "{2} {clientid} {username} {0}/{3} {topic}")));
    assertThat(table.route("factory/l1/dev7/telemetry/temp", "c1", "alice"))
        .isEqualTo(
            new Route(
                "telemetry",
                "l1-temp",
                List.of(
                    "dev7", "c1", "alice", "factory/telemetry", "factory/l1/dev7/telemetry/temp")));
  }

  @Test
  void route_expandsAbsentLevelsBelowHashToNothing() {
    MappingTable table =
        new MappingTable(List.of(new MappingRule("factory/+/+/telemetry/#", "tm", "{4}", "{5}")));
    assertThat(table.route("factory/l1/dev7/telemetry", "c1", null))
        .as("'#' matches its parent level: no level 4, so no tag and no key")
        .isEqualTo(new Route("tm", null, List.of()));
    assertThat(table.route("factory/l1/dev7/telemetry/", "c1", null))
        .as("an empty level 4")
        .isEqualTo(new Route("tm", null, List.of()));
    assertThat(table.route("factory/l1/dev7/telemetry/a/b/c", "c1", null))
        .isEqualTo(new Route("tm", "a", List.of("b")));
  }

  @Test
  void route_dropsMissingUsernameAndDuplicateKeys() {
    MappingTable table =
        new MappingTable(List.of(new MappingRule("d/+", "t", "{username}", "{1} {username} {1}")));
    assertThat(table.route("d/x", "c1", null)).isEqualTo(new Route("t", null, List.of("x")));
    assertThat(table.route("d/x", "c1", "bob"))
        .isEqualTo(new Route("t", "bob", List.of("x", "bob")));
  }

  @Test
  void route_takesTheFirstMatchingRuleInOrder() {
    MappingRule specific = new MappingRule("a/b/#", "specific", "{2}", "");
    MappingRule general = new MappingRule("a/#", "general", "{1}", "");
    MappingTable specificFirst = new MappingTable(List.of(specific, general));
    MappingTable generalFirst = new MappingTable(List.of(general, specific));
    assertThat(specificFirst.route("a/b/c", "c1", null).brokerTopic()).isEqualTo("specific");
    assertThat(specificFirst.route("a/c/d", "c1", null).brokerTopic()).isEqualTo("general");
    assertThat(specificFirst.route("x/b/c", "c1", null).brokerTopic()).isEqualTo("x");
    assertThat(generalFirst.route("a/b/c", "c1", null).brokerTopic()).isEqualTo("general");
    assertThat(generalFirst.route("a/b/c", "c1", null).tag()).isEqualTo("b");
  }

  @ParameterizedTest(name = "{0} -> {1} / {2}")
  @CsvSource(
      delimiter = ';',
      nullValues = "NULL",
      textBlock =
          """
          sensors/temp/room1     ; sensors ; temp
          sensors/temp           ; sensors ; temp
          sensors                ; sensors ; NULL
          sensors/               ; sensors ; NULL
          sensors//x             ; sensors ; NULL
          Dev-1_a|b%c/x          ; Dev-1_a|b%c ; x
          factory/l1/dev7/status ; factory ; l1
          """)
  void route_defaultMapsFirstLevelToTopicAndSecondToTag(String topic, String broker, String tag) {
    assertThat(defaults.route(topic, "dev-7", null))
        .isEqualTo(new Route(broker, tag, List.of("dev-7")));
  }

  @ParameterizedTest(name = "{0} -> fallback / {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      textBlock =
          """
          $SYS/broker/load  | broker
          $SYS              | NULL
          /finance          | finance
          /                 | NULL
          my room/temp      | temp
          ünïcödé/x         | x
          tele.metry/x      | x
          %retained/x       | x
          '$share/g/x'      | g
          """)
  void route_defaultMapsInvalidFirstLevelsToTheFallbackTopic(String topic, String tag) {
    assertThat(defaults.route(topic, "c1", null)).isEqualTo(new Route("mqtt", tag, List.of("c1")));
    MappingTable custom = new MappingTable(List.of(), "devices_other", 10);
    assertThat(custom.route(topic, "c1", null).brokerTopic()).isEqualTo("devices_other");
  }

  @Test
  void route_defaultMapsTooLongFirstLevelsToTheFallbackTopic() {
    assertThat(defaults.route("x".repeat(127) + "/a", "c", null).brokerTopic())
        .isEqualTo("x".repeat(127));
    assertThat(defaults.route("x".repeat(128) + "/a", "c", null).brokerTopic()).isEqualTo("mqtt");
  }

  @Test
  void route_defaultUsesTheSanitizedClientIdAsKey() {
    assertThat(defaults.route("a/b", "dev 7", null).keys()).containsExactly("dev_7");
    assertThat(defaults.route("a/b", "", null).keys()).isEmpty();
    assertThat(defaults.route("a/b", null, null).keys()).isEmpty();
  }

  @Test
  void route_keepsDollarTopicsAwayFromFirstLevelWildcardRules() {
    MappingTable table =
        new MappingTable(
            List.of(
                new MappingRule("#", "everything", "", ""),
                new MappingRule("$SYS/#", "sys", "{1}", "")));
    assertThat(table.route("a/b", "c", null).brokerTopic()).isEqualTo("everything");
    assertThat(table.route("$SYS/load", "c", null)).isEqualTo(new Route("sys", "load", List.of()));
    assertThat(table.route("$other/load", "c", null))
        .isEqualTo(new Route("mqtt", "load", List.of("c")));
  }

  @ParameterizedTest(name = "level [{0}] -> tag [{1}]")
  @CsvSource(
      delimiter = ';',
      nullValues = "NULL",
      textBlock =
          """
          a||b       ; a|b
          ||||       ; |
          ' x '      ; x
          *          ; NULL
          ' '        ; NULL
          """)
  void route_sanitizesTags(String level, String tag) {
    assertThat(defaults.route("t/" + level, "c", null).tag()).isEqualTo(tag);
    assertThat(design.route("factory/l/d/telemetry/x", "c", null).tag()).isEqualTo("telemetry");
    MappingTable table = new MappingTable(List.of(new MappingRule("r/+", "t", "{1}", "")));
    assertThat(table.route("r/" + level, "c", null).tag()).isEqualTo(tag);
  }

  @Test
  void route_sanitizesTagsBuiltFromSeveralPlaceholders() {
    MappingTable table = new MappingTable(List.of(new MappingRule("r/+/+", "t", "{1}|{2}", "")));
    assertThat(table.route("r/a|/|b", "c", null).tag()).isEqualTo("a|b");
    assertThat(table.route("r//", "c", null).tag()).isEqualTo("|");
  }

  @Test
  void route_sanitizesKeysAndCutsLongValues() {
    MappingTable table = new MappingTable(List.of(new MappingRule("k/#", "t", "{topic}", "{1}")));
    String longLevel = "€".repeat(1000);
    Route route = table.route("k/" + longLevel, "c", null);
    assertThat(route.keys()).containsExactly("€".repeat(341));
    assertThat(route.tag()).isEqualTo("k/" + "€".repeat(340));
    assertThat(table.route("k/a b\tc", "c", null).keys()).containsExactly("a_b_c");
  }

  /** Every route, for nasty topics and client ids, is accepted by the client's message builder. */
  @Test
  void route_alwaysFollowsTheBrokerRules() {
    MappingTable table =
        new MappingTable(
            List.of(
                new MappingRule("r/+/+/#", "rules", "{1}{2}{3}", "{1} {2} {3} {clientid} {topic}"),
                new MappingRule("u/#", "user", "{username}", "{username} {9}")));
    String[] levels = {"a", "", "||", "|", "*", " ", "a b", "ü", "$x", "%s", "€".repeat(500), "r"};
    Random random = new Random(42);
    for (int i = 0; i < 5_000; i++) {
      int depth = 1 + random.nextInt(5);
      List<String> parts = new ArrayList<>();
      parts.add(i % 3 == 0 ? "r" : i % 3 == 1 ? "u" : levels[random.nextInt(levels.length)]);
      for (int d = 1; d < depth; d++) {
        parts.add(levels[random.nextInt(levels.length)]);
      }
      String topic = String.join("/", parts);
      if (topic.isEmpty()) {
        continue;
      }
      String clientId = levels[random.nextInt(levels.length)];
      String username = random.nextBoolean() ? null : levels[random.nextInt(levels.length)];
      Route route = table.route(topic, clientId, username);
      assertThatCode(
              () ->
                  Message.builder()
                      .topic(route.brokerTopic())
                      .tag(route.tag())
                      .keys(route.keys())
                      .body(new byte[0])
                      .build())
          .as("%s from %s", route, topic)
          .doesNotThrowAnyException();
      assertThat(route.brokerTopic()).doesNotStartWith("%");
      assertThat(route.keys()).allSatisfy(k -> assertThat(k).doesNotContainAnyWhitespaces());
      if (route.tag() != null) {
        assertThat(route.tag()).doesNotContain("||").isEqualTo(route.tag().strip());
      }
    }
  }

  @Test
  void route_givesTheSameResultsWithAnyCacheSize() {
    List<MappingRule> rules =
        List.of(
            new MappingRule("a/+/#", "ta", "{1}", "{clientid}"),
            new MappingRule("+/b", "tb", "{0}", "{username}"),
            new MappingRule("c", "tc", "", ""));
    MappingTable uncached = new MappingTable(rules, "fb", 0);
    MappingTable tiny = new MappingTable(rules, "fb", 2);
    MappingTable large = new MappingTable(rules, "fb", 100_000);
    String[] levels = {"a", "b", "c", "", "$d"};
    Random random = new Random(7);
    for (int i = 0; i < 3_000; i++) {
      StringBuilder topic = new StringBuilder(levels[random.nextInt(levels.length)]);
      for (int d = random.nextInt(4); d > 0; d--) {
        topic.append('/').append(levels[random.nextInt(levels.length - 1)]);
      }
      if (topic.isEmpty()) {
        continue;
      }
      String clientId = "c" + random.nextInt(3);
      String username = "u" + random.nextInt(3);
      Route expected = uncached.route(topic.toString(), clientId, username);
      assertThat(tiny.route(topic.toString(), clientId, username)).isEqualTo(expected);
      assertThat(large.route(topic.toString(), clientId, username)).isEqualTo(expected);
    }
  }

  @Test
  void route_doesNotCacheClientDependentExpansions() {
    MappingTable table =
        new MappingTable(List.of(new MappingRule("t/+", "t", "{username}", "{clientid}")));
    assertThat(table.route("t/x", "c1", "u1")).isEqualTo(new Route("t", "u1", List.of("c1")));
    assertThat(table.route("t/x", "c2", "u2")).isEqualTo(new Route("t", "u2", List.of("c2")));
    assertThat(defaults.route("t/x", "c1", null).keys()).containsExactly("c1");
    assertThat(defaults.route("t/x", "c2", null).keys()).containsExactly("c2");
  }

  @Test
  void brokerTopicsFor_stopsAtARuleCoveringTheSubscription() {
    assertThat(design.brokerTopicsFor("factory/+/+/telemetry/#"))
        .isEqualTo(new BrokerTopics(Set.of("telemetry"), false));
    assertThat(design.brokerTopicsFor("factory/l1/dev7/telemetry/temp"))
        .isEqualTo(new BrokerTopics(Set.of("telemetry"), false));
    MappingTable table =
        new MappingTable(
            List.of(new MappingRule("a/#", "ta", "", ""), new MappingRule("a/b", "tb", "", "")));
    assertThat(table.brokerTopicsFor("a/b"))
        .as("a/b never reaches the second rule")
        .isEqualTo(new BrokerTopics(Set.of("ta"), false));
  }

  @ParameterizedTest(name = "{0} -> {1}, all default topics: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          factory/#                 | telemetry factory   | false
          factory/+/+/telemetry     | telemetry           | false
          factory/+/+/status        | factory             | false
          factory/+/+/+/temp        | telemetry factory   | false
          +/l1/dev7/telemetry/temp  | telemetry mqtt      | true
          #                         | telemetry mqtt      | true
          +                         | mqtt                | true
          +/+                       | mqtt                | true
          sensors/+                 | sensors             | false
          sensors                   | sensors             | false
          $SYS/#                    | mqtt                | false
          my room/+                 | mqtt                | false
          /finance                  | mqtt                | false
          %retained/#               | mqtt                | false
          $share/g/factory/#        | telemetry factory   | false
          $share/g/+/x              | mqtt                | true
          """)
  void brokerTopicsFor_addsOverlappingRulesAndTheDefaultMapping(
      String filter, String topics, boolean all) {
    assertThat(design.brokerTopicsFor(filter))
        .isEqualTo(new BrokerTopics(Set.of(topics.split(" ")), all));
  }

  @Test
  void brokerTopicsFor_keepsDollarSubscriptionsAwayFromWildcardRules() {
    MappingTable table = new MappingTable(List.of(new MappingRule("#", "all", "", "")));
    assertThat(table.brokerTopicsFor("+/x")).isEqualTo(new BrokerTopics(Set.of("all"), false));
    assertThat(table.brokerTopicsFor("$SYS/x")).isEqualTo(new BrokerTopics(Set.of("mqtt"), false));
  }

  /** Whatever a subscription matches is routed to one of the topics brokerTopicsFor names. */
  @Test
  void brokerTopicsFor_namesTheTopicOfEveryMatchingPublish() {
    MappingTable table =
        new MappingTable(
            List.of(
                new MappingRule("a/+/#", "ta", "", ""),
                new MappingRule("+/b", "tb", "", ""),
                new MappingRule("$x/#", "tx", "", "")));
    String[] levels = {"a", "b", "", "$x", "c d"};
    List<String> topics = new ArrayList<>();
    List<String> filters = new ArrayList<>();
    for (String l0 : levels) {
      topics.add(l0);
      filters.add(l0);
      filters.add(l0 + "/#");
      for (String l1 : new String[] {"a", "b", ""}) {
        topics.add(l0 + "/" + l1);
        topics.add(l0 + "/" + l1 + "/c");
        filters.add(l0 + "/" + l1);
        filters.add(l0 + "/+");
      }
    }
    filters.addAll(List.of("#", "+", "+/b", "+/+/#", "a/+/c"));
    topics.removeIf(String::isEmpty);
    filters.removeIf(String::isEmpty);
    for (String filter : filters) {
      BrokerTopics readable = table.brokerTopicsFor(filter);
      for (String topic : topics) {
        if (Topics.matches(filter, topic)) {
          String routed = table.route(topic, "c", null).brokerTopic();
          assertThat(readable.topics().contains(routed) || readable.allDefaultTopics())
              .as(
                  "%s published to %s goes to %s; %s says %s",
                  topic, filter, routed, filter, readable)
              .isTrue();
        }
      }
    }
  }

  @Test
  void brokerTopicsFor_rejectsInvalidFilters() {
    assertThatThrownBy(() -> design.brokerTopicsFor("a/#/b"))
        .isInstanceOf(InvalidTopicException.class);
    assertThatThrownBy(() -> design.brokerTopicsFor("$share/g"))
        .isInstanceOf(InvalidTopicException.class);
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      textBlock =
          """
          commands | reboot | devices/d1/cmd | devices/d1/cmd
          commands | reboot | NULL           | commands/reboot
          commands | NULL   | NULL           | commands
          commands | ''     | NULL           | commands
          commands | a b    | NULL           | commands/a b
          commands | reboot | a/+            | NULL
          commands | reboot | ''             | NULL
          commands | reboot | a/#            | NULL
          commands | x/+    | NULL           | NULL
          commands | #      | NULL           | NULL
          """)
  void mqttTopicOf_prefersTheCarriedTopic(
      String brokerTopic, String tag, String property, String expected) {
    assertThat(design.mqttTopicOf(brokerTopic, tag, property)).isEqualTo(expected);
  }

  @Test
  void mqttTopicOf_rejectsNulInTheProperty() {
    assertThat(design.mqttTopicOf("t", "x", "a\u0000b")).isNull();
  }

  @Test
  void constructor_validatesFallbackAndCacheSize() {
    assertThat(defaults.fallbackTopic()).isEqualTo(MappingTable.DEFAULT_FALLBACK_TOPIC);
    assertThatThrownBy(() -> new MappingTable(List.of(), "a b", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("fallback topic 'a b'");
    assertThatThrownBy(() -> new MappingTable(List.of(), "%sys", 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MappingTable(List.of(), "mqtt", -1))
        .hasMessage("cacheMaximumSize=-1: must be >= 0");
  }

  @Test
  void rules_areKeptInOrderAndUnmodifiable() {
    List<MappingRule> rules = new ArrayList<>(List.of(DESIGN_EXAMPLE));
    MappingTable table = new MappingTable(rules);
    rules.clear();
    assertThat(table.rules()).containsExactly(DESIGN_EXAMPLE);
    assertThatThrownBy(() -> table.rules().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
