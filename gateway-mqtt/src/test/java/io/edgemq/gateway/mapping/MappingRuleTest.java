package io.edgemq.gateway.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.gateway.topic.InvalidTopicException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MappingRuleTest {

  @Test
  void shouldAcceptTheDesignExample() {
    MappingRule rule = new MappingRule("factory/+/+/telemetry/#", "telemetry", "{3}", "{2}");
    assertThat(rule.templates().keys()).hasSize(1);
    assertThat(rule.templates().tag()).isNotNull();
  }

  @Test
  void shouldTreatNullTemplatesAsNone() {
    MappingRule rule = new MappingRule("a/b", "t", null, null);
    assertThat(rule.tagTemplate()).isEmpty();
    assertThat(rule.keysTemplate()).isEmpty();
    assertThat(rule.templates().tag()).isNull();
    assertThat(rule.templates().keys()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{0}",
        "{1}-{2}",
        "fixed",
        "{clientid}",
        "{username}",
        "{topic}",
        "pre{0}post",
        "{0}{1}{2}",
        "ü {0} x"
      })
  void shouldAcceptValidTagTemplates(String template) {
    assertThatCode(() -> new MappingRule("a/+/+", "t", template, template.replace(" ", "")))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldAllowAnyLevelOnlyWhenTheFilterEndsInHash() {
    assertThatCode(() -> new MappingRule("a/#", "t", "{9}", "{1} {200}"))
        .doesNotThrowAnyException();
    assertThatCode(() -> new MappingRule("#", "t", "{0}", "{5}")).doesNotThrowAnyException();
    assertThatCode(() -> new MappingRule("a/+", "t", "{1}", "{0}")).doesNotThrowAnyException();
    assertThatThrownBy(() -> new MappingRule("a/+", "t", "{2}", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tag template '{2}' of rule 'a/+': level {2} is beyond the filter's 2 levels (counted"
                + " from 0; only a filter ending in '#' allows more)");
    assertThatThrownBy(() -> new MappingRule("a/+", "t", "", "{0} {2}"))
        .hasMessageStartingWith("keys template '{0} {2}' of rule 'a/+': level {2} is beyond");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          {foo}        | tag template '{foo}' of rule 'a/#': unknown placeholder {foo}; use {n}, {clientid}, {username} or {topic}
          {ClientId}   | unknown placeholder {ClientId}
          {}           | unknown placeholder {}
          {-1}         | unknown placeholder {-1}
          { 1}         | unknown placeholder { 1}
          {123456}     | unknown placeholder {123456}
          {99999}      | level {99999} is beyond any topic
          {1           | tag template '{1' of rule 'a/#': unbalanced '{'
          1}           | tag template '1}' of rule 'a/#': unbalanced '}'
          {{1}}        | unbalanced '{'
          {1}}         | unbalanced '}'
          x{           | unbalanced '{'
          """)
  void shouldRejectBadTagTemplatesNamingThem(String template, String message) {
    assertThatThrownBy(() -> new MappingRule("a/#", "t", template, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void shouldRejectBadKeysTemplatesNamingTheWholeTemplate() {
    assertThatThrownBy(() -> new MappingRule("a/#", "t", "", "{1} {clientId}"))
        .hasMessage(
            "keys template '{1} {clientId}' of rule 'a/#': unknown placeholder {clientId}; use"
                + " {n}, {clientid}, {username} or {topic}");
  }

  @Test
  void shouldRejectTagTemplatesWithTheTagSeparator() {
    assertThatThrownBy(() -> new MappingRule("a/+", "t", "{1}||x", ""))
        .hasMessage("tag template '{1}||x' of rule 'a/+' must not contain '||'");
  }

  @Test
  void shouldLimitKeysToSixtyFour() {
    String keys64 = IntStream.range(0, 64).mapToObj(i -> "k" + i).collect(Collectors.joining(" "));
    assertThatCode(() -> new MappingRule("a", "t", "", keys64)).doesNotThrowAnyException();
    assertThatThrownBy(() -> new MappingRule("a", "t", "", keys64 + " k64"))
        .hasMessageEndingWith(": 65 keys, at most 64");
  }

  @Test
  void shouldSplitKeysAtAnyWhiteSpace() {
    MappingRule rule = new MappingRule("a/+", "t", "", "  {1}\t{clientid}\n x  ");
    assertThat(rule.templates().keys()).hasSize(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sport/tennis#", "sport/#/x", "a+"})
  void shouldRejectInvalidFilters(String filter) {
    assertThatThrownBy(() -> new MappingRule(filter, "t", "", ""))
        .isInstanceOf(InvalidTopicException.class);
  }

  @Test
  void shouldRejectSharedFilters() {
    assertThatThrownBy(() -> new MappingRule("$share/g/a/#", "t", "", ""))
        .isInstanceOf(InvalidTopicException.class)
        .hasMessage("mapping rule filter '$share/g/a/#' must not be a $share filter");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "tele.metry", "ü", "%retained"})
  void shouldRejectInvalidBrokerTopics(String brokerTopic) {
    assertThatThrownBy(() -> new MappingRule("a/#", brokerTopic, "", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("broker topic of rule 'a/#' '" + brokerTopic + "'");
  }

  @Test
  void shouldRejectTooLongAndMissingBrokerTopics() {
    assertThatThrownBy(() -> new MappingRule("a", "x".repeat(128), "", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MappingRule("a", null, "", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
