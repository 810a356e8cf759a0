package io.edgemq.broker;

import static org.awaitility.Awaitility.await;

import io.edgemq.broker.api.Broker;
import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.Limits;
import io.edgemq.protocol.v1.AdminGrpc;
import io.edgemq.protocol.v1.BrokerGrpc;
import io.edgemq.protocol.v1.CreateTopicRequest;
import io.edgemq.protocol.v1.GetTopicStatsRequest;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.PullRequest;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.edgemq.protocol.v1.TopicConfig;
import io.edgemq.store.api.StoreConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A broker on 127.0.0.1 with a small store in a test directory, and a gRPC client to it. */
public final class TestBroker implements AutoCloseable {
  public final Broker broker;
  public final ManagedChannel channel;
  public final BrokerGrpc.BrokerBlockingStub client;
  public final AdminGrpc.AdminBlockingStub admin;

  private TestBroker(Broker broker) {
    this.broker = broker;
    this.channel =
        NettyChannelBuilder.forAddress("127.0.0.1", broker.port())
            .usePlaintext()
            .maxInboundMessageSize(Limits.MAX_RPC_MESSAGE_BYTES)
            .build();
    this.client = BrokerGrpc.newBlockingStub(channel);
    this.admin = AdminGrpc.newBlockingStub(channel);
  }

  /** A config with a small store (64 KiB messages) and fast periods. */
  public static BrokerConfig.Builder config(Path dir) {
    return BrokerConfig.builder(dir)
        .listenHost("127.0.0.1")
        .port(0)
        .storeConfig(
            StoreConfig.builder(dir.resolve("store"))
                .commitLogSegmentBytes(1 << 20)
                .maxMessageBytes(64 * 1024)
                .consumeQueueUnitsPerFile(1024)
                .indexSlotCount(1024)
                .indexEntriesPerFile(4096)
                .flushInterval(Duration.ofMillis(20))
                .diskCleanRatio(1.0)
                .diskRefuseWritesRatio(1.0)
                .build());
  }

  public static TestBroker start(Path dir) throws IOException {
    return start(dir, Clock.systemUTC(), b -> b);
  }

  public static TestBroker start(Path dir, Clock clock, UnaryOperator<BrokerConfig.Builder> tweak)
      throws IOException {
    return new TestBroker(Broker.start(tweak.apply(config(dir)).build(), clock));
  }

  public void createTopic(String name, int queues) {
    createTopic(name, queues, Permission.PERMISSION_READ_WRITE);
  }

  public void createTopic(String name, int queues, Permission p) {
    var r =
        admin.createTopic(
            CreateTopicRequest.newBuilder()
                .setTopic(
                    TopicConfig.newBuilder()
                        .setTopic(name)
                        .setWriteQueueCount(queues)
                        .setPermission(p))
                .build());
    if (!Codes.isOk(r.getStatus())) {
      throw new IllegalStateException("create topic: " + r.getStatus());
    }
  }

  /** Sends, and when stored waits until the message is dispatched (pullable). */
  public SendResponse send(Message m, int queueId) {
    SendResponse r =
        client.send(
            SendRequest.newBuilder()
                .setProducerGroup("p")
                .setMessage(m)
                .setQueueId(queueId)
                .build());
    if (Codes.isOk(r.getStatus())) {
      awaitVisible(m.getTopic(), queueId, r.getReceipt().getQueueOffset() + 1);
    }
    return r;
  }

  /**
   * Waits until a queue's end reaches {@code end}: an acknowledged message becomes pullable once
   * the store's dispatcher indexed it, which under ASYNC flush can be a little after the answer.
   */
  public void awaitVisible(String topic, int queueId, long end) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                admin
                        .getTopicStats(GetTopicStatsRequest.newBuilder().setTopic(topic).build())
                        .getQueues(queueId)
                        .getMaxOffset()
                    >= end);
  }

  public PullResponse pull(String topic, int queueId, long offset) {
    return client.pull(pullRequest(topic, queueId, offset).build());
  }

  public static PullRequest.Builder pullRequest(String topic, int queueId, long offset) {
    return PullRequest.newBuilder()
        .setConsumerGroup("g")
        .setClientId("c1")
        .setTopic(topic)
        .setQueueId(queueId)
        .setOffset(offset);
  }

  @Override
  public void close() throws IOException {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    broker.close();
  }
}
