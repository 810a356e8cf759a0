package io.edgemq.nameserver.api;

import static io.edgemq.nameserver.api.BrokerRequests.register;
import static io.edgemq.nameserver.api.BrokerRequests.topic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.GetKvConfigRequest;
import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.PutKvConfigRequest;
import io.edgemq.protocol.v1.QueryRouteRequest;
import io.edgemq.protocol.v1.RegisterBrokerRequest;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class PeerNameServersTest {

  @Test
  void shouldServeRoutesFromEachPeerIndependently() throws Exception {
    try (RunningNameServer first = RunningNameServer.start();
        RunningNameServer second = RunningNameServer.start()) {
      RegisterBrokerRequest broker =
          register(
              "edge", "broker-a", 1, topic("telemetry", 4, 4, Permission.PERMISSION_READ_WRITE));
      // a broker registers with every configured nameserver
      assertThat(first.stub().registerBroker(broker).getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(second.stub().registerBroker(broker).getStatus().getCode()).isEqualTo(Code.OK);
      // peers share nothing: KV written to one is not on the other
      first
          .stub()
          .putKvConfig(
              PutKvConfigRequest.newBuilder().setNamespace("n").setKey("k").setValue("v").build());
      assertThat(
              second
                  .stub()
                  .getKvConfig(
                      GetKvConfigRequest.newBuilder().setNamespace("n").setKey("k").build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.CONFIG_NOT_FOUND);

      first.server.close();

      // a client with both addresses survives one going down
      QueryRouteRequest query = QueryRouteRequest.newBuilder().setTopic("telemetry").build();
      assertThatThrownBy(() -> first.stub().queryRoute(query))
          .isInstanceOf(StatusRuntimeException.class);
      assertThat(
              second.stub().queryRoute(query).getRoute().getEntries(0).getBroker().getBrokerName())
          .isEqualTo("broker-a");
    }
  }

  @Test
  void shouldCloseIdempotently() throws Exception {
    RunningNameServer ns = RunningNameServer.start();
    ns.close();
    ns.server.close();
  }
}
