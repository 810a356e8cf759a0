package io.edgemq.sim.fleet;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** MQTT 3.1.1 through the HiveMQ asynchronous client. */
final class Mqtt3Link implements MqttLink {
  private final Mqtt3AsyncClient client;
  private final ConnectSettings s;
  private final MqttQos qos;
  private volatile Consumer<byte[]> sink = p -> {};

  Mqtt3Link(ConnectSettings s, MqttClientExecutorConfig executors, Runnable onLost) {
    this.s = s;
    this.qos = MqttQos.fromCode(s.qos());
    Mqtt3ClientBuilder b =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier(s.clientId())
            .executorConfig(executors)
            .transportConfig()
            .serverAddress(s.server())
            .localAddress(s.localAddress())
            .sslConfig(s.ssl().orElse(null))
            .socketConnectTimeout(s.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .mqttConnectTimeout(s.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .applyTransportConfig()
            .addDisconnectedListener(ctx -> onLost.run());
    if (s.credentials().isPresent()) {
      b =
          b.simpleAuth()
              .username(s.credentials().get().username())
              .password(s.credentials().get().password().getBytes(StandardCharsets.UTF_8))
              .applySimpleAuth();
    }
    this.client = b.buildAsync();
    // registered once, before any connect, so what a resumed session delivers at once is seen
    client.publishes(MqttGlobalPublishFilter.ALL, p -> sink.accept(p.getPayloadAsBytes()));
  }

  @Override
  public CompletableFuture<Boolean> connect() {
    return client
        .connectWith()
        .cleanSession(s.cleanSession())
        .keepAlive((int) s.keepAlive().getSeconds())
        .send()
        .thenApply(ack -> ack.isSessionPresent());
  }

  @Override
  public CompletableFuture<Void> publish(String topic, byte[] payload) {
    return client.publishWith().topic(topic).qos(qos).payload(payload).send().thenApply(p -> null);
  }

  @Override
  public CompletableFuture<Void> subscribe(String filter, int qos, Consumer<byte[]> sink) {
    this.sink = sink;
    return client
        .subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.fromCode(qos))
        .send()
        .thenAccept(
            ack -> {
              if (ack.getReturnCodes().get(0).isError()) {
                throw new IllegalStateException("SUBACK " + ack.getReturnCodes().get(0));
              }
            });
  }

  @Override
  public CompletableFuture<Void> disconnect() {
    return client.disconnect();
  }
}
