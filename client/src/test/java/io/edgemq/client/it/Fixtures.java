package io.edgemq.client.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.PushConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Helpers shared by the integration tests. */
final class Fixtures {
  private Fixtures() {}

  /** Creates a topic on every broker and waits until the route lists them all. */
  static void createTopic(Cluster cluster, String topic, int queues) {
    try (Admin admin = cluster.admin()) {
      admin.createTopic(topic, queues);
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> admin.getTopic(topic).size() == cluster.brokers.size());
    }
  }

  static Message message(String topic, String body) {
    return Message.builder().topic(topic).body(body.getBytes(UTF_8)).build();
  }

  /** Counts deliveries per message id. */
  static final class Recorder {
    final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    final Map<String, MessageView> views = new ConcurrentHashMap<>();

    ConsumeResult record(MessageView m) {
      counts.computeIfAbsent(m.messageId(), k -> new AtomicInteger()).incrementAndGet();
      views.put(m.messageId(), m);
      return ConsumeResult.SUCCESS;
    }

    boolean hasAll(List<String> ids) {
      return counts.keySet().containsAll(ids);
    }
  }

  static PushConsumer.Builder push(Cluster cluster, String group, String topic, String filter) {
    return PushConsumer.builder()
        .clientConfig(cluster.clientConfig())
        .consumerGroup(group)
        .subscribe(topic, filter)
        .consumeFrom(ConsumeFrom.EARLIEST)
        .longPollTimeout(Duration.ofSeconds(1))
        .commitInterval(Duration.ofMillis(100))
        .redeliveryBackoff(Duration.ofMillis(100))
        .shutdownTimeout(Duration.ofSeconds(5));
  }
}
