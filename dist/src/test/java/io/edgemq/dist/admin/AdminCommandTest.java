package io.edgemq.dist.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.dist.process.InProcessStandalone;
import io.edgemq.dist.process.Traffic;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgemq admin} against a running standalone server. */
class AdminCommandTest {
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
  void shouldListTheBrokerAsATableAndAsJson() {
    AdminRun table = admin("brokers");
    AdminRun json = admin("brokers", "--json");

    assertThat(table.status()).isZero();
    assertThat(table.out().lines()).containsExactly("BROKER", "broker-a");
    assertThat(json.json()).containsExactly(Map.of("broker", "broker-a"));
  }

  @Test
  void shouldCreateUpdateShowAndDeleteATopic() {
    assertThat(admin("topics", "create", "orders", "--queues", "3").status()).isZero();
    assertThat(
            admin("topics", "update", "orders", "--write-queues", "4", "--read-queues", "4")
                .status())
        .isZero();

    List<Map<String, Object>> got = admin("topics", "get", "orders", "--json").json();
    assertThat(got)
        .containsExactly(
            Map.of(
                "topic", "orders",
                "broker", "broker-a",
                "write_queues", 4,
                "read_queues", 4,
                "permission", "READ_WRITE"));
    assertThat(admin("topics", "list").out()).contains("orders");

    assertThat(admin("topics", "delete", "orders").status()).isZero();
    assertThat(admin("topics", "list").out()).doesNotContain("orders");
  }

  @Test
  void shouldRefuseADuplicateTopicWithOneLineAndStatus1() {
    assertThat(admin("topics", "create", "dup").status()).isZero();

    AdminRun again = admin("topics", "create", "dup");

    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err()).startsWith("edgemq admin: ").contains("ALREADY_EXISTS");
    assertThat(again.err().lines()).hasSize(1);
  }

  @Test
  void shouldSendFindByIdAndKeyShowLagAndResetOffsets() {
    AdminRun sent =
        admin("send", "admin-t", "hello", "--tag", "t1", "--keys", "dev-9", "-p", "a=b", "--json");
    assertThat(sent.status()).as(sent.err()).isZero();
    String id = (String) sent.json().get(0).get("id");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Map<String, Object> byId = admin("message", "id", id, "--json").json().get(0);
              assertThat(byId).containsEntry("body", "hello").containsEntry("tag", "t1");
              assertThat(byId.get("properties")).isEqualTo(Map.of("a", "b"));
              assertThat(admin("message", "key", "admin-t", "dev-9", "--json").json())
                  .extracting(m -> m.get("id"))
                  .containsExactly(id);
            });

    // a consumer group reads it, falls behind by two, and is reset to re-read everything
    try (Traffic.Backend backend =
        new Traffic.Backend(new String[] {server.nameServer()}, "admin-g", "admin-t")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> backend.bodies().contains("hello"));
    }
    admin("send", "admin-t", "two");
    admin("send", "admin-t", "three");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(admin("groups", "lag", "admin-g", "admin-t").out())
                    .containsPattern("total\\s+2"));
    assertThat(admin("groups", "list").out()).contains("admin-g");

    AdminRun reset = admin("groups", "reset", "admin-g", "admin-t", "--to", "EARLIEST", "--json");
    assertThat(reset.status()).as(reset.err()).isZero();
    assertThat(reset.json()).isNotEmpty().allSatisfy(q -> assertThat(q.get("offset")).isEqualTo(0));
    assertThat(admin("groups", "lag", "admin-g", "admin-t").out()).containsPattern("total\\s+3");
  }

  @Test
  void shouldResetOffsetsToATimeAndListATimeRange() {
    assertThat(admin("topics", "create", "timed", "--queues", "1").status()).isZero();
    assertThat(admin("groups", "create", "timed-g").status()).isZero();
    List<String> ids = new ArrayList<>();
    for (String body : List.of("t-0", "t-1", "t-2", "t-3")) {
      AdminRun sent = admin("send", "timed", body, "--json");
      assertThat(sent.status()).as(sent.err()).isZero();
      ids.add((String) sent.json().get(0).get("id"));
    }
    List<Instant> stored = new ArrayList<>();
    for (String id : ids) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> admin("message", "id", id, "--json").status() == 0);
      stored.add(
          Instant.parse((String) admin("message", "id", id, "--json").json().get(0).get("stored")));
    }
    Instant t2 = stored.get(2);
    long olderThanT2 = stored.stream().filter(t -> t.isBefore(t2)).count();

    AdminRun reset =
        admin("groups", "reset", "timed-g", "timed", "--to-time", t2.toString(), "--json");
    assertThat(reset.status()).as(reset.err()).isZero();
    assertThat(reset.json())
        .containsExactly(Map.of("broker", "broker-a", "queue", 0, "offset", (int) olderThanT2));
    assertThat(admin("groups", "lag", "timed-g", "timed").out())
        .containsPattern("total\\s+" + (4 - olderThanT2));

    AdminRun range = admin("message", "range", "timed", "--begin", t2.toString(), "--json");
    assertThat(range.status()).as(range.err()).isZero();
    assertThat(range.json())
        .extracting(m -> m.get("body"))
        .containsExactlyElementsOf(
            List.of("t-0", "t-1", "t-2", "t-3").subList((int) olderThanT2, 4));
    assertThat(
            admin(
                    "message",
                    "range",
                    "timed",
                    "--begin",
                    stored.get(0).toString(),
                    "--max",
                    "2",
                    "--json")
                .json())
        .extracting(m -> m.get("body"))
        .containsExactly("t-0", "t-1");
    assertThat(
            admin(
                    "message",
                    "range",
                    "timed",
                    "--begin",
                    t2.toString(),
                    "--end",
                    stored.get(0).toString())
                .status())
        .isEqualTo(1); // end before begin: the broker's BAD_REQUEST
  }

  @Test
  void shouldRefuseAResetWithoutOrWithTwoTargets() {
    assertThat(admin("groups", "reset", "g", "t").status()).isEqualTo(2);
    assertThat(
            admin(
                    "groups",
                    "reset",
                    "g",
                    "t",
                    "--to",
                    "EARLIEST",
                    "--to-time",
                    "2026-01-01T00:00:00Z")
                .status())
        .isEqualTo(2);
    assertThat(admin("groups", "reset", "g", "t", "--to-time", "yesterday").status()).isEqualTo(2);
  }

  @Test
  void shouldStopAndResumeAGroupsConsumption() {
    assertThat(admin("send", "stop-t", "one").status()).isZero();
    try (Traffic.Backend backend =
        new Traffic.Backend(new String[] {server.nameServer()}, "stop-g", "stop-t")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> backend.bodies().contains("one"));

      AdminRun disabled = admin("groups", "disable", "stop-g", "--json");
      assertThat(disabled.status()).as(disabled.err()).isZero();
      assertThat(disabled.json())
          .containsExactly(Map.of("group", "stop-g", "consumption", "disabled"));
      assertThat(admin("groups", "list", "--json").json())
          .contains(Map.of("group", "stop-g", "consumption", "disabled"));
      assertThat(admin("send", "stop-t", "two").status()).isZero();
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !backend.bodies().contains("two"));
      assertThat(admin("groups", "lag", "stop-g", "stop-t").out()).containsPattern("total\\s+1");

      assertThat(admin("groups", "enable", "stop-g", "--json").json())
          .containsExactly(Map.of("group", "stop-g", "consumption", "enabled"));
      await().atMost(Duration.ofSeconds(30)).until(() -> backend.bodies().contains("two"));
    }
  }

  @Test
  void shouldSayWhichMessageIdIsNotFound() {
    AdminRun r = admin("message", "id", "00000000000000000000000000000000");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out().lines()).hasSize(1); // the header only
    assertThat(r.err()).contains("no message with id 00000000000000000000000000000000");
  }
}
