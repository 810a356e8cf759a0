package io.edgemq.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.broker.TestBroker;
import io.edgemq.protocol.v1.ClientInfo;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.ConsumeMode;
import io.edgemq.protocol.v1.ConsumerAssignment;
import io.edgemq.protocol.v1.ConsumerRegistration;
import io.edgemq.protocol.v1.FilterExpression;
import io.edgemq.protocol.v1.GetConsumerLagRequest;
import io.edgemq.protocol.v1.HeartbeatRequest;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.MessageQueue;
import io.edgemq.protocol.v1.Subscription;
import io.edgemq.protocol.v1.UnregisterClientRequest;
import io.edgemq.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RebalanceTest {
  @TempDir Path dir;
  MutableClock clock = new MutableClock(1_700_000_000_000L);
  TestBroker b;

  @BeforeEach
  void start() throws Exception {
    b = TestBroker.start(dir, clock, c -> c.clientHeartbeatInterval(Duration.ofSeconds(10)));
    b.createTopic("t", 8);
  }

  @AfterEach
  void stop() throws Exception {
    b.close();
  }

  private ConsumerAssignment heartbeat(String client, ConsumeMode mode, String filter) {
    var r =
        b.client.heartbeat(
            HeartbeatRequest.newBuilder()
                .setClient(ClientInfo.newBuilder().setClientId(client))
                .addConsumers(
                    ConsumerRegistration.newBuilder()
                        .setGroup("g")
                        .setConsumeMode(mode)
                        .addSubscriptions(
                            Subscription.newBuilder()
                                .setTopic("t")
                                .setFilter(FilterExpression.newBuilder().setExpression(filter))))
                .build());
    assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(r.getHeartbeatIntervalMs()).isEqualTo(10_000);
    return r.getAssignments(0);
  }

  private static List<Integer> ids(ConsumerAssignment a) {
    return a.getQueuesList().stream().map(MessageQueue::getQueueId).toList();
  }

  @Test
  void shouldSplitQueuesEvenlyAndHandAllToTheSurvivor() {
    ConsumerAssignment a1 = heartbeat("c-a", ConsumeMode.CONSUME_MODE_CLUSTERING, "*");
    assertThat(ids(a1)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    ConsumerAssignment b1 = heartbeat("c-b", ConsumeMode.CONSUME_MODE_CLUSTERING, "*");
    ConsumerAssignment a2 = heartbeat("c-a", ConsumeMode.CONSUME_MODE_CLUSTERING, "*");
    assertThat(ids(a2)).containsExactly(0, 1, 2, 3);
    assertThat(ids(b1)).containsExactly(4, 5, 6, 7);
    assertThat(a2.getAssignmentVersion()).isNotEqualTo(a1.getAssignmentVersion());
    assertThat(b1.getAssignmentVersion()).isEqualTo(a2.getAssignmentVersion());

    b.send(Message.newBuilder().setTopic("t").build(), 5);
    var denied =
        b.client.pull(
            TestBroker.pullRequest("t", 5, 0).setConsumerGroup("g").setClientId("c-a").build());
    assertThat(denied.getStatus().getCode()).isEqualTo(Code.QUEUE_NOT_ASSIGNED);
    var allowed =
        b.client.pull(
            TestBroker.pullRequest("t", 5, 0).setConsumerGroup("g").setClientId("c-b").build());
    assertThat(allowed.getStatus().getCode()).isEqualTo(Code.OK);

    var lag = b.admin.getConsumerLag(GetConsumerLagRequest.newBuilder().setGroup("g").build());
    assertThat(lag.getTotalLag()).isEqualTo(1);
    assertThat(lag.getQueues(5).getClientId()).isEqualTo("c-b");

    // c-b goes silent; c-a keeps heartbeating. Just before the timeout c-b still owns its queues.
    clock.advance(Duration.ofSeconds(20));
    assertThat(ids(heartbeat("c-a", ConsumeMode.CONSUME_MODE_CLUSTERING, "*")))
        .containsExactly(0, 1, 2, 3);
    clock.advance(Duration.ofSeconds(11));
    assertThat(ids(heartbeat("c-a", ConsumeMode.CONSUME_MODE_CLUSTERING, "*")))
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    var now =
        b.client.pull(
            TestBroker.pullRequest("t", 5, 0).setConsumerGroup("g").setClientId("c-a").build());
    assertThat(now.getStatus().getCode()).isEqualTo(Code.OK);
  }

  @Test
  void shouldHandQueuesOverAtOnceOnUnregister() {
    heartbeat("c-a", ConsumeMode.CONSUME_MODE_CLUSTERING, "*");
    heartbeat("c-b", ConsumeMode.CONSUME_MODE_CLUSTERING, "*");
    b.client.unregisterClient(
        UnregisterClientRequest.newBuilder().setClientId("c-b").addConsumerGroups("g").build());
    assertThat(ids(heartbeat("c-a", ConsumeMode.CONSUME_MODE_CLUSTERING, "*"))).hasSize(8);
  }

  @Test
  void shouldGiveEveryBroadcastingMemberEveryQueue() {
    heartbeat("c-a", ConsumeMode.CONSUME_MODE_BROADCASTING, "*");
    assertThat(ids(heartbeat("c-b", ConsumeMode.CONSUME_MODE_BROADCASTING, "*"))).hasSize(8);
    assertThat(ids(heartbeat("c-a", ConsumeMode.CONSUME_MODE_BROADCASTING, "*"))).hasSize(8);
    b.send(Message.newBuilder().setTopic("t").build(), 1);
    assertThat(
            b.client
                .pull(
                    TestBroker.pullRequest("t", 1, 0)
                        .setConsumerGroup("g")
                        .setClientId("c-b")
                        .build())
                .getMessagesCount())
        .isEqualTo(1);
  }

  @Test
  void shouldRefuseAConflictingSubscription() {
    heartbeat("c-a", ConsumeMode.CONSUME_MODE_CLUSTERING, "a || b");
    ConsumerAssignment other = heartbeat("c-b", ConsumeMode.CONSUME_MODE_CLUSTERING, "a");
    assertThat(other.getStatus().getCode()).isEqualTo(Code.SUBSCRIPTION_CONFLICT);
    assertThat(other.getStatus().getMessage()).contains("t");
    assertThat(other.getQueuesList()).isEmpty();
    ConsumerAssignment same = heartbeat("c-c", ConsumeMode.CONSUME_MODE_CLUSTERING, "b||a");
    assertThat(same.getStatus().getCode()).isEqualTo(Code.OK);
    assertThat(ids(same)).containsExactly(4, 5, 6, 7);
    ConsumerAssignment mode = heartbeat("c-d", ConsumeMode.CONSUME_MODE_BROADCASTING, "a || b");
    assertThat(mode.getStatus().getCode()).isEqualTo(Code.SUBSCRIPTION_CONFLICT);
    ConsumerAssignment bad = heartbeat("c-e", ConsumeMode.CONSUME_MODE_CLUSTERING, "a || ");
    assertThat(bad.getStatus().getCode()).isEqualTo(Code.ILLEGAL_TAG_EXPRESSION);
  }
}
