package io.edgemq.nameserver.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.BrokerGroup;
import io.edgemq.protocol.v1.BrokerMember;
import io.edgemq.protocol.v1.BrokerRole;
import io.edgemq.protocol.v1.ClusterInfo;
import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.RouteEntry;
import io.edgemq.protocol.v1.TopicConfig;
import io.edgemq.protocol.v1.TopicRoute;
import io.edgemq.testsupport.MutableClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private final MutableClock clock = new MutableClock();
  private final RouteTable table = new RouteTable(clock, Duration.ofSeconds(120));

  @Test
  void shouldRouteTopicToEveryGroupHoldingItWithQueueCountsAndPermissions() {
    table.register(master("c1", "broker-b", 1, topic("orders", 8, 8, Permission.PERMISSION_READ)));
    table.register(
        master(
            "c1",
            "broker-a",
            1,
            topic("orders", 4, 2, Permission.PERMISSION_READ_WRITE),
            topic("telemetry", 16, 16, Permission.PERMISSION_WRITE)));

    TopicRoute orders = table.route("orders").orElseThrow();
    assertThat(orders.getTopic()).isEqualTo("orders");
    assertThat(orders.getProvisional()).isFalse();
    assertThat(orders.getEntriesList())
        .extracting(e -> e.getBroker().getBrokerName())
        .containsExactly("broker-a", "broker-b");
    RouteEntry onA = orders.getEntries(0);
    assertThat(onA.getWriteQueueCount()).isEqualTo(4);
    assertThat(onA.getReadQueueCount()).isEqualTo(2);
    assertThat(onA.getPermission()).isEqualTo(Permission.PERMISSION_READ_WRITE);
    assertThat(onA.getBroker().getClusterName()).isEqualTo("c1");
    BrokerMember member = onA.getBroker().getMembers(0);
    assertThat(member.getAddress()).isEqualTo(address("broker-a"));
    assertThat(member.getRole()).isEqualTo(BrokerRole.BROKER_ROLE_MASTER);
    assertThat(member.getLastHeartbeatMs()).as("routes carry no heartbeat time").isZero();
    assertThat(orders.getEntries(1).getPermission()).isEqualTo(Permission.PERMISSION_READ);

    assertThat(table.route("telemetry").orElseThrow().getEntriesList())
        .singleElement()
        .satisfies(e -> assertThat(e.getWriteQueueCount()).isEqualTo(16));
    assertThat(table.route("unknown")).isEmpty();
  }

  @Test
  void shouldListClustersBrokersAndTopicNamesSorted() {
    table.register(master("c2", "broker-z", 1, topic("zeta", 1, 1, Permission.PERMISSION_READ)));
    table.register(
        master("c1", "broker-b", 1, topic("beta", 1, 1, Permission.PERMISSION_READ_WRITE)));
    table.register(
        master(
            "c1",
            "broker-a",
            1,
            topic("alpha", 1, 1, Permission.PERMISSION_READ_WRITE),
            topic("%RETRY%g1", 1, 1, Permission.PERMISSION_READ_WRITE)));

    assertThat(table.clusters())
        .extracting(ClusterInfo::getClusterName, ClusterInfo::getBrokerNamesList)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c1", List.of("broker-a", "broker-b")),
            org.assertj.core.groups.Tuple.tuple("c2", List.of("broker-z")));
    assertThat(table.brokers(""))
        .extracting(BrokerGroup::getBrokerName)
        .containsExactly("broker-a", "broker-b", "broker-z");
    assertThat(table.brokers("c2"))
        .extracting(BrokerGroup::getBrokerName)
        .containsExactly("broker-z");
    assertThat(table.brokers("nope")).isEmpty();
    assertThat(table.brokers("").get(0).getMembers(0).getLastHeartbeatMs())
        .isEqualTo(clock.millis());

    assertThat(table.topicNames("", false)).containsExactly("alpha", "beta", "zeta");
    assertThat(table.topicNames("", true)).containsExactly("%RETRY%g1", "alpha", "beta", "zeta");
    assertThat(table.topicNames("c1", false)).containsExactly("alpha", "beta");
    assertThat(table.hasCluster("c1")).isTrue();
    assertThat(table.hasCluster("c3")).isFalse();
  }

  @Test
  void shouldDropRoutesAtOnceWhenUnregistered() {
    BrokerRegistration a =
        master("c1", "broker-a", 1, topic("orders", 4, 4, Permission.PERMISSION_READ_WRITE));
    table.register(a);

    assertThat(table.unregister(a.key())).isTrue();

    assertThat(table.route("orders")).isEmpty();
    assertThat(table.clusters()).isEmpty();
    assertThat(table.unregister(a.key())).as("second time").isFalse();
    assertThat(table.heartbeat(a.key(), 1)).isEqualTo(HeartbeatOutcome.NOT_FOUND);
  }

  @Test
  void shouldReplaceTopicsWhenRegisteredAgainWithNewerVersion() {
    table.register(
        master("c1", "broker-a", 1, topic("old", 4, 4, Permission.PERMISSION_READ_WRITE)));
    BrokerKey key = new BrokerKey("c1", "broker-a", 0);
    assertThat(table.heartbeat(key, 1)).isEqualTo(HeartbeatOutcome.OK);
    // the broker made a topic and this nameserver missed the registration that announced it
    assertThat(table.heartbeat(key, 2)).isEqualTo(HeartbeatOutcome.REGISTER_REQUIRED);

    table.register(
        master(
            "c1",
            "broker-a",
            2,
            topic("old", 8, 8, Permission.PERMISSION_READ),
            topic("new", 2, 2, Permission.PERMISSION_READ_WRITE)));

    assertThat(table.heartbeat(key, 2)).isEqualTo(HeartbeatOutcome.OK);
    assertThat(table.route("new")).isPresent();
    RouteEntry old = table.route("old").orElseThrow().getEntries(0);
    assertThat(old.getWriteQueueCount()).isEqualTo(8);
    assertThat(old.getPermission()).isEqualTo(Permission.PERMISSION_READ);
    assertThat(table.brokers("c1").get(0).getMembersList()).hasSize(1);

    table.register(
        master("c1", "broker-a", 3, topic("new", 2, 2, Permission.PERMISSION_READ_WRITE)));
    assertThat(table.route("old")).as("a registration replaces the whole topic list").isEmpty();
  }

  @Test
  void shouldExpireBrokerSilentForItsTimeoutAndKeepOneThatHeartbeats() {
    BrokerRegistration a =
        master("c1", "broker-a", 1, topic("orders", 4, 4, Permission.PERMISSION_READ_WRITE));
    BrokerRegistration b =
        master("c1", "broker-b", 1, topic("orders", 4, 4, Permission.PERMISSION_READ_WRITE));
    table.register(a);
    table.register(b);

    clock.advance(Duration.ofSeconds(100));
    assertThat(table.heartbeat(b.key(), 1)).isEqualTo(HeartbeatOutcome.OK);
    clock.advance(Duration.ofSeconds(19));
    assertThat(table.expireSilentBrokers()).as("119 s silent").isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(table.expireSilentBrokers()).containsExactly(a.key());

    assertThat(table.route("orders").orElseThrow().getEntriesList())
        .extracting(e -> e.getBroker().getBrokerName())
        .containsExactly("broker-b");
    assertThat(table.heartbeat(a.key(), 1)).isEqualTo(HeartbeatOutcome.NOT_FOUND);
    clock.advance(Duration.ofSeconds(100));
    assertThat(table.expireSilentBrokers()).containsExactly(b.key());
    assertThat(table.route("orders")).isEmpty();
  }

  @Test
  void shouldHonourTheTimeoutTheBrokerRegistered() {
    BrokerRegistration quick =
        new BrokerRegistration(
            new BrokerKey("c1", "broker-q", 0),
            BrokerRole.BROKER_ROLE_MASTER,
            address("broker-q"),
            null,
            null,
            Map.of(),
            1,
            10_000,
            false,
            4);
    table.register(quick);

    clock.advance(Duration.ofSeconds(10));

    assertThat(table.expireSilentBrokers()).containsExactly(quick.key());
  }

  @Test
  void shouldTakeTopicConfigFromMasterAndReportMasterToReplicas() {
    RegisterOutcome replicaFirst =
        table.register(
            member(
                "broker-a",
                1,
                BrokerRole.BROKER_ROLE_REPLICA,
                topic("orders", 2, 2, Permission.PERMISSION_READ)));
    assertThat(replicaFirst.masterAddress()).as("no master yet").isEmpty();
    assertThat(table.route("orders").orElseThrow().getEntries(0).getWriteQueueCount())
        .as("a group without master is still routed")
        .isEqualTo(2);

    table.register(
        member(
            "broker-a",
            0,
            BrokerRole.BROKER_ROLE_MASTER,
            topic("orders", 8, 8, Permission.PERMISSION_READ_WRITE)));
    RegisterOutcome replicaAgain =
        table.register(
            member(
                "broker-a",
                1,
                BrokerRole.BROKER_ROLE_REPLICA,
                topic("orders", 2, 2, Permission.PERMISSION_READ)));

    assertThat(replicaAgain.masterAddress()).contains(address("broker-a-0"));
    assertThat(replicaAgain.masterHaAddress()).contains(haAddress("broker-a-0"));
    RouteEntry entry = table.route("orders").orElseThrow().getEntries(0);
    assertThat(entry.getWriteQueueCount()).isEqualTo(8);
    assertThat(entry.getBroker().getMembersList())
        .extracting(BrokerMember::getBrokerId)
        .containsExactly(0L, 1L);
  }

  @Test
  void shouldOfferProvisionalRouteOfMastersThatCreateTopics() {
    assertThat(table.provisionalRoute("fresh")).isEmpty();
    table.register(master("c1", "broker-a", 1));
    BrokerRegistration auto =
        new BrokerRegistration(
            new BrokerKey("c1", "broker-b", 0),
            BrokerRole.BROKER_ROLE_MASTER,
            address("broker-b"),
            null,
            null,
            Map.of(),
            1,
            0,
            true,
            6);
    table.register(auto);

    TopicRoute route = table.provisionalRoute("fresh").orElseThrow();

    assertThat(route.getProvisional()).isTrue();
    assertThat(route.getEntriesList())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getBroker().getBrokerName()).isEqualTo("broker-b");
              assertThat(e.getWriteQueueCount()).isEqualTo(6);
              assertThat(e.getReadQueueCount()).isEqualTo(6);
              assertThat(e.getPermission()).isEqualTo(Permission.PERMISSION_READ_WRITE);
            });
  }

  @Test
  void shouldRefuseBrokerNameThatBelongsToAnotherCluster() {
    table.register(master("c1", "broker-a", 1));

    RegisterOutcome outcome =
        table.register(
            new BrokerRegistration(
                new BrokerKey("c2", "broker-a", 1),
                BrokerRole.BROKER_ROLE_REPLICA,
                address("x"),
                null,
                null,
                Map.of(),
                1,
                0,
                false,
                4));

    assertThat(outcome.accepted()).isFalse();
    assertThat(outcome.refusal()).contains("c1");
    assertThat(table.clusters()).extracting(ClusterInfo::getClusterName).containsExactly("c1");
  }

  @Test
  void shouldMoveBrokerThatRegistersUnderAnotherClusterName() {
    table.register(master("c1", "broker-a", 1));

    RegisterOutcome outcome = table.register(master("c2", "broker-a", 1));

    assertThat(outcome.accepted()).isTrue();
    assertThat(table.clusters()).extracting(ClusterInfo::getClusterName).containsExactly("c2");
  }

  static BrokerRegistration master(
      String cluster, String broker, long dataVersion, TopicConfig... topics) {
    return new BrokerRegistration(
        new BrokerKey(cluster, broker, 0),
        BrokerRole.BROKER_ROLE_MASTER,
        address(broker),
        null,
        null,
        topics(topics),
        dataVersion,
        0,
        false,
        4);
  }

  static BrokerRegistration member(String broker, long id, BrokerRole role, TopicConfig... topics) {
    String host = broker + "-" + id;
    return new BrokerRegistration(
        new BrokerKey("c1", broker, id),
        role,
        address(host),
        haAddress(host),
        null,
        topics(topics),
        1,
        0,
        false,
        4);
  }

  static Map<String, TopicConfig> topics(TopicConfig... topics) {
    return Arrays.stream(topics)
        .collect(Collectors.toMap(TopicConfig::getTopic, Function.identity()));
  }

  static TopicConfig topic(String name, int write, int read, Permission permission) {
    return TopicConfig.newBuilder()
        .setTopic(name)
        .setWriteQueueCount(write)
        .setReadQueueCount(read)
        .setPermission(permission)
        .build();
  }

  static Address address(String host) {
    return Address.newBuilder().setHost(host).setPort(10911).build();
  }

  static Address haAddress(String host) {
    return Address.newBuilder().setHost(host).setPort(10912).build();
  }
}
