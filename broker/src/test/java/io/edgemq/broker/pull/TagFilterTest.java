package io.edgemq.broker.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.FilterExpression;
import io.edgemq.store.api.TagHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TagFilterTest {
  @Test
  void shouldReadStarAndEmptyAsAll() {
    assertThat(TagFilter.parse("*")).isSameAs(TagFilter.ALL);
    assertThat(TagFilter.parse("  ")).isSameAs(TagFilter.ALL);
    assertThat(TagFilter.parse((FilterExpression) null)).isSameAs(TagFilter.ALL);
  }

  @Test
  void shouldParseAListOfTagsIgnoringSpaces() {
    TagFilter f = TagFilter.parse(" b|| a ||b ");
    assertThat(f.tags()).containsExactly("a", "b");
    assertThat(f.canonical()).isEqualTo("a || b");
    assertThat(f.filter().matchesTagHash(TagHash.of("a"))).isTrue();
    assertThat(f.filter().matchesTagHash(TagHash.of("A"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a || || b", "||", "a ||", "|| a", "a || *"})
  void shouldRefuseExpressionsThatDoNotParse(String expr) {
    assertThatThrownBy(() -> TagFilter.parse(expr))
        .isInstanceOf(Rejection.class)
        .satisfies(e -> assertThat(((Rejection) e).code()).isEqualTo(Code.ILLEGAL_TAG_EXPRESSION));
  }

  @Test
  void shouldRefuseAnUnknownFilterType() {
    assertThatThrownBy(
            () ->
                TagFilter.parse(
                    FilterExpression.newBuilder().setTypeValue(2).setExpression("x").build()))
        .isInstanceOf(Rejection.class);
  }
}
