package io.edgemq.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.edgemq.broker.api.Broker;
import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.rpc.SendStream;
import io.edgemq.nameserver.api.NameServer;
import io.edgemq.nameserver.api.NameServerConfig;
import io.edgemq.protocol.v1.BrokerGrpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The producer's send stream against a real broker: many sends in flight, and a broker that dies.
 */
class SendStreamIntegrationTest {
  @TempDir Path dir;

  private static SendRequest send(String topic, int queue, String body) {
    return SendRequest.newBuilder()
        .setQueueId(queue)
        .setMessage(
            Message.newBuilder().setTopic(topic).setBody(ByteString.copyFromUtf8(body)).build())
        .build();
  }

  @Test
  void answersEverySendInFlightWithItsOwnReceipt() throws Exception {
    try (Cluster cluster = new Cluster(dir, 1)) {
      Fixtures.createTopic(cluster, "stream", 2);
      Broker b = cluster.brokers.get(0);
      ManagedChannel ch =
          ManagedChannelBuilder.forAddress("127.0.0.1", b.port()).usePlaintext().build();
      try (SendStream s = new SendStream(BrokerGrpc.newStub(ch), Duration.ofSeconds(10))) {
        List<CompletableFuture<SendResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
          futures.add(s.send(send("stream", i % 2, "m" + i)));
        }
        Set<String> positions = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<SendResponse> f : futures) {
          SendResponse r = f.get(10, TimeUnit.SECONDS);
          assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
          positions.add(
              r.getReceipt().getQueue().getQueueId() + "/" + r.getReceipt().getQueueOffset());
          ids.add(r.getReceipt().getMessageId());
        }
        // one answer per request, matched by id: no receipt twice, none lost
        assertThat(positions).hasSize(2000);
        assertThat(ids).hasSize(2000);
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void coalescesSendsFromManyThreadsWithoutLosingOrMixingUpAnyAnswer() throws Exception {
    try (Cluster cluster = new Cluster(dir, 1)) {
      Fixtures.createTopic(cluster, "busy", 2);
      Broker b = cluster.brokers.get(0);
      ManagedChannel ch =
          ManagedChannelBuilder.forAddress("127.0.0.1", b.port()).usePlaintext().build();
      int threads = 8;
      int each = 500;
      var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      try (SendStream s = new SendStream(BrokerGrpc.newStub(ch), Duration.ofSeconds(20))) {
        List<CompletableFuture<List<CompletableFuture<SendResponse>>>> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int thread = t;
          senders.add(
              CompletableFuture.supplyAsync(
                  () -> {
                    List<CompletableFuture<SendResponse>> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                      mine.add(s.send(send("busy", i % 2, thread + ":" + i)));
                    }
                    return mine;
                  },
                  pool));
        }
        Set<String> positions = new HashSet<>();
        for (var sender : senders) {
          for (CompletableFuture<SendResponse> f : sender.get(20, TimeUnit.SECONDS)) {
            SendResponse r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
            positions.add(
                r.getReceipt().getQueue().getQueueId() + "/" + r.getReceipt().getQueueOffset());
          }
        }
        assertThat(positions).hasSize(threads * each);
        // every position 0..1999 of both queues was answered to exactly one send
        for (int q = 0; q < 2; q++) {
          for (int o = 0; o < threads * each / 2; o++) {
            assertThat(positions).contains(q + "/" + o);
          }
        }
      } finally {
        pool.shutdownNow();
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void failsSendsThatGetNoAnswerWithinTheTimeoutAsRetryable() throws Exception {
    // a broker stand-in that takes every send and never answers
    io.grpc.Server silent =
        io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
                new java.net.InetSocketAddress("127.0.0.1", 0))
            .addService(
                new BrokerGrpc.BrokerImplBase() {
                  @Override
                  public io.grpc.stub.StreamObserver<io.edgemq.protocol.v1.SendStreamRequest>
                      sendStream(
                          io.grpc.stub.StreamObserver<io.edgemq.protocol.v1.SendStreamResponse>
                              out) {
                    return new io.grpc.stub.StreamObserver<>() {
                      @Override
                      public void onNext(io.edgemq.protocol.v1.SendStreamRequest r) {}

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {}
                    };
                  }
                })
            .build()
            .start();
    ManagedChannel ch =
        ManagedChannelBuilder.forAddress("127.0.0.1", silent.getPort()).usePlaintext().build();
    try (SendStream s = new SendStream(BrokerGrpc.newStub(ch), Duration.ofMillis(300))) {
      for (int round = 0; round < 2; round++) {
        long t0 = System.nanoTime();
        List<CompletableFuture<SendResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          futures.add(s.send(send("t", 0, "m" + i)));
        }
        for (CompletableFuture<SendResponse> f : futures) {
          assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
              .cause()
              .isInstanceOfSatisfying(
                  ClientException.class,
                  e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e).hasMessageContaining("no answer from the broker within 300 ms");
                  });
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // not before the timeout; late by at most a sweep or two on a busy machine
        assertThat(ms).as("round %d", round).isBetween(300L, 3_000L);
      }
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      silent.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aStreamMessageWithoutSendsEndsTheStreamWithInvalidArgument() throws Exception {
    try (Cluster cluster = new Cluster(dir, 1)) {
      Broker b = cluster.brokers.get(0);
      ManagedChannel ch =
          ManagedChannelBuilder.forAddress("127.0.0.1", b.port()).usePlaintext().build();
      try {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        var requests =
            BrokerGrpc.newStub(ch)
                .sendStream(
                    new io.grpc.stub.StreamObserver<>() {
                      @Override
                      public void onNext(io.edgemq.protocol.v1.SendStreamResponse r) {}

                      @Override
                      public void onError(Throwable t) {
                        ended.complete(t);
                      }

                      @Override
                      public void onCompleted() {
                        ended.complete(null);
                      }
                    });
        requests.onNext(io.edgemq.protocol.v1.SendStreamRequest.getDefaultInstance());
        Throwable t = ended.get(10, TimeUnit.SECONDS);
        assertThat(io.grpc.Status.fromThrowable(t).getCode())
            .isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
        assertThat(t).hasMessageContaining("1-1024 sends, not 0");
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aBrokerThatStopsFailsTheSendsAsRetryableTransportErrorsNotTimeouts() throws Exception {
    try (Cluster cluster = new Cluster(dir, 1)) {
      Fixtures.createTopic(cluster, "gone", 1);
      Broker b = cluster.brokers.get(0);
      ManagedChannel ch =
          ManagedChannelBuilder.forAddress("127.0.0.1", b.port()).usePlaintext().build();
      try (SendStream s = new SendStream(BrokerGrpc.newStub(ch), Duration.ofSeconds(30))) {
        assertThat(
                s.send(send("gone", 0, "before")).get(10, TimeUnit.SECONDS).getStatus().getCode())
            .isEqualTo(Code.OK);
        b.close();
        long start = System.nanoTime();
        CompletableFuture<SendResponse> after = s.send(send("gone", 0, "after"));
        assertThatThrownBy(() -> after.join())
            .isInstanceOf(CompletionException.class)
            .cause()
            .isInstanceOfSatisfying(
                ClientException.class,
                e -> {
                  assertThat(e.code()).isEqualTo(Code.SERVICE_UNAVAILABLE);
                  assertThat(e.isTransport()).isTrue();
                });
        // failed by the stream's end, long before the 30 s send timeout
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void createTopicWithoutRegisteredBrokersFailsInsteadOfCreatingNothing() throws Exception {
    try (NameServer ns =
            NameServer.start(NameServerConfig.builder().port(0).build(), Clock.systemUTC());
        Admin admin =
            Admin.builder()
                .clientConfig(ClientConfig.builder().nameServers("127.0.0.1:" + ns.port()).build())
                .build()) {
      assertThatThrownBy(() -> admin.createTopic("nowhere", 4))
          .isInstanceOfSatisfying(
              ClientException.class, e -> assertThat(e.code()).isEqualTo(Code.BROKER_NOT_FOUND));
    }
  }
}
