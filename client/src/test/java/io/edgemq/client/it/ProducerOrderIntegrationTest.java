package io.edgemq.client.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.client.api.Message;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.SendResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Async sends of one message group keep their call order, even before the route is cached. */
class ProducerOrderIntegrationTest {
  @TempDir Path dir;

  @Test
  void asyncSendsOfOneGroupAreStoredInCallOrderWhileTheRouteIsFetched() throws Exception {
    try (Cluster cluster = new Cluster(dir, 1)) {
      Fixtures.createTopic(cluster, "ordered", 4);
      try (Producer p = Producer.builder().clientConfig(cluster.clientConfig()).build()) {
        // the first sends all wait for the same route lookup
        List<CompletableFuture<SendResult>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          sent.add(
              p.sendAsync(
                  Message.builder()
                      .topic("ordered")
                      .messageGroup("device-1")
                      .body(("m" + i).getBytes(UTF_8))
                      .build()));
        }
        long previous = -1;
        for (CompletableFuture<SendResult> f : sent) {
          SendResult r = f.join();
          assertThat(r.queueOffset()).isGreaterThan(previous);
          previous = r.queueOffset();
        }
      }
    }
  }
}
