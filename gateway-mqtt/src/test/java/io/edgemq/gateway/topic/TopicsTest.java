package io.edgemq.gateway.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sport/tennis/player1",
        "sport",
        "/",
        "//",
        "/finance",
        "finance/",
        "$SYS/broker/load",
        "$",
        " ",
        "a b/c d",
        "ünïcödé/日本/😀",
        "$share/g/x"
      })
  void validateName_acceptsValidNames(String topic) {
    assertThatCode(() -> Topics.validateName(topic)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "sport/+", "sport/#", "#", "+", "sport+", "a/b#", "a\u0000b"})
  void validateName_rejectsInvalidNames(String topic) {
    assertThatThrownBy(() -> Topics.validateName(topic)).isInstanceOf(InvalidTopicException.class);
  }

  @Test
  void validateName_rejectsNull() {
    assertThatThrownBy(() -> Topics.validateName(null))
        .isInstanceOf(InvalidTopicException.class)
        .hasMessageContaining("must not be empty");
  }

  @Test
  void validateName_messagesSayWhichRuleBroke() {
    assertThatThrownBy(() -> Topics.validateName("a/+"))
        .hasMessage("topic name 'a/+' must not contain wildcards");
    assertThatThrownBy(() -> Topics.validateName("a\u0000")).hasMessageContaining("U+0000");
  }

  @Test
  void shouldLimitLengthInUtf8BytesNotChars() {
    String euro = "€"; // three UTF-8 bytes
    String atLimit = euro.repeat(Topics.MAX_BYTES / 3);
    assertThatCode(() -> Topics.validateName(atLimit)).doesNotThrowAnyException();
    assertThatThrownBy(() -> Topics.validateFilter(atLimit + "/#"))
        .isInstanceOf(InvalidTopicException.class);
    assertThatThrownBy(() -> Topics.validateName(atLimit + "a"))
        .isInstanceOf(InvalidTopicException.class)
        .hasMessageContaining("longer than 65535 bytes");
    String ascii = "a".repeat(Topics.MAX_BYTES);
    assertThatCode(() -> Topics.validateName(ascii)).doesNotThrowAnyException();
    assertThatThrownBy(() -> Topics.validateFilter(ascii + "/"))
        .isInstanceOf(InvalidTopicException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sport/tennis/player1/#",
        "sport/#",
        "#",
        "+",
        "+/+",
        "/+",
        "+/",
        "sport/+/player1",
        "+/tennis/#",
        "sport/tennis/+",
        "/",
        "a//b",
        "//#",
        "$SYS/#",
        "$SYS/+/load",
        "ünïcödé/+"
      })
  void validateFilter_acceptsValidFilters(String filter) {
    assertThatCode(() -> Topics.validateFilter(filter)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sport/tennis#",
        "sport/#/ranking",
        "sport+",
        "+sport",
        "#sport",
        "##",
        "++",
        "+#",
        "#/",
        "#/#",
        "a/b+/c",
        "a\u0000b"
      })
  void validateFilter_rejectsInvalidFilters(String filter) {
    assertThatThrownBy(() -> Topics.validateFilter(filter))
        .isInstanceOf(InvalidTopicException.class);
  }

  @Test
  void validateFilter_messagesSayWhichRuleBroke() {
    assertThatThrownBy(() -> Topics.validateFilter("sport/tennis#"))
        .hasMessage("topic filter 'sport/tennis#': a wildcard must occupy a whole level");
    assertThatThrownBy(() -> Topics.validateFilter("sport/#/ranking"))
        .hasMessage("topic filter 'sport/#/ranking': '#' must be the last level");
    assertThatThrownBy(() -> Topics.validateFilter(null))
        .hasMessage("topic filter must not be empty");
  }

  @Test
  void hasWildcard_findsPlusAndHash() {
    assertThat(Topics.hasWildcard("a/+/b")).isTrue();
    assertThat(Topics.hasWildcard("a/#")).isTrue();
    assertThat(Topics.hasWildcard("a/b")).isFalse();
    assertThat(Topics.hasWildcard("$SYS")).isFalse();
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          sport/tennis/player1/#  | sport/tennis/player1                  | true
          sport/tennis/player1/#  | sport/tennis/player1/ranking          | true
          sport/tennis/player1/#  | sport/tennis/player1/score/wimbledon  | true
          sport/tennis/player1/#  | sport/tennis/player1/                 | true
          sport/tennis/player1/#  | sport/tennis/player2                  | false
          sport/tennis/player1/#  | sport/tennis                          | false
          sport/#                 | sport                                 | true
          sport/#                 | sports                                | false
          #                       | sport/tennis                          | true
          #                       | /                                     | true
          #                       | /finance                              | true
          sport/tennis/+          | sport/tennis/player1                  | true
          sport/tennis/+          | sport/tennis/player2                  | true
          sport/tennis/+          | sport/tennis/player1/ranking          | false
          sport/tennis/+          | sport/tennis                          | false
          sport/tennis/+          | sport/tennis/                         | true
          sport/+                 | sport                                 | false
          sport/+                 | sport/                                | true
          +/+                     | /finance                              | true
          /+                      | /finance                              | true
          +                       | /finance                              | false
          +                       | finance                               | true
          +                       | /                                     | false
          +/+                     | /                                     | true
          +/#                     | sport                                 | true
          +/#                     | /                                     | true
          +/+/#                   | sport                                 | false
          +/tennis/#              | sport/tennis/player1                  | true
          +/tennis/#              | sport/tennis                          | true
          +/tennis/#              | sport/golf                            | false
          sport/+/player1         | sport/tennis/player1                  | true
          sport/+/player1         | sport//player1                        | true
          sport/+/player1         | sport/tennis/player2                  | false
          a//b                    | a//b                                  | true
          a/+/b                   | a//b                                  | true
          a/b                     | a/b/                                  | false
          a/b/                    | a/b                                   | false
          sport                   | Sport                                 | false
          #                       | $SYS/broker                           | false
          #                       | $SYS                                  | false
          +/monitor/Clients       | $SYS/monitor/Clients                  | false
          +/#                     | $SYS                                  | false
          +                       | $SYS                                  | false
          $SYS/#                  | $SYS/monitor/Clients                  | true
          $SYS/#                  | $SYS                                  | true
          $SYS/monitor/+          | $SYS/monitor/Clients                  | true
          $SYS/monitor/+          | $SYS/monitor/                         | true
          a/+                     | a/$b                                  | true
          a/#                     | a/$b/c                                | true
          """)
  void matches_followsSpecExamples(String filter, String topic, boolean expected) {
    assertThat(Topics.matches(filter, topic)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          #               | sport/tennis/#     | true
          #               | +                  | true
          #               | #                  | true
          #               | $SYS/#             | false
          +/#             | #                  | true
          +/#             | +/+                | true
          +/+/#           | #                  | false
          sport/#         | sport              | true
          sport/#         | sport/#            | true
          sport/#         | sport/+/player1    | true
          sport/#         | #                  | false
          sport/+         | sport/tennis       | true
          sport/+         | sport/#            | false
          sport/+         | sport/+/x          | false
          sport/+/#       | sport/#            | false
          sport/+/#       | sport/tennis       | true
          sport/+/#       | sport/+            | true
          /+/#            | /#                 | true
          a/+/#           | a/#                | false
          sport/tennis    | sport/tennis       | true
          sport/tennis    | sport/+            | false
          sport/tennis    | sport/tennis/      | false
          +               | $SYS               | false
          $SYS/#          | $SYS/monitor/+     | true
          $SYS/+          | $SYS/monitor       | true
          +/monitor       | $SYS/monitor       | false
          """)
  void covers_decidesContainment(String outer, String inner, boolean expected) {
    assertThat(Topics.covers(outer, inner)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} overlaps {1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          #               | sport/tennis       | true
          #               | $SYS/#             | false
          +/#             | $SYS/x             | false
          +               | $SYS               | false
          $SYS/#          | $SYS/+             | true
          sport/#         | sport              | true
          sport/#         | +/tennis           | true
          sport/+         | sport              | false
          sport/+         | +/tennis/x         | false
          sport/+/#       | +/tennis           | true
          sport/+/+/#     | sport              | false
          +/+             | /finance           | true
          +               | /finance           | false
          +               | /#                 | false
          /               | /#                 | true
          a               | a/#                | true
          a/b             | a/c                | false
          a/b             | a/b                | true
          a/+             | +/b                | true
          a/+/c           | +/b/+              | true
          a/+/c           | +/b/d              | false
          """)
  void overlap_decidesSharedTopics(String a, String b, boolean expected) {
    assertThat(Topics.overlap(a, b)).isEqualTo(expected);
    assertThat(Topics.overlap(b, a)).as("symmetric").isEqualTo(expected);
  }

  /**
   * Checks matches against an independent reference, and covers and overlap against their
   * definitions, over every filter of up to three levels and every topic of up to four levels drawn
   * from a small alphabet. The alphabet has a level no filter names ("z") and a '$' level, so a
   * counterexample to covers or a witness for overlap exists inside this universe whenever one
   * exists at all.
   */
  @Test
  void shouldAgreeWithDefinitionsOnEverySmallFilterAndTopic() {
    List<String> topics = combine(new String[] {"a", "b", "", "$a", "z"}, 4, false);
    List<String> filters = combine(new String[] {"a", "b", "", "$a", "+", "#"}, 3, true);
    BitSet[] matched = new BitSet[filters.size()];
    for (int f = 0; f < filters.size(); f++) {
      matched[f] = new BitSet();
      for (int t = 0; t < topics.size(); t++) {
        boolean m = Topics.matches(filters.get(f), topics.get(t));
        assertThat(m)
            .as("%s matches %s", filters.get(f), topics.get(t))
            .isEqualTo(referenceMatches(filters.get(f), topics.get(t)));
        if (m) {
          matched[f].set(t);
        }
      }
    }
    for (int a = 0; a < filters.size(); a++) {
      for (int b = 0; b < filters.size(); b++) {
        BitSet innerOnly = (BitSet) matched[b].clone();
        innerOnly.andNot(matched[a]);
        assertThat(Topics.covers(filters.get(a), filters.get(b)))
            .as("%s covers %s", filters.get(a), filters.get(b))
            .isEqualTo(innerOnly.isEmpty());
        assertThat(Topics.overlap(filters.get(a), filters.get(b)))
            .as("%s overlaps %s", filters.get(a), filters.get(b))
            .isEqualTo(matched[a].intersects(matched[b]));
      }
    }
  }

  /** Every valid filter or topic of 1 to {@code depth} levels; '$' levels only come first. */
  private static List<String> combine(String[] alphabet, int depth, boolean filters) {
    List<String> out = new ArrayList<>();
    List<String> current = List.of("");
    for (int d = 1; d <= depth; d++) {
      List<String> next = new ArrayList<>();
      for (String prefix : current) {
        if (prefix.endsWith("#") && d > 1) {
          continue;
        }
        for (String level : alphabet) {
          if (level.startsWith("$") && d > 1) {
            continue;
          }
          next.add(d == 1 ? level : prefix + "/" + level);
        }
      }
      current = next;
      for (String s : next) {
        if (!s.isEmpty() || d > 1) {
          out.add(s);
        }
      }
    }
    if (filters) {
      out.removeIf(f -> f.contains("#") && !f.endsWith("#"));
      out.forEach(Topics::validateFilter);
    } else {
      out.forEach(Topics::validateName);
    }
    return out;
  }

  private static boolean referenceMatches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    if (t[0].startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
      return false;
    }
    return referenceMatches(f, 0, t, 0);
  }

  private static boolean referenceMatches(String[] f, int i, String[] t, int j) {
    if (i == f.length) {
      return j == t.length;
    }
    if (f[i].equals("#")) {
      return true;
    }
    if (j == t.length) {
      return false;
    }
    return (f[i].equals("+") || f[i].equals(t[j])) && referenceMatches(f, i + 1, t, j + 1);
  }
}
