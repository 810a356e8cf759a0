package io.edgemq.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AssignorTest {
  @Test
  void shouldGiveEveryQueueToExactlyOneMemberWithSizesDifferingByAtMostOne() {
    Random rnd = new Random(42);
    for (int round = 0; round < 500; round++) {
      int members = 1 + rnd.nextInt(20);
      int queues = rnd.nextInt(64);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < members; i++) {
        ids.add(String.format("c%03d", i));
      }
      int[] owner = new int[queues];
      java.util.Arrays.fill(owner, -1);
      int min = Integer.MAX_VALUE;
      int max = 0;
      for (int m = 0; m < members; m++) {
        int[] r = Assignor.range(ids, queues, ids.get(m));
        min = Math.min(min, r[1] - r[0]);
        max = Math.max(max, r[1] - r[0]);
        for (int q = r[0]; q < r[1]; q++) {
          assertThat(owner[q]).isEqualTo(-1);
          owner[q] = m;
        }
      }
      assertThat(owner).doesNotContain(-1);
      assertThat(max - min).isLessThanOrEqualTo(1);
    }
  }
}
