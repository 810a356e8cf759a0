package io.edgemq.dist.process;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.PushConsumer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Real traffic for the process tests: MQTT devices (HiveMQ client) and a backend consumer. */
public final class Traffic {
  private Traffic() {}

  /**
   * Publishes QoS 1 messages; each returns only after the gateway's PUBACK, which it sends once the
   * broker stored the message.
   *
   * @param mqttPort a gateway's MQTT port
   * @param clientId the device's client id
   * @param topic the MQTT topic
   * @param prefix payload prefix; payloads are {@code prefix-0 .. prefix-(count-1)}
   * @param count how many
   */
  public static void publish(
      int mqttPort, String clientId, String topic, String prefix, int count) {
    Mqtt5BlockingClient c =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(clientId)
            .serverHost("127.0.0.1")
            .serverPort(mqttPort)
            .buildBlocking();
    c.connect();
    try {
      for (int i = 0; i < count; i++) {
        c.publishWith()
            .topic(topic)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload((prefix + "-" + i).getBytes(StandardCharsets.UTF_8))
            .send();
      }
    } finally {
      c.disconnect();
    }
  }

  /** A backend consumer collecting the distinct bodies it receives. */
  public static final class Backend implements AutoCloseable {
    private final PushConsumer consumer;
    private final Set<String> bodies = ConcurrentHashMap.newKeySet();

    /**
     * @param nameServers host:port of each nameserver
     * @param group the consumer group
     * @param topic the broker topic, all tags, from the earliest message
     */
    public Backend(String[] nameServers, String group, String topic) {
      this(nameServers, group, topic, ConsumeResult.SUCCESS);
    }

    /**
     * @param nameServers host:port of each nameserver
     * @param group the consumer group
     * @param topic the broker topic, all tags, from the earliest message
     * @param result what the listener answers for every message (FAILURE: retries, dead letters)
     */
    public Backend(String[] nameServers, String group, String topic, ConsumeResult result) {
      consumer =
          PushConsumer.builder()
              .clientConfig(ClientConfig.builder().nameServers(nameServers).build())
              .consumerGroup(group)
              .subscribe(topic, "*")
              .consumeFrom(ConsumeFrom.EARLIEST)
              .listener(
                  m -> {
                    bodies.add(new String(m.bodyBytes(), StandardCharsets.UTF_8));
                    return result;
                  })
              .build();
    }

    /**
     * @return the distinct bodies received so far
     */
    public Set<String> bodies() {
      return Set.copyOf(bodies);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
