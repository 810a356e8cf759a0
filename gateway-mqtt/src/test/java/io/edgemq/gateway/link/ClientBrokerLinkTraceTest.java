package io.edgemq.gateway.link;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.TraceEntry;
import io.edgemq.gateway.mapping.Route;
import io.edgemq.gateway.testing.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device messages are traced by default and not with {@code trace(false)}; records never are. */
class ClientBrokerLinkTraceTest {
  @TempDir Path dir;
  private TestCluster cluster;
  private Admin admin;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.builder(dir).start();
    cluster.createTopic("telemetry", 2);
    cluster.createTopic("records", 1);
    admin = Admin.builder().clientConfig(cluster.clientConfig()).build();
  }

  @AfterEach
  void stop() throws Exception {
    admin.close();
    cluster.close();
  }

  private static MqttEnvelope reading(String device) {
    return new MqttEnvelope(
        "factory/l1/" + device + "/telemetry",
        1,
        false,
        device,
        "21.5".getBytes(UTF_8),
        true,
        null,
        null,
        null,
        0,
        List.of());
  }

  private static String send(ClientBrokerLink link, String device) {
    return link.send(new Route("telemetry", "temp", List.of(device)), reading(device), device)
        .join();
  }

  @Test
  void shouldTraceDeviceMessagesByDefaultButNeverRecordsNorWhenTurnedOff() {
    String traced;
    String untraced;
    try (ClientBrokerLink on =
            ClientBrokerLink.builder().clientConfig(cluster.clientConfig()).nodeId("gw-1").build();
        ClientBrokerLink off =
            ClientBrokerLink.builder()
                .clientConfig(cluster.clientConfig())
                .nodeId("gw-2")
                .trace(false)
                .build()) {
      untraced = send(off, "dev-off");
      on.sendRecord("records", "session-dev-on", new byte[] {1}).join();
      traced = send(on, "dev-on");
    }
    // closing the links sent their queued events; the broker writes STORE within moments
    await().atMost(Duration.ofSeconds(10)).until(() -> admin.trace(traced).size() == 2);
    List<TraceEntry> trace = admin.trace(traced);
    assertThat(trace).extracting(TraceEntry::kind).containsExactly("SEND", "STORE");
    assertThat(trace).extracting(TraceEntry::group).containsOnly(ClientBrokerLink.PRODUCER_GROUP);
    assertThat(admin.trace("dev-on")).isEqualTo(trace);
    // the links are closed (their events flushed) and the broker writes STORE events in send
    // order, so events of the earlier untraced message and record would be in by now
    assertThat(admin.trace(untraced)).isEmpty();
    assertThat(admin.trace("dev-off")).isEmpty();
    assertThat(admin.trace(BrokerSessionStore.key("session-dev-on"))).isEmpty();
  }
}
