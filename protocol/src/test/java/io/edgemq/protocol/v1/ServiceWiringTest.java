package io.edgemq.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.protocol.Codes;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated stubs and base classes of all three services wire up over a real (in-process) gRPC
 * transport: one method of each is implemented here, the rest answer UNIMPLEMENTED.
 */
class ServiceWiringTest {

  private Server server;
  private ManagedChannel channel;

  /** Answers QueryRoute with a one-broker route for any topic but "missing". */
  private static final class TestNameServer extends NameServerGrpc.NameServerImplBase {
    @Override
    public void queryRoute(
        QueryRouteRequest request, StreamObserver<QueryRouteResponse> responseObserver) {
      QueryRouteResponse.Builder answer = QueryRouteResponse.newBuilder();
      if (request.getTopic().equals("missing")) {
        answer.setStatus(Codes.status(io.edgemq.protocol.v1.Code.TOPIC_NOT_FOUND, "missing"));
      } else {
        BrokerMember master =
            BrokerMember.newBuilder()
                .setBrokerId(0)
                .setRole(BrokerRole.BROKER_ROLE_MASTER)
                .setAddress(Address.newBuilder().setHost("127.0.0.1").setPort(10911))
                .build();
        answer
            .setStatus(Codes.ok())
            .setRoute(
                TopicRoute.newBuilder()
                    .setTopic(request.getTopic())
                    .addEntries(
                        RouteEntry.newBuilder()
                            .setBroker(
                                BrokerGroup.newBuilder()
                                    .setClusterName("c1")
                                    .setBrokerName("b1")
                                    .addMembers(master))
                            .setWriteQueueCount(4)
                            .setReadQueueCount(4)
                            .setPermission(Permission.PERMISSION_READ_WRITE)));
      }
      responseObserver.onNext(answer.build());
      responseObserver.onCompleted();
    }
  }

  /** Answers Send with a receipt that echoes the topic and the requested queue. */
  private static final class TestBroker extends BrokerGrpc.BrokerImplBase {
    @Override
    public void send(SendRequest request, StreamObserver<SendResponse> responseObserver) {
      SendReceipt receipt =
          SendReceipt.newBuilder()
              .setMessageId("0123456789abcdef0123456789abcdef")
              .setQueue(
                  MessageQueue.newBuilder()
                      .setTopic(request.getMessage().getTopic())
                      .setBrokerName("b1")
                      .setQueueId(request.hasQueueId() ? request.getQueueId() : 0))
              .setQueueOffset(41)
              .build();
      responseObserver.onNext(
          SendResponse.newBuilder().setStatus(Codes.ok()).setReceipt(receipt).build());
      responseObserver.onCompleted();
    }
  }

  /** Answers GetTopic with a fixed configuration. */
  private static final class TestAdmin extends AdminGrpc.AdminImplBase {
    @Override
    public void getTopic(GetTopicRequest request, StreamObserver<GetTopicResponse> observer) {
      observer.onNext(
          GetTopicResponse.newBuilder()
              .setStatus(Codes.ok())
              .setTopic(
                  TopicConfig.newBuilder()
                      .setTopic(request.getTopic())
                      .setWriteQueueCount(8)
                      .setReadQueueCount(8)
                      .setPermission(Permission.PERMISSION_READ))
              .build());
      observer.onCompleted();
    }
  }

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new TestNameServer())
            .addService(new TestBroker())
            .addService(new TestAdmin())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    assertThat(channel.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(server.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void shouldQueryARouteThroughTheNameServerStub() {
    NameServerGrpc.NameServerBlockingStub nameServer = NameServerGrpc.newBlockingStub(channel);

    QueryRouteResponse found =
        nameServer.queryRoute(QueryRouteRequest.newBuilder().setTopic("telemetry").build());
    QueryRouteResponse missing =
        nameServer.queryRoute(QueryRouteRequest.newBuilder().setTopic("missing").build());

    assertThat(Codes.isOk(found.getStatus())).isTrue();
    assertThat(found.getRoute().getTopic()).isEqualTo("telemetry");
    assertThat(found.getRoute().getEntries(0).getBroker().getMembers(0).getAddress().getPort())
        .isEqualTo(10911);
    assertThat(missing.getStatus().getCode()).isEqualTo(io.edgemq.protocol.v1.Code.TOPIC_NOT_FOUND);
    assertThat(missing.hasRoute()).isFalse();
  }

  @Test
  void shouldSendThroughTheBrokerFutureStub()
      throws InterruptedException, ExecutionException, TimeoutException {
    BrokerGrpc.BrokerFutureStub broker = BrokerGrpc.newFutureStub(channel);
    SendRequest request =
        SendRequest.newBuilder()
            .setMessage(Message.newBuilder().setTopic("telemetry").setTag("temp"))
            .setQueueId(2)
            .build();

    SendResponse response = broker.send(request).get(5, TimeUnit.SECONDS);

    assertThat(Codes.isOk(response.getStatus())).isTrue();
    assertThat(response.getReceipt().getQueue().getTopic()).isEqualTo("telemetry");
    assertThat(response.getReceipt().getQueue().getQueueId()).isEqualTo(2);
    assertThat(response.getReceipt().getQueueOffset()).isEqualTo(41);
  }

  @Test
  void shouldGetATopicThroughTheAdminStub() {
    AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(channel);

    GetTopicResponse response =
        admin.getTopic(GetTopicRequest.newBuilder().setTopic("telemetry").build());

    assertThat(response.getTopic().getTopic()).isEqualTo("telemetry");
    assertThat(response.getTopic().getPermission()).isEqualTo(Permission.PERMISSION_READ);
  }

  @Test
  void shouldAnswerUnimplementedForAnRpcTheServerDoesNotOverride() {
    BrokerGrpc.BrokerBlockingStub broker = BrokerGrpc.newBlockingStub(channel);

    assertThatThrownBy(() -> broker.pull(PullRequest.newBuilder().setTopic("telemetry").build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Code.UNIMPLEMENTED));
  }

  @Test
  void shouldServeUnderTheEdgemqV1ServiceNames() {
    assertThat(NameServerGrpc.SERVICE_NAME).isEqualTo("edgemq.v1.NameServer");
    assertThat(BrokerGrpc.SERVICE_NAME).isEqualTo("edgemq.v1.Broker");
    assertThat(AdminGrpc.SERVICE_NAME).isEqualTo("edgemq.v1.Admin");
    assertThat(BrokerGrpc.getSendMethod().getFullMethodName()).isEqualTo("edgemq.v1.Broker/Send");
    assertThat(server.getServices())
        .extracting(s -> s.getServiceDescriptor().getName())
        .containsExactlyInAnyOrder("edgemq.v1.NameServer", "edgemq.v1.Broker", "edgemq.v1.Admin");
  }
}
