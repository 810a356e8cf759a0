package io.edgemq.nameserver.api;

import static io.edgemq.nameserver.api.BrokerRequests.heartbeat;
import static io.edgemq.nameserver.api.BrokerRequests.register;
import static io.edgemq.nameserver.api.BrokerRequests.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.protocol.v1.BrokerGroup;
import io.edgemq.protocol.v1.BrokerHeartbeatResponse;
import io.edgemq.protocol.v1.BrokerRole;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.ListBrokersRequest;
import io.edgemq.protocol.v1.ListBrokersResponse;
import io.edgemq.protocol.v1.ListClustersRequest;
import io.edgemq.protocol.v1.ListTopicNamesRequest;
import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.QueryRouteRequest;
import io.edgemq.protocol.v1.QueryRouteResponse;
import io.edgemq.protocol.v1.RegisterBrokerRequest;
import io.edgemq.protocol.v1.RegisterBrokerResponse;
import io.edgemq.protocol.v1.RouteEntry;
import io.edgemq.protocol.v1.UnregisterBrokerRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouteRpcTest {
  private RunningNameServer ns;

  @BeforeEach
  void start() throws Exception {
    ns = RunningNameServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    ns.close();
  }

  @Test
  void shouldServeBrokerLifeCycleFromRegistrationToExpiry() {
    RegisterBrokerResponse registered =
        ns.stub()
            .registerBroker(
                register(
                    "edge",
                    "broker-a",
                    1,
                    topic("telemetry", 8, 8, Permission.PERMISSION_READ_WRITE),
                    topic("%RETRY%backend", 1, 1, Permission.PERMISSION_READ_WRITE)));
    assertThat(registered.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(registered.getMasterAddress().getHost()).isEqualTo("broker-a.local");
    assertThat(registered.getMasterHaAddress().getPort()).isEqualTo(10912);
    assertThat(
            ns.stub()
                .registerBroker(
                    register(
                        "edge",
                        "broker-b",
                        1,
                        topic("telemetry", 4, 2, Permission.PERMISSION_READ)))
                .getStatus()
                .getCode())
        .isEqualTo(Code.OK);

    ns.clock.advance(Duration.ofSeconds(60));
    assertThat(ns.stub().brokerHeartbeat(heartbeat("edge", "broker-a", 1)))
        .satisfies(
            h -> {
              assertThat(h.getStatus().getCode()).isEqualTo(Code.OK);
              assertThat(h.getRegisterRequired()).isFalse();
            });

    QueryRouteResponse route =
        ns.stub().queryRoute(QueryRouteRequest.newBuilder().setTopic("telemetry").build());
    assertThat(route.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(route.getRoute().getEntriesList())
        .extracting(
            e -> e.getBroker().getBrokerName(),
            RouteEntry::getWriteQueueCount,
            RouteEntry::getReadQueueCount,
            RouteEntry::getPermission)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("broker-a", 8, 8, Permission.PERMISSION_READ_WRITE),
            org.assertj.core.groups.Tuple.tuple("broker-b", 4, 2, Permission.PERMISSION_READ));
    assertThat(route.getRoute().getEntries(0).getBroker().getMembers(0).getRole())
        .isEqualTo(BrokerRole.BROKER_ROLE_MASTER);

    assertThat(ns.stub().listClusters(ListClustersRequest.getDefaultInstance()).getClustersList())
        .singleElement()
        .satisfies(c -> assertThat(c.getBrokerNamesList()).containsExactly("broker-a", "broker-b"));
    ListBrokersResponse brokers =
        ns.stub().listBrokers(ListBrokersRequest.newBuilder().setClusterName("edge").build());
    assertThat(brokers.getBrokersList())
        .extracting(g -> g.getMembers(0).getLastHeartbeatMs())
        .containsExactly(ns.clock.millis(), ns.clock.millis() - 60_000);
    assertThat(
            ns.stub()
                .listTopicNames(
                    ListTopicNamesRequest.newBuilder().setIncludeSystemTopics(true).build())
                .getTopicsList())
        .containsExactly("%RETRY%backend", "telemetry");
    assertThat(ns.stub().listTopicNames(ListTopicNamesRequest.getDefaultInstance()).getTopicsList())
        .containsExactly("telemetry");

    // broker-b has been silent for 120 s now, broker-a for 60 s
    ns.clock.advance(Duration.ofSeconds(60));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        ns.stub()
                            .listBrokers(ListBrokersRequest.getDefaultInstance())
                            .getBrokersList())
                    .extracting(BrokerGroup::getBrokerName)
                    .containsExactly("broker-a"));
    assertThat(
            ns.stub()
                .queryRoute(QueryRouteRequest.newBuilder().setTopic("telemetry").build())
                .getRoute()
                .getEntriesCount())
        .isEqualTo(1);

    BrokerHeartbeatResponse late = ns.stub().brokerHeartbeat(heartbeat("edge", "broker-b", 1));
    assertThat(late.getStatus().getCode()).isEqualTo(Code.BROKER_NOT_FOUND);
    assertThat(late.getRegisterRequired()).isTrue();
  }

  @Test
  void shouldAskForRegistrationWhenHeartbeatCarriesAnotherDataVersion() {
    ns.stub().registerBroker(register("edge", "broker-a", 1));

    BrokerHeartbeatResponse response = ns.stub().brokerHeartbeat(heartbeat("edge", "broker-a", 2));

    assertThat(response.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(response.getRegisterRequired()).isTrue();
  }

  @Test
  void shouldDropRoutesAtOnceOnUnregister() {
    ns.stub()
        .registerBroker(
            register("edge", "broker-a", 1, topic("t", 1, 1, Permission.PERMISSION_READ_WRITE)));
    UnregisterBrokerRequest unregister =
        UnregisterBrokerRequest.newBuilder()
            .setClusterName("edge")
            .setBrokerName("broker-a")
            .build();

    assertThat(ns.stub().unregisterBroker(unregister).getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(
            ns.stub()
                .queryRoute(QueryRouteRequest.newBuilder().setTopic("t").build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.TOPIC_NOT_FOUND);
    assertThat(ns.stub().unregisterBroker(unregister).getStatus().getCode())
        .isEqualTo(Code.BROKER_NOT_FOUND);
  }

  @Test
  void shouldAnswerTopicNotFoundAndIllegalTopic() {
    QueryRouteResponse unknown =
        ns.stub().queryRoute(QueryRouteRequest.newBuilder().setTopic("nobody-has-it").build());
    assertThat(unknown.getStatus().getCode()).isEqualTo(Code.TOPIC_NOT_FOUND);
    assertThat(unknown.hasRoute()).isFalse();

    assertThat(
            ns.stub()
                .queryRoute(QueryRouteRequest.newBuilder().setTopic("bad/topic").build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.ILLEGAL_TOPIC);
    assertThat(ns.stub().queryRoute(QueryRouteRequest.getDefaultInstance()).getStatus().getCode())
        .isEqualTo(Code.ILLEGAL_TOPIC);
    assertThat(
            ns.stub()
                .queryRoute(QueryRouteRequest.newBuilder().setTopic("x".repeat(128)).build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.ILLEGAL_TOPIC);
  }

  @Test
  void shouldAnswerUnknownTopicWithProvisionalRouteWhenAMasterCreatesTopics() {
    ns.stub()
        .registerBroker(
            register("edge", "broker-a", 1).toBuilder().setAutoCreateTopics(true).build());

    QueryRouteResponse response =
        ns.stub().queryRoute(QueryRouteRequest.newBuilder().setTopic("fresh").build());

    assertThat(response.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(response.getRoute().getProvisional()).isTrue();
    assertThat(response.getRoute().getEntries(0).getWriteQueueCount()).as("0 means 4").isEqualTo(4);
    assertThat(
            ns.stub()
                .queryRoute(QueryRouteRequest.newBuilder().setTopic("%DLQ%g").build())
                .getStatus()
                .getCode())
        .as("system topics are not created by a first send")
        .isEqualTo(Code.TOPIC_NOT_FOUND);
  }

  @Test
  void shouldAnswerClusterNotFoundForUnknownClusterFilter() {
    ns.stub().registerBroker(register("edge", "broker-a", 1));

    assertThat(
            ns.stub()
                .listBrokers(ListBrokersRequest.newBuilder().setClusterName("core").build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.CLUSTER_NOT_FOUND);
    assertThat(
            ns.stub()
                .listTopicNames(ListTopicNamesRequest.newBuilder().setClusterName("core").build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.CLUSTER_NOT_FOUND);
    assertThat(ns.stub().listBrokers(ListBrokersRequest.getDefaultInstance()).getStatus().getCode())
        .isEqualTo(Code.OK);
  }

  @Test
  void shouldRefuseInvalidRegistrationsWithTheDocumentedCodes() {
    RegisterBrokerRequest valid = register("edge", "broker-a", 1);

    assertThat(code(valid.toBuilder().clearClusterName().build())).isEqualTo(Code.BAD_REQUEST);
    assertThat(code(valid.toBuilder().clearBrokerName().build())).isEqualTo(Code.BAD_REQUEST);
    assertThat(code(valid.toBuilder().setBrokerId(-1).build())).isEqualTo(Code.BAD_REQUEST);
    assertThat(code(valid.toBuilder().clearRole().build())).isEqualTo(Code.BAD_REQUEST);
    assertThat(code(valid.toBuilder().setRoleValue(99).build())).isEqualTo(Code.BAD_REQUEST);
    assertThat(code(valid.toBuilder().clearAddress().build())).isEqualTo(Code.BAD_REQUEST);
    assertThat(code(valid.toBuilder().setHeartbeatTimeoutMs(-5).build()))
        .isEqualTo(Code.BAD_REQUEST);
    assertThat(
            code(
                valid.toBuilder()
                    .addTopics(topic("a b", 1, 1, Permission.PERMISSION_READ))
                    .build()))
        .isEqualTo(Code.ILLEGAL_TOPIC);
    assertThat(
            code(
                valid.toBuilder()
                    .addTopics(topic("ok", 2000, 1, Permission.PERMISSION_READ))
                    .build()))
        .isEqualTo(Code.BAD_REQUEST);
    assertThat(ns.stub().listClusters(ListClustersRequest.getDefaultInstance()).getClustersCount())
        .as("nothing refused was registered")
        .isZero();
    assertThat(code(valid)).isEqualTo(Code.OK);
  }

  @Test
  void shouldGiveCreateDefaultsToZeroCountsAndUnsetPermission() {
    ns.stub()
        .registerBroker(
            register("edge", "broker-a", 1).toBuilder()
                .addTopics(topic("t", 0, 0, Permission.PERMISSION_UNSPECIFIED))
                .build());

    RouteEntry entry =
        ns.stub()
            .queryRoute(QueryRouteRequest.newBuilder().setTopic("t").build())
            .getRoute()
            .getEntries(0);

    assertThat(entry.getWriteQueueCount()).isEqualTo(4);
    assertThat(entry.getReadQueueCount()).isEqualTo(4);
    assertThat(entry.getPermission()).isEqualTo(Permission.PERMISSION_READ_WRITE);
  }

  private Code code(RegisterBrokerRequest request) {
    return ns.stub().registerBroker(request).getStatus().getCode();
  }
}
