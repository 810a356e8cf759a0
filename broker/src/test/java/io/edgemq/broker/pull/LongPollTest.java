package io.edgemq.broker.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.edgemq.broker.TestBroker;
import io.edgemq.protocol.v1.BrokerGrpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CreateGroupRequest;
import io.edgemq.protocol.v1.FilterExpression;
import io.edgemq.protocol.v1.GroupConfig;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.protocol.v1.UpdateGroupRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LongPollTest {
  @TempDir Path dir;
  TestBroker b;
  BrokerGrpc.BrokerFutureStub async;

  @BeforeEach
  void start() throws Exception {
    b = TestBroker.start(dir, Clock.systemUTC(), c -> c.longPollMax(Duration.ofSeconds(20)));
    b.createTopic("t", 2);
    async = BrokerGrpc.newFutureStub(b.channel);
  }

  @AfterEach
  void stop() throws Exception {
    b.close();
  }

  private Message msg(String tag) {
    return Message.newBuilder()
        .setTopic("t")
        .setTag(tag)
        .setBody(ByteString.copyFromUtf8(tag))
        .build();
  }

  @Test
  void shouldAnswerAParkedPullAsSoonAsAMessageArrives() throws Exception {
    long started = System.nanoTime();
    ListenableFuture<PullResponse> f =
        async
            .withDeadlineAfter(25, TimeUnit.SECONDS)
            .pull(TestBroker.pullRequest("t", 1, 0).setLongPollTimeoutMs(15_000).build());
    // The pull is parked: no answer while the queue is empty.
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !f.isDone());
    assertThat(b.send(msg("x"), 1).getStatus().getCode()).isEqualTo(Code.OK);
    PullResponse r = f.get(10, TimeUnit.SECONDS);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(r.getMessagesList()).extracting(Message::getTag).containsExactly("x");
    assertThat(tookMs).isLessThan(5_000);
  }

  @Test
  void shouldRefuseAParkedPullWhoseGroupWasDisabledMeanwhile() throws Exception {
    String group = TestBroker.pullRequest("t", 1, 0).getConsumerGroup();
    GroupConfig g = GroupConfig.newBuilder().setGroup(group).build();
    assertThat(
            b.admin
                .createGroup(CreateGroupRequest.newBuilder().setGroup(g).build())
                .getStatus()
                .getCode())
        .isEqualTo(Code.OK);
    ListenableFuture<PullResponse> f =
        async
            .withDeadlineAfter(25, TimeUnit.SECONDS)
            .pull(TestBroker.pullRequest("t", 1, 0).setLongPollTimeoutMs(15_000).build());
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !f.isDone());

    b.admin.updateGroup(
        UpdateGroupRequest.newBuilder().setGroup(g.toBuilder().setConsumeDisabled(true)).build());
    b.send(msg("x"), 1);

    PullResponse r = f.get(10, TimeUnit.SECONDS);
    assertThat(r.getStatus().getCode()).isEqualTo(Code.NO_READ_PERMISSION);
    assertThat(r.getMessagesList()).isEmpty();
  }

  @Test
  void shouldNotWakeForFilteredMessagesButForAMatchingOne() throws Exception {
    ListenableFuture<PullResponse> f =
        async
            .withDeadlineAfter(25, TimeUnit.SECONDS)
            .pull(
                TestBroker.pullRequest("t", 0, 0)
                    .setFilter(FilterExpression.newBuilder().setExpression("want"))
                    .setLongPollTimeoutMs(15_000)
                    .build());
    b.send(msg("other"), 0);
    b.send(msg("other"), 0);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !f.isDone());
    b.send(msg("want"), 0);
    PullResponse r = f.get(10, TimeUnit.SECONDS);
    assertThat(r.getMessagesList()).extracting(Message::getTag).containsExactly("want");
    assertThat(r.getMessages(0).getSystemProperties().getQueueOffset()).isEqualTo(2);
    assertThat(r.getNextOffset()).isEqualTo(3);
  }

  @Test
  void shouldAnswerAnIdleLongPollEmptyAtItsTimeout() throws Exception {
    long started = System.nanoTime();
    PullResponse r =
        b.client
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .pull(TestBroker.pullRequest("t", 0, 0).setLongPollTimeoutMs(700).build());
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(r.getMessagesList()).isEmpty();
    assertThat(r.getNextOffset()).isZero();
    assertThat(tookMs).isBetween(650L, 5_000L);
  }

  @Test
  void shouldAnswerParkedPullsWhenTheBrokerCloses() throws Exception {
    ListenableFuture<PullResponse> f =
        async
            .withDeadlineAfter(25, TimeUnit.SECONDS)
            .pull(TestBroker.pullRequest("t", 0, 0).setLongPollTimeoutMs(15_000).build());
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !f.isDone());
    b.broker.close();
    PullResponse r = f.get(10, TimeUnit.SECONDS);
    assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(r.getMessagesList()).isEmpty();
  }
}
