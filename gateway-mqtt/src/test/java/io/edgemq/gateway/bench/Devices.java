package io.edgemq.gateway.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Simulated MQTT 3.1.1 devices (HiveMQ async clients sharing one set of event loops). */
final class Devices implements AutoCloseable {
  final List<Mqtt3AsyncClient> clients = new ArrayList<>();

  /**
   * Connects {@code n} devices, {@code batch} at a time, spreading their source addresses over
   * 127.0.0.1–127.0.0.{sources} so many connections fit in the ephemeral port range.
   */
  static Devices connect(String prefix, int port, int n, int keepAlive, int sources, int batch)
      throws Exception {
    Devices d = new Devices();
    List<CompletableFuture<?>> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Mqtt3AsyncClient c =
          MqttClient.builder()
              .useMqttVersion3()
              .identifier(prefix + i)
              .transportConfig()
              .serverHost("127.0.0.1")
              .serverPort(port)
              .localAddress(new InetSocketAddress("127.0.0." + (1 + i % sources), 0))
              .applyTransportConfig()
              .buildAsync();
      d.clients.add(c);
      pending.add(c.connectWith().cleanSession(true).keepAlive(keepAlive).send());
      if (pending.size() >= batch) {
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
            .get(60, TimeUnit.SECONDS);
        pending.clear();
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return d;
  }

  static MqttQos qos(int q) {
    return MqttQos.fromCode(q);
  }

  @Override
  public void close() {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (Mqtt3AsyncClient c : clients) {
      all.add(c.disconnect().exceptionally(e -> null));
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort: the servers close what is left when they stop
    }
  }
}
