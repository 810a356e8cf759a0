package io.edgemq.sim.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopicTemplateTest {
  @Test
  void shouldExpandBuiltInsAndVariables() {
    TopicTemplate t =
        TopicTemplate.parse("factory/{line}/{device}/telemetry/{sensor}", Set.of("line", "sensor"));
    assertThat(t.expand(Map.of("line", "l1", "device", "dev-7", "sensor", "temp")))
        .isEqualTo("factory/l1/dev-7/telemetry/temp");
    assertThat(t.names()).containsExactly("line", "device", "sensor");
    assertThat(t.literalFirstLevel()).isEqualTo("factory");
  }

  @Test
  void shouldReportNoLiteralFirstLevelWhenItIsAPlaceholder() {
    assertThat(TopicTemplate.parse("{device}/x", Set.of()).literalFirstLevel()).isEmpty();
    assertThat(TopicTemplate.parse("plain", Set.of()).literalFirstLevel()).isEqualTo("plain");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a/{nope}/b       | unknown placeholder {nope}",
        "a/{device/b      | never closed",
        "a/device}/b      | closes nothing",
        "a/+/b            | '+' is not allowed",
        "a/#              | '#' is not allowed",
      })
  void shouldRejectTemplatesThatDoNotParse(String template, String reason) {
    assertThatThrownBy(() -> TopicTemplate.parse(template.trim(), Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(template.trim())
        .hasMessageContaining(reason.trim());
  }

  @Test
  void shouldRejectAnEmptyTemplate() {
    assertThatThrownBy(() -> TopicTemplate.parse("", Set.of())).hasMessageContaining("empty");
  }
}
