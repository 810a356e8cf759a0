package io.edgemq.gateway.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Device clients for the end-to-end tests, and the marker technique for proving that a message did
 * NOT arrive: a marker published after it into the same broker queue (same broker topic, same
 * publishing client) arrives after it, so whatever came before the marker is all that came.
 */
final class Devices {
  /** Broker round trips take tens of ms; a slow shared machine takes much longer. */
  static final long WAIT_SECONDS = 20;

  private Devices() {}

  static Mqtt5BlockingClient hive5(int port, String clientId) {
    return Mqtt5Client.builder()
        .identifier(clientId)
        .serverHost("127.0.0.1")
        .serverPort(port)
        .buildBlocking();
  }

  static Mqtt3BlockingClient hive3(int port, String clientId) {
    return Mqtt3Client.builder()
        .identifier(clientId)
        .serverHost("127.0.0.1")
        .serverPort(port)
        .buildBlocking();
  }

  static String uri(int port) {
    return "tcp://127.0.0.1:" + port;
  }

  static void publish(
      Mqtt5BlockingClient c, String topic, String payload, int qos, boolean retain) {
    c.publishWith()
        .topic(topic)
        .qos(MqttQos.fromCode(qos))
        .retain(retain)
        .payload(payload.getBytes(UTF_8))
        .send();
  }

  static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), UTF_8);
  }

  /** Receives until the marker payload; returns what came before it. */
  static List<Mqtt5Publish> until(Mqtt5BlockingClient.Mqtt5Publishes in, String marker)
      throws InterruptedException {
    List<Mqtt5Publish> before = new ArrayList<>();
    while (true) {
      Optional<Mqtt5Publish> p = in.receive(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(p).as("marker %s after %s", marker, before).isPresent();
      if (text(p.get()).equals(marker)) {
        return before;
      }
      before.add(p.get());
    }
  }

  /** Like {@link #until} for a queue a callback fills (Paho). */
  static <T> List<T> until(BlockingQueue<T> in, Function<T, String> payload, String marker)
      throws InterruptedException {
    List<T> before = new ArrayList<>();
    while (true) {
      T m = in.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(m).as("marker %s after %s", marker, before).isNotNull();
      if (payload.apply(m).equals(marker)) {
        return before;
      }
      before.add(m);
    }
  }

  static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes in) throws InterruptedException {
    Optional<Mqtt5Publish> p = in.receive(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(p).as("a message within %d s", WAIT_SECONDS).isPresent();
    return p.get();
  }

  static <T> T receive(BlockingQueue<T> in) throws InterruptedException {
    T m = in.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertThat(m).as("a message within %d s", WAIT_SECONDS).isNotNull();
    return m;
  }
}
