package io.edgemq.client.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.BrokerRole;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.NameServerGrpc;
import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.RegisterBrokerRequest;
import io.edgemq.protocol.v1.TopicConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The route cache against real nameservers, with broker entries registered through their stubs. */
class RouteCacheTest {
  private NameServer ns1;
  private NameServer ns2;
  private Rpc rpc;
  private RouteCache cache;

  @BeforeEach
  void start() throws Exception {
    ns1 = NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC());
    ns2 = NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC());
  }

  private RouteCache cache(Duration refresh, NameServer... servers) {
    ClientConfig.Builder b = ClientConfig.builder().routeRefreshInterval(refresh);
    for (NameServer s : servers) {
      b.nameServers("127.0.0.1:" + s.port());
    }
    rpc = new Rpc(b.build(), "test");
    cache = new RouteCache(rpc);
    return cache;
  }

  @AfterEach
  void stop() {
    if (cache != null) {
      cache.close();
      rpc.close();
    }
    ns1.close();
    ns2.close();
  }

  private static void register(
      NameServer ns, String broker, int port, Permission perm, int queues, String... topics) {
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", ns.port()).usePlaintext().build();
    try {
      RegisterBrokerRequest.Builder req =
          RegisterBrokerRequest.newBuilder()
              .setClusterName("c")
              .setBrokerName(broker)
              .setBrokerId(0)
              .setRole(BrokerRole.BROKER_ROLE_MASTER)
              .setAddress(Address.newBuilder().setHost("127.0.0.1").setPort(port))
              .setDataVersion(System.nanoTime());
      for (String t : topics) {
        req.addTopics(
            TopicConfig.newBuilder()
                .setTopic(t)
                .setWriteQueueCount(queues)
                .setReadQueueCount(queues)
                .setPermission(perm));
      }
      var r = NameServerGrpc.newBlockingStub(ch).registerBroker(req.build());
      assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
    } finally {
      ch.shutdownNow();
      try {
        ch.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void shouldBuildTheRouteViewFromTheNameserver() {
    register(ns1, "broker-a", 1111, Permission.PERMISSION_READ_WRITE, 4, "t");
    register(ns1, "broker-b", 2222, Permission.PERMISSION_READ, 2, "t");
    TopicRouteView route = Calls.join(cache(Duration.ofSeconds(30), ns1).route("t"));
    assertThat(route.brokers().keySet()).containsExactly("broker-a", "broker-b");
    assertThat(route.broker("broker-a").orElseThrow().endpoint())
        .isEqualTo(new Endpoint("127.0.0.1", 1111));
    // broker-b is read-only: no sends go there
    assertThat(route.writableQueues())
        .containsExactly(
            new MessageQueue("t", "broker-a", 0),
            new MessageQueue("t", "broker-a", 1),
            new MessageQueue("t", "broker-a", 2),
            new MessageQueue("t", "broker-a", 3));
    assertThat(route.readableQueues()).hasSize(6);
  }

  @Test
  void shouldRefreshPeriodically() {
    register(ns1, "broker-a", 1111, Permission.PERMISSION_READ_WRITE, 4, "t");
    RouteCache c = cache(Duration.ofMillis(100), ns1);
    assertThat(Calls.join(c.route("t")).brokers()).hasSize(1);
    register(ns1, "broker-b", 2222, Permission.PERMISSION_READ_WRITE, 4, "t");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> c.cached("t").orElseThrow().brokers().size() == 2);
  }

  @Test
  void shouldServeTheCachedRouteWithoutAskingAgain() {
    register(ns1, "broker-a", 1111, Permission.PERMISSION_READ_WRITE, 4, "t");
    RouteCache c = cache(Duration.ofSeconds(30), ns1);
    TopicRouteView first = Calls.join(c.route("t"));
    register(ns1, "broker-b", 2222, Permission.PERMISSION_READ_WRITE, 4, "t");
    assertThat(Calls.join(c.route("t"))).isSameAs(first);
    assertThat(Calls.join(c.refresh("t")).brokers()).hasSize(2);
  }

  @Test
  void shouldAskTheNextNameserverWhenOneIsDown() {
    register(ns2, "broker-a", 1111, Permission.PERMISSION_READ_WRITE, 4, "t");
    RouteCache c = cache(Duration.ofSeconds(30), ns1, ns2);
    ns1.close();
    assertThat(Calls.join(c.route("t")).brokers()).containsKey("broker-a");
  }

  @Test
  void shouldAskTheNextNameserverWhenOneDoesNotKnowTheTopic() {
    register(ns2, "broker-a", 1111, Permission.PERMISSION_READ_WRITE, 4, "t");
    assertThat(Calls.join(cache(Duration.ofSeconds(30), ns1, ns2).route("t")).brokers()).hasSize(1);
  }

  @Test
  void shouldKeepTheCachedRouteWhenARefreshFails() {
    register(ns1, "broker-a", 1111, Permission.PERMISSION_READ_WRITE, 4, "t");
    RouteCache c = cache(Duration.ofSeconds(30), ns1);
    Calls.join(c.route("t"));
    ns1.close();
    assertThatThrownBy(() -> Calls.join(c.refresh("t")))
        .isInstanceOf(ClientException.class)
        .satisfies(e -> assertThat(((ClientException) e).isTransport()).isTrue());
    assertThat(c.cached("t")).isPresent();
  }

  @Test
  void shouldFailWithTopicNotFound() {
    RouteCache c = cache(Duration.ofSeconds(30), ns1, ns2);
    assertThatThrownBy(() -> Calls.join(c.route("nope")))
        .isInstanceOf(ClientException.class)
        .satisfies(e -> assertThat(((ClientException) e).code()).isEqualTo(Code.TOPIC_NOT_FOUND));
    assertThat(List.copyOf(c.topics())).isEmpty();
  }
}
