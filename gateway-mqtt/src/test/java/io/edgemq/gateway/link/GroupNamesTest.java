package io.edgemq.gateway.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GroupNamesTest {
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_|-]{1,120}");

  @Test
  void feed_isReadableWhenValid() {
    assertThat(GroupNames.feed("gw-1", "telemetry")).isEqualTo("gw-gw-1-telemetry");
  }

  @Test
  void shared_isReadableWhenValidAndUnambiguous() {
    assertThat(GroupNames.shared("g1", "cmd-topic")).isEqualTo("gw-share-g1-cmd-topic");
  }

  @Test
  void shared_partsThatReadAlikeGetDifferentGroups() {
    assertThat(GroupNames.shared("a-b", "c")).isNotEqualTo(GroupNames.shared("a", "b-c"));
    assertThat(GroupNames.shared("a-b", "c")).startsWith("gw-share-a-b-c-h").matches(GROUP);
  }

  @Test
  void invalidCharactersAreReplacedAndHashed() {
    String percent = GroupNames.feed("n1", "%RETRY%x");
    String underscore = GroupNames.feed("n1", "_RETRY_x");
    assertThat(percent).startsWith("gw-n1-_RETRY_x-h").matches(GROUP);
    assertThat(underscore).isEqualTo("gw-n1-_RETRY_x");
    assertThat(GroupNames.shared("my group/ü", "t")).startsWith("gw-share-my_group__-t-h");
  }

  @Test
  void longNamesAreCutWithAHashAndStayDistinct() {
    String node = "n".repeat(40);
    String a = GroupNames.feed(node, "t".repeat(126) + "a");
    String b = GroupNames.feed(node, "t".repeat(126) + "b");
    assertThat(a).matches(GROUP).hasSize(120);
    assertThat(b).matches(GROUP).isNotEqualTo(a);
    assertThat(a.substring(0, 100)).isEqualTo(b.substring(0, 100));
  }

  @Test
  void everyNameIsAValidDistinctGroup() {
    Random r = new Random(7);
    String chars = "aZ09_-|%/ é+#$";
    Set<String> inputs = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String share = random(r, chars, 1 + r.nextInt(60));
      String topic = random(r, chars, 1 + r.nextInt(127));
      if (inputs.add(share + "\n" + topic)) {
        String name = GroupNames.shared(share, topic);
        assertThat(name).matches(GROUP);
        assertThat(names.add(name)).as("%s / %s -> %s", share, topic, name).isTrue();
      }
    }
  }

  private static String random(Random r, String chars, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(chars.charAt(r.nextInt(chars.length())));
    }
    return sb.toString();
  }
}
