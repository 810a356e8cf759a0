package io.edgemq.gateway.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SharedFilterTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          $share/consumer1/sport/tennis/+ | consumer1 | sport/tennis/+
          $share/g/#                      | g         | #
          $share/g/+                      | g         | +
          $share/g//finance               | g         | /finance
          $share/g/$SYS/#                 | g         | $SYS/#
          $share/g/$share/h/x             | g         | $share/h/x
          $share/ü-1/a                    | ü-1       | a
          """)
  void parse_splitsShareNameAndFilter(String raw, String shareName, String filter) {
    SharedFilter shared = SharedFilter.parse(raw).orElseThrow();
    assertThat(shared).isEqualTo(new SharedFilter(shareName, filter));
    assertThat(shared.toSubscribeFilter()).isEqualTo(raw);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"sport/tennis", "#", "+/x", "$SYS/#", "$shared/g/x", "$sharex", "share/g/x"})
  void parse_returnsEmptyForOrdinaryFilters(String filter) {
    assertThat(SharedFilter.parse(filter)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$share",
        "$share/",
        "$share/g",
        "$share//x",
        "$share/g/",
        "$share/g+/x",
        "$share/+/x",
        "$share/#/x",
        "$share/g#/x",
        "$share/g/sport+",
        "$share/g/sport/#/x",
        "$share/g\u0000/x"
      })
  void parse_rejectsMalformedSharedFilters(String filter) {
    assertThatThrownBy(() -> SharedFilter.parse(filter)).isInstanceOf(InvalidTopicException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          $share/g       | must have the form $share/{ShareName}/{filter}
          $share//x      | share name must not be empty
          $share/a+b/x   | share name 'a+b' must not contain
          $share/g/a#    | topic filter 'a#'
          """)
  void parse_namesTheBrokenRule(String filter, String message) {
    assertThatThrownBy(() -> SharedFilter.parse(filter)).hasMessageContaining(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a/b"})
  void constructor_rejectsBadShareName(String shareName) {
    assertThatThrownBy(() -> new SharedFilter(shareName, "x"))
        .isInstanceOf(InvalidTopicException.class);
  }
}
