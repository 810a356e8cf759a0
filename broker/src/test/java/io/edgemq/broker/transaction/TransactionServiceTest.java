package io.edgemq.broker.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.edgemq.broker.TestBroker;
import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.broker.api.TransactionConfig;
import io.edgemq.broker.api.TransactionConfig.Outcome;
import io.edgemq.broker.common.SystemTopics;
import io.edgemq.protocol.v1.CheckTransaction;
import io.edgemq.protocol.v1.ClientInfo;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CommandStreamRequest;
import io.edgemq.protocol.v1.CommandStreamResponse;
import io.edgemq.protocol.v1.EndTransactionRequest;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.QueryMessageByIdRequest;
import io.edgemq.protocol.v1.SendHalfRequest;
import io.edgemq.protocol.v1.SendHalfResponse;
import io.edgemq.protocol.v1.TransactionGrpc;
import io.edgemq.protocol.v1.TransactionResolution;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.StoredMessage;
import io.edgemq.testsupport.MutableClock;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's transaction service over gRPC, with a real store. */
class TransactionServiceTest {
  private static final String GROUP = "tx";

  @TempDir Path dir;

  private static SendHalfResponse half(TestBroker b, String body) {
    return TransactionGrpc.newBlockingStub(b.channel)
        .sendHalf(
            SendHalfRequest.newBuilder()
                .setProducerGroup(GROUP)
                .setMessage(
                    Message.newBuilder().setTopic("orders").setBody(ByteString.copyFromUtf8(body)))
                .setQueueId(0)
                .build());
  }

  private static Code end(
      TestBroker b, SendHalfResponse half, String group, TransactionResolution r) {
    return TransactionGrpc.newBlockingStub(b.channel)
        .endTransaction(
            EndTransactionRequest.newBuilder()
                .setProducerGroup(group)
                .setMessageId(half.getReceipt().getMessageId())
                .setHalfOffset(half.getReceipt().getCommitLogOffset())
                .setResolution(r)
                .build())
        .getStatus()
        .getCode();
  }

  @Test
  void shouldCommitOnceAndAnswerRepeatedAndMismatchedOutcomes() throws Exception {
    try (TestBroker b = TestBroker.start(dir)) {
      b.createTopic("orders", 1);
      SendHalfResponse h = half(b, "one");
      assertThat(h.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(h.getReceipt().getQueue().getTopic()).isEqualTo("orders");
      assertThat(b.pull("orders", 0, 0).getMessagesCount()).isZero();

      assertThat(end(b, h, "other", TransactionResolution.TRANSACTION_RESOLUTION_COMMIT))
          .isEqualTo(Code.TRANSACTION_NOT_FOUND);
      assertThat(end(b, h, GROUP, TransactionResolution.TRANSACTION_RESOLUTION_UNSPECIFIED))
          .isEqualTo(Code.BAD_REQUEST);
      assertThat(end(b, h, GROUP, TransactionResolution.TRANSACTION_RESOLUTION_COMMIT))
          .isEqualTo(Code.OK);
      assertThat(end(b, h, GROUP, TransactionResolution.TRANSACTION_RESOLUTION_COMMIT))
          .isEqualTo(Code.OK);
      assertThat(end(b, h, GROUP, TransactionResolution.TRANSACTION_RESOLUTION_ROLLBACK))
          .isEqualTo(Code.TRANSACTION_ALREADY_ENDED);

      b.awaitVisible("orders", 0, 1);
      var pulled = b.pull("orders", 0, 0);
      assertThat(pulled.getMessagesCount()).isEqualTo(1);
      assertThat(pulled.getMessages(0).getMessageId()).isEqualTo(h.getReceipt().getMessageId());
      assertThat(pulled.getMessages(0).getUserPropertiesMap()).isEmpty();
      assertThat(b.broker.pendingTransactions()).isZero();
      // the half message shares the id; a query by id shows the delivered copy
      var byId =
          b.admin.queryMessageById(
              QueryMessageByIdRequest.newBuilder()
                  .setMessageId(h.getReceipt().getMessageId())
                  .build());
      assertThat(byId.getMessage().getTopic()).isEqualTo("orders");

      SendHalfResponse noGroup =
          TransactionGrpc.newBlockingStub(b.channel)
              .sendHalf(
                  SendHalfRequest.newBuilder()
                      .setMessage(Message.newBuilder().setTopic("orders"))
                      .build());
      assertThat(noGroup.getStatus().getCode()).isEqualTo(Code.ILLEGAL_GROUP);
    }
  }

  @Test
  void shouldCommitRightAfterTheHalfMessageWasAcknowledged() throws Exception {
    // ASYNC flush answers an append before the record is readable; commit must still find it
    try (TestBroker b = TestBroker.start(dir)) {
      b.createTopic("orders", 1);
      int n = 300;
      for (int i = 0; i < n; i++) {
        SendHalfResponse h = half(b, "m" + i);
        assertThat(end(b, h, GROUP, TransactionResolution.TRANSACTION_RESOLUTION_COMMIT))
            .as("commit %d", i)
            .isEqualTo(Code.OK);
      }
      b.awaitVisible("orders", 0, n);
      assertThat(b.pull("orders", 0, 0).getMaxOffset()).isEqualTo(n);
      assertThat(b.broker.pendingTransactions()).isZero();
    }
  }

  @Test
  void shouldNotCommitAgainAfterAStopBetweenTheCommittedCopyAndItsOpRecord() throws Exception {
    SendHalfResponse h;
    try (TestBroker b = TestBroker.start(dir)) {
      b.createTopic("orders", 1);
      h = half(b, "once");
    }
    // what a stop right after the committed copy (before its op record) leaves in the store
    BrokerConfig config = TestBroker.config(dir).build();
    try (MessageStore store = MessageStore.open(config.storeConfig(), Clock.systemUTC())) {
      StoredMessage stored =
          store.read(SystemTopics.HALF, 0, 0, 1, MessageFilter.ALL).messages().get(0);
      assertThat(store.append(HalfMessages.toCommitted(stored, 0)).join().isOk()).isTrue();
    }

    try (TestBroker b = TestBroker.start(dir)) {
      assertThat(b.broker.pendingTransactions()).isZero();
      assertThat(end(b, h, GROUP, TransactionResolution.TRANSACTION_RESOLUTION_COMMIT))
          .isEqualTo(Code.OK);
      assertThat(b.pull("orders", 0, 0).getMaxOffset()).isEqualTo(1);
    }
    try (TestBroker b = TestBroker.start(dir)) {
      // the op record written at the previous start holds
      assertThat(b.broker.pendingTransactions()).isZero();
      assertThat(b.pull("orders", 0, 0).getMaxOffset()).isEqualTo(1);
    }
  }

  @Test
  void shouldCheckALiveProducerEachIntervalThenApplyTheDefaultOutcome() throws Exception {
    MutableClock clock = new MutableClock(System.currentTimeMillis());
    UnaryOperator<BrokerConfig.Builder> tx =
        c -> c.transaction(new TransactionConfig(Duration.ofSeconds(10), 2, Outcome.ROLLBACK));
    try (TestBroker b = TestBroker.start(dir, clock, tx)) {
      b.createTopic("orders", 1);
      List<CheckTransaction> checks = new CopyOnWriteArrayList<>();
      StreamObserver<CommandStreamRequest> channel =
          TransactionGrpc.newStub(b.channel)
              .commandStream(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(CommandStreamResponse r) {
                      if (r.hasCheckTransaction()) {
                        checks.add(r.getCheckTransaction());
                      }
                    }

                    @Override
                    public void onError(Throwable t) {}

                    @Override
                    public void onCompleted() {}
                  });
      channel.onNext(
          CommandStreamRequest.newBuilder()
              .setClient(ClientInfo.newBuilder().setClientId("producer-1"))
              .addProducerGroups(GROUP)
              .build());
      SendHalfResponse h = half(b, "undecided");

      clock.advance(Duration.ofSeconds(9));
      await().during(Duration.ofMillis(600)).until(checks::isEmpty);
      clock.advance(Duration.ofSeconds(2));
      await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() == 1);
      clock.advance(Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() == 2);
      assertThat(checks).extracting(CheckTransaction::getCheckCount).containsExactly(0, 1);
      assertThat(checks.get(0).getMessageId()).isEqualTo(h.getReceipt().getMessageId());
      assertThat(checks.get(0).getMessage().getTopic()).isEqualTo("orders");
      assertThat(b.broker.pendingTransactions()).isEqualTo(1);

      clock.advance(Duration.ofSeconds(10));
      await().atMost(Duration.ofSeconds(5)).until(() -> b.broker.pendingTransactions() == 0);
      assertThat(checks).hasSize(2);
      assertThat(end(b, h, GROUP, TransactionResolution.TRANSACTION_RESOLUTION_COMMIT))
          .isEqualTo(Code.TRANSACTION_ALREADY_ENDED);
      assertThat(b.pull("orders", 0, 0).getMaxOffset()).isZero();
      channel.onCompleted();
    }
  }
}
