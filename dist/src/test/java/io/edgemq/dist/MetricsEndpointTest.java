package io.edgemq.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.dist.process.InProcessStandalone;
import io.edgemq.dist.process.Scrape;
import io.edgemq.dist.process.Traffic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics and /health of a standalone server (in this JVM): the text format parses, and the named
 * broker, gateway and nameserver meters move when MQTT messages flow and a consumer falls behind.
 */
class MetricsEndpointTest {
  @TempDir Path dir;

  private InProcessStandalone server;
  private int http;
  private int mqtt;
  private String nameServer;

  @BeforeEach
  void start() throws Exception {
    server = InProcessStandalone.start(dir);
    http = server.httpPort();
    mqtt = server.mqttPort();
    nameServer = server.nameServer();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void shouldServeHealthWhileRunning() throws Exception {
    assertThat(Scrape.get(http, "/health").statusCode()).isEqualTo(200);
    assertThat(Scrape.get(http, "/health").body()).isEqualTo("UP\n");
    assertThat(Scrape.get(http, "/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void shouldMoveTheNamedMetersWhenMessagesFlowAndAConsumerFallsBehind() throws Exception {
    Scrape before = Scrape.of(http);
    assertThat(before.names()).contains("jvm_memory_used_bytes", "process_uptime_seconds");
    Map<String, String> topic = Map.of("topic", "metrics");

    Traffic.publish(mqtt, "dev-m", "metrics/dev-m/t", "payload", 20);
    Set<String> first = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      first.add("payload-" + i);
    }
    try (Traffic.Backend backend =
        new Traffic.Backend(new String[] {nameServer}, "metrics-group", "metrics")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> backend.bodies().containsAll(first));
    }
    Traffic.publish(mqtt, "dev-m", "metrics/dev-m/t", "late", 10); // nobody consumes these

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Scrape now = Scrape.of(http);
              assertThat(now.value("edgemq_broker_messages_in_total", topic)).contains(30.0);
              assertThat(now.value("edgemq_broker_message_body_bytes_total", topic))
                  .contains(10 * 9.0 + 10 * 10 + 10 * 6.0); // payload-0..19, late-0..9
              assertThat(
                      now.value(
                          "edgemq_broker_consumer_lag_messages",
                          Map.of("group", "metrics-group", "topic", "metrics")))
                  .contains(10.0);
              assertThat(now.sum("edgemq_broker_send_seconds_count")).isGreaterThanOrEqualTo(30);
              assertThat(now.sum("edgemq_store_append_seconds_count")).isGreaterThanOrEqualTo(30);
              assertThat(now.value("edgemq_gateway_packets_in_total", Map.of("type", "PUBLISH")))
                  .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(30));
              assertThat(now.value("edgemq_gateway_packets_out_total", Map.of("type", "PUBACK")))
                  .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(30));
              assertThat(
                      now.value(
                          "edgemq_gateway_publish_broker_seconds_count",
                          Map.of("outcome", "stored")))
                  .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(30));
              assertThat(now.sum("edgemq_gateway_connections_opened_total"))
                  .isGreaterThanOrEqualTo(2);
              assertThat(now.sum("edgemq_nameserver_brokers")).isEqualTo(1);
              assertThat(now.sum("edgemq_nameserver_topics")).isGreaterThanOrEqualTo(1);
              assertThat(now.sum("edgemq_store_commitlog_written_bytes")).isPositive();
              assertThat(
                      now.value(
                          "edgemq_broker_messages_out_total",
                          Map.of("group", "metrics-group", "topic", "metrics")))
                  .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(20));
              assertThat(
                      now.value(
                          "edgemq_broker_message_body_out_bytes_total",
                          Map.of("group", "metrics-group", "topic", "metrics")))
                  .hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(10 * 9 + 10 * 10));
              assertThat(now.sum("edgemq_broker_pull_seconds_count")).isGreaterThanOrEqualTo(1);
              assertThat(now.sum("edgemq_store_flush_seconds_count")).isGreaterThanOrEqualTo(1);
            });
    assertThat(before.value("edgemq_broker_messages_in_total", topic)).isEmpty();
  }

  @Test
  void shouldCountRetriesAndDeadLettersOfAFailingGroup() throws Exception {
    try (Admin admin =
        Admin.builder()
            .clientConfig(ClientConfig.builder().nameServers(nameServer).build())
            .build()) {
      // one retry after 100 ms, then the dead-letter topic
      admin.setRetryPolicy("failing", 1, List.of(Duration.ofMillis(100)));
    }
    Traffic.publish(mqtt, "dev-f", "failing/dev-f/t", "bad", 3);
    Map<String, String> group = Map.of("group", "failing");
    try (Traffic.Backend backend =
        new Traffic.Backend(
            new String[] {nameServer}, "failing", "failing", ConsumeResult.FAILURE)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Scrape now = Scrape.of(http);
                assertThat(now.value("edgemq_broker_retries_total", group)).contains(3.0);
                assertThat(now.value("edgemq_broker_dead_letters_total", group)).contains(3.0);
              });
    }
    // by now every kind of meter has a series, the dead-letter counter included
    Set<String> used = namesUsedInDeployFiles();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(Scrape.of(http).names()).containsAll(used));
  }

  /** The edgemq_* series the alert rules and the Grafana dashboard query. */
  private static Set<String> namesUsedInDeployFiles() throws IOException {
    Path deploy =
        Path.of(System.getProperty("edgemq.repo.dir", "..")).toAbsolutePath().resolve("deploy");
    Set<String> names = new TreeSet<>();
    for (Path f :
        List.of(
            deploy.resolve("prometheus/alerts.yml"),
            deploy.resolve("grafana/edgemq-dashboard.json"))) {
      Matcher m = Pattern.compile("edgemq_[a-z_]+").matcher(Files.readString(f));
      while (m.find()) {
        names.add(m.group());
      }
    }
    assertThat(names).hasSizeGreaterThan(10);
    return names;
  }
}
