package io.edgemq.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.client.api.MessageQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueSelectorTest {
  private static final List<MessageQueue> QUEUES = queues();

  private static List<MessageQueue> queues() {
    List<MessageQueue> q = new ArrayList<>();
    for (String b : List.of("broker-a", "broker-b")) {
      for (int i = 0; i < 4; i++) {
        q.add(new MessageQueue("t", b, i));
      }
    }
    return q;
  }

  @Test
  void shouldVisitEveryQueueOfEveryBrokerEvenly() {
    QueueSelector s = new QueueSelector();
    Map<MessageQueue, Integer> counts = new HashMap<>();
    for (int i = 0; i < 800; i++) {
      counts.merge(s.next("t", QUEUES, Set.of()), 1, Integer::sum);
    }
    assertThat(counts).hasSize(8);
    assertThat(counts.values()).containsOnly(100);
  }

  @Test
  void shouldSkipExcludedBrokers() {
    QueueSelector s = new QueueSelector();
    for (int i = 0; i < 50; i++) {
      assertThat(s.next("t", QUEUES, Set.of("broker-a")).brokerName()).isEqualTo("broker-b");
    }
  }

  @Test
  void shouldFallBackWhenEveryBrokerIsExcluded() {
    QueueSelector s = new QueueSelector();
    assertThat(s.next("t", QUEUES, Set.of("broker-a", "broker-b"))).isIn(QUEUES);
  }

  @Test
  void shouldMapOneMessageGroupToOneQueueAcrossInstances() {
    for (int g = 0; g < 200; g++) {
      String group = "device-" + g;
      MessageQueue first = QueueSelector.forGroup(QUEUES, group);
      assertThat(QueueSelector.forGroup(new ArrayList<>(QUEUES), group)).isEqualTo(first);
    }
    // pinned: String.hashCode is fixed by the language spec, so this never changes
    assertThat(QueueSelector.forGroup(QUEUES, "device-42"))
        .isEqualTo(QUEUES.get(Math.floorMod("device-42".hashCode(), 8)));
  }

  @Test
  void shouldSpreadMessageGroupsOverQueues() {
    Map<MessageQueue, Integer> counts = new HashMap<>();
    for (int g = 0; g < 800; g++) {
      counts.merge(QueueSelector.forGroup(QUEUES, "device-" + g), 1, Integer::sum);
    }
    assertThat(counts).hasSize(8);
    assertThat(counts.values()).allMatch(c -> c > 50);
  }
}
