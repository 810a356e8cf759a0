package io.edgemq.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.PushConsumer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first level of the default back-off ladder (10 s), in real time, with default brokers. */
class RetryRealTimeIntegrationTest {
  @TempDir Path dir;

  @Test
  void shouldRedeliverAFailedMessageAfterTheFirstDefaultLevelOfTenSeconds() throws Exception {
    List<Long> deliveries = new CopyOnWriteArrayList<>();
    try (Cluster cluster = new Cluster(dir, 1)) {
      Fixtures.createTopic(cluster, "jobs", 1);
      try (Producer producer = Producer.builder().clientConfig(cluster.clientConfig()).build();
          PushConsumer c =
              Fixtures.push(cluster, "workers", "jobs", "*")
                  .listener(
                      m -> {
                        deliveries.add(System.nanoTime());
                        return m.reconsumeTimes() == 0
                            ? ConsumeResult.FAILURE
                            : ConsumeResult.SUCCESS;
                      })
                  .build()) {
        producer.send(Fixtures.message("jobs", "job-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.size() == 2);
        long gapMs = (deliveries.get(1) - deliveries.get(0)) / 1_000_000;
        assertThat(gapMs).isBetween(10_000L, 14_000L);
      }
    }
  }
}
