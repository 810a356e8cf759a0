package io.edgemq.dist.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.dist.process.InProcessStandalone;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgemq admin trace} against a running standalone server: the life of a message a device
 * published through the MQTT gateway (traced by default) and a traced backend consumed.
 */
class TraceCommandTest {
  @TempDir static Path dir;

  private static InProcessStandalone server;

  @BeforeAll
  static void start() throws Exception {
    server = InProcessStandalone.start(dir);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static AdminRun admin(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--namesrv";
    all[1] = server.nameServer();
    System.arraycopy(args, 0, all, 2, args.length);
    return AdminRun.of(all);
  }

  @Test
  void shouldPrintTheLifeOfADeviceMessageSentThroughTheGateway() {
    Mqtt5BlockingClient device =
        Mqtt5Client.builder()
            .identifier("trace-dev-1")
            .serverHost("127.0.0.1")
            .serverPort(server.mqttPort())
            .buildBlocking();
    device.connect();
    ClientConfig config = ClientConfig.builder().nameServers(server.nameServer()).build();
    try (PushConsumer backend =
        PushConsumer.builder()
            .clientConfig(config)
            .consumerGroup("trace-backend")
            .subscribe("tracedemo", "*")
            .consumeFrom(ConsumeFrom.EARLIEST)
            .longPollTimeout(Duration.ofSeconds(1))
            .trace(true)
            .listener(m -> ConsumeResult.SUCCESS)
            .build()) {
      device
          .publishWith()
          .topic("tracedemo/temp")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("21.5".getBytes(StandardCharsets.UTF_8))
          .send();
      // the device's client id is the message's key (default mapping)
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> admin("trace", "trace-dev-1", "--json").out().contains("CONSUME_OK"));
    } finally {
      device.disconnect();
    }
    AdminRun json = admin("trace", "trace-dev-1", "--json");
    AdminRun table = admin("trace", "trace-dev-1");

    assertThat(json.status()).as(json.err()).isZero();
    assertThat(json.json())
        .extracting(m -> m.get("kind"))
        .containsExactly("SEND", "STORE", "DELIVER", "CONSUME_OK");
    Map<String, Object> send = json.json().get(0);
    assertThat(send.get("group")).isEqualTo("gateway-mqtt");
    assertThat(send.get("topic")).isEqualTo("tracedemo");
    assertThat(send.get("tag")).isEqualTo("temp");
    assertThat(json.json().get(3).get("group")).isEqualTo("trace-backend");
    assertThat(json.json())
        .extracting(m -> m.get("message_id"))
        .containsOnly(send.get("message_id"));
    assertThat(json.json()).extracting(m -> m.get("offset")).containsOnly(send.get("offset"));

    assertThat(table.status()).as(table.err()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).startsWith("message " + send.get("message_id") + "  topic tracedemo");
    assertThat(lines.get(1))
        .startsWith("TIME")
        .contains("KIND", "HOST", "CLIENT", "GROUP", "BROKER", "QUEUE", "OFFSET", "COST", "STATUS");
    assertThat(lines.subList(2, lines.size()))
        .extracting(l -> l.split("\\s+")[1])
        .containsExactly("SEND", "STORE", "DELIVER", "CONSUME_OK");
    // and by message id
    assertThat(admin("trace", (String) send.get("message_id"), "--json").json())
        .isEqualTo(json.json());
  }

  @Test
  void shouldSayWhenAMessageHasNoTrace() {
    AdminRun r = admin("trace", "no-such-key");

    assertThat(r.status()).isEqualTo(AdminCommand.CALL_FAILED);
    assertThat(r.err()).startsWith("edgemq admin: no trace events for no-such-key");
  }
}
