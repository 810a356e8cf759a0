package io.edgemq.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.edgemq.gateway.api.Gateway;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client over its publish rate is slowed down (the gateway stops reading it), not dropped. */
class PublishRateLimitTest {
  @TempDir Path dir;

  @Test
  void aClientOverItsRateIsPacedAndLosesNothing() throws Exception {
    try (GatewayFixture fx = new GatewayFixture(dir)) {
      Gateway gw = fx.gateway("gw1", b -> b.publishRatePerClient(50));
      Mqtt5AsyncClient c =
          Mqtt5Client.builder()
              .identifier("fast")
              .serverHost("127.0.0.1")
              .serverPort(gw.port("mqtt"))
              .buildAsync();
      c.connect().get(10, TimeUnit.SECONDS);
      long start = System.nanoTime();
      List<CompletableFuture<?>> acks = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        acks.add(
            c.publishWith()
                .topic("rate/fast")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[] {(byte) i})
                .send()
                .thenAccept(r -> assertThat(r.getError()).isEmpty()));
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      // 50 may go at once, the other 150 at 50 a second: at least 3 s (unthrottled, well under 1 s)
      assertThat(elapsedMs).isGreaterThanOrEqualTo(2_900);
      c.disconnect().get(10, TimeUnit.SECONDS);
    }
  }
}
