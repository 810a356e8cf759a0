package io.edgemq.broker.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.broker.TestBroker;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import io.edgemq.protocol.v1.BrokerRole;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.NameServerGrpc;
import io.edgemq.protocol.v1.QueryRouteRequest;
import io.edgemq.protocol.v1.QueryRouteResponse;
import io.edgemq.protocol.v1.RouteEntry;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationTest {
  @TempDir Path dir;

  private static int deadPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static QueryRouteResponse route(NameServerGrpc.NameServerBlockingStub ns, String topic) {
    return ns.withDeadlineAfter(5, TimeUnit.SECONDS)
        .queryRoute(QueryRouteRequest.newBuilder().setTopic(topic).build());
  }

  @Test
  void shouldRegisterTopicsWithEveryLiveNameserverAndUnregisterOnClose() throws Exception {
    try (NameServer nameServer =
        NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC())) {
      ManagedChannel ch =
          NettyChannelBuilder.forAddress("127.0.0.1", nameServer.port()).usePlaintext().build();
      try {
        NameServerGrpc.NameServerBlockingStub ns = NameServerGrpc.newBlockingStub(ch);
        List<InetSocketAddress> servers =
            List.of(
                new InetSocketAddress("127.0.0.1", deadPort()),
                new InetSocketAddress("127.0.0.1", nameServer.port()));
        TestBroker b =
            TestBroker.start(
                dir,
                Clock.systemUTC(),
                c ->
                    c.brokerName("broker-x")
                        .clusterName("c1")
                        .nameServers(servers)
                        .heartbeatInterval(Duration.ofSeconds(1)));
        try {
          b.createTopic("telemetry", 6);
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> route(ns, "telemetry").getStatus().getCode() == Code.OK);
          RouteEntry e = route(ns, "telemetry").getRoute().getEntries(0);
          assertThat(e.getBroker().getBrokerName()).isEqualTo("broker-x");
          assertThat(e.getBroker().getClusterName()).isEqualTo("c1");
          assertThat(e.getWriteQueueCount()).isEqualTo(6);
          assertThat(e.getReadQueueCount()).isEqualTo(6);
          assertThat(e.getBroker().getMembers(0).getRole())
              .isEqualTo(BrokerRole.BROKER_ROLE_MASTER);
          assertThat(e.getBroker().getMembers(0).getAddress().getPort()).isEqualTo(b.broker.port());

          // A topic created later reaches the nameserver without waiting for a restart.
          b.createTopic("commands", 2);
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> route(ns, "commands").getStatus().getCode() == Code.OK);
        } finally {
          b.close();
        }
        assertThat(route(ns, "telemetry").getStatus().getCode()).isEqualTo(Code.TOPIC_NOT_FOUND);
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
