package io.edgemq.gateway.mapping;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BrokerNamesTest {

  @ParameterizedTest
  @ValueSource(strings = {"telemetry", "a", "A-z_0|9", "x%y", "dev-1"})
  void isUserTopic_acceptsTheBrokerPattern(String name) {
    assertThat(BrokerNames.isUserTopic(name)).isTrue();
  }

  @Test
  void isUserTopic_rejectsOtherNames() {
    assertThat(BrokerNames.isUserTopic("a".repeat(127))).isTrue();
    assertThat(BrokerNames.isUserTopic("a".repeat(128))).isFalse();
    assertThat(BrokerNames.isUserTopic("")).isFalse();
    assertThat(BrokerNames.isUserTopic(null)).isFalse();
    assertThat(BrokerNames.isUserTopic("$SYS")).isFalse();
    assertThat(BrokerNames.isUserTopic("my topic")).isFalse();
    assertThat(BrokerNames.isUserTopic("ü")).isFalse();
    assertThat(BrokerNames.isUserTopic("a.b")).isFalse();
    assertThat(BrokerNames.isUserTopic("%retained")).as("system topic").isFalse();
  }

  @Test
  void checkUserTopic_namesTheValue() {
    assertThatThrownBy(() -> BrokerNames.checkUserTopic("a b", "fallback topic"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "fallback topic 'a b': 1-127 characters of [A-Za-z0-9_|%-] required, not starting"
                + " with '%'");
  }

  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(
      delimiter = ';',
      nullValues = "NULL",
      textBlock =
          """
          temp      ; temp
          a||b      ; a|b
          a|||b||c  ; a|b|c
          a|b       ; a|b
          ||        ; |
          '  x  '   ; x
          *         ; NULL
          ' * '     ; NULL
          **        ; **
          ''        ; NULL
          '   '     ; NULL
          NULL      ; NULL
          a b       ; a b
          """)
  void sanitizeTag_followsTheTagRules(String text, String expected) {
    assertThat(BrokerNames.sanitizeTag(text)).isEqualTo(expected);
  }

  @Test
  void sanitizeTag_cutsToOneKibWithoutSplittingCharacters() {
    assertThat(BrokerNames.sanitizeTag("x".repeat(2000))).isEqualTo("x".repeat(1024));
    String euros = BrokerNames.sanitizeTag("€".repeat(400));
    assertThat(euros).isEqualTo("€".repeat(341));
    assertThat(euros.getBytes(UTF_8)).hasSize(1023);
    String emoji = BrokerNames.sanitizeTag("😀".repeat(300));
    assertThat(emoji).isEqualTo("😀".repeat(256));
    assertThat(BrokerNames.sanitizeTag("a".repeat(1023) + "😀")).isEqualTo("a".repeat(1023));
  }

  @Test
  void sanitizeTag_stripsWhatTheCutLeavesAtTheEnd() {
    assertThat(BrokerNames.sanitizeTag("a".repeat(1023) + " b")).isEqualTo("a".repeat(1023));
  }

  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(
      delimiter = ';',
      nullValues = "NULL",
      textBlock =
          """
          dev-7         ; dev-7
          'dev 7'       ; dev_7
          ' a  b '      ; _a__b_
          ''            ; NULL
          NULL          ; NULL
          a||b          ; a||b
          """)
  void sanitizeKey_replacesWhiteSpace(String text, String expected) {
    assertThat(BrokerNames.sanitizeKey(text)).isEqualTo(expected);
  }

  @Test
  void sanitizeKey_replacesEveryKindOfWhiteSpaceAndCuts() {
    assertThat(BrokerNames.sanitizeKey("a\tb\nc\u00a0d\u2003e")).isEqualTo("a_b_c_d_e");
    assertThat(BrokerNames.sanitizeKey("k".repeat(5000))).hasSize(1024);
  }
}
