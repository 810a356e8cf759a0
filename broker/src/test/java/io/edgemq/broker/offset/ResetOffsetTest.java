package io.edgemq.broker.offset;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.edgemq.broker.TestBroker;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CommitOffsetRequest;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.OffsetPosition;
import io.edgemq.protocol.v1.QueryOffsetRequest;
import io.edgemq.protocol.v1.QueryOffsetResponse;
import io.edgemq.protocol.v1.ResetOffsetRequest;
import io.edgemq.protocol.v1.ResetOffsetResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResetOffsetTest {
  @TempDir Path dir;

  private static void fill(TestBroker b, int queue, int n) {
    for (int i = 0; i < n; i++) {
      b.send(
          Message.newBuilder().setTopic("t").setBody(ByteString.copyFromUtf8("m" + i)).build(),
          queue);
    }
  }

  private static Code commit(TestBroker b, int queue, long offset, long epoch) {
    return b.client
        .commitOffset(
            CommitOffsetRequest.newBuilder()
                .setConsumerGroup("g")
                .setTopic("t")
                .setQueueId(queue)
                .setOffset(offset)
                .setOffsetEpoch(epoch)
                .build())
        .getStatus()
        .getCode();
  }

  private static QueryOffsetResponse query(TestBroker b, int queue) {
    return b.client.queryOffset(
        QueryOffsetRequest.newBuilder()
            .setConsumerGroup("g")
            .setTopic("t")
            .setQueueId(queue)
            .build());
  }

  private static ResetOffsetRequest.Builder reset() {
    return ResetOffsetRequest.newBuilder().setGroup("g").setTopic("t");
  }

  @Test
  void shouldResetToEarliestAndLatestRaiseTheEpochAndSurviveARestart() throws Exception {
    try (TestBroker b = TestBroker.start(dir)) {
      b.createTopic("t", 2);
      fill(b, 0, 5);
      fill(b, 1, 3);
      assertThat(commit(b, 0, 4, 0)).isEqualTo(Code.OK);
      assertThat(commit(b, 1, 2, 0)).isEqualTo(Code.OK);

      ResetOffsetResponse r =
          b.admin.resetOffset(reset().setPosition(OffsetPosition.OFFSET_POSITION_EARLIEST).build());
      assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(r.getQueuesList())
          .extracting(q -> q.getQueue().getQueueId(), q -> q.getOffset(), q -> q.getOffsetEpoch())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(0, 0L, 1L),
              org.assertj.core.groups.Tuple.tuple(1, 0L, 1L));
      assertThat(r.getQueues(0).getQueue().getBrokerName()).isEqualTo("broker-a");
      assertThat(query(b, 0).getOffset()).isZero();
      assertThat(query(b, 0).getOffsetEpoch()).isEqualTo(1);

      // a consumer still holding epoch 0 is told to re-read the offset, on commit and on pull
      assertThat(commit(b, 0, 5, 0)).isEqualTo(Code.OFFSET_RESET);
      assertThat(b.client.pull(TestBroker.pullRequest("t", 0, 4).build()).getStatus().getCode())
          .isEqualTo(Code.OFFSET_RESET);
      assertThat(query(b, 0).getOffset()).isZero();
      assertThat(
              b.client
                  .pull(TestBroker.pullRequest("t", 0, 0).setOffsetEpoch(1).build())
                  .getMessagesCount())
          .isEqualTo(5);
      assertThat(commit(b, 0, 2, 1)).isEqualTo(Code.OK);

      r =
          b.admin.resetOffset(
              reset().setQueueId(1).setPosition(OffsetPosition.OFFSET_POSITION_LATEST).build());
      assertThat(r.getQueuesCount()).isEqualTo(1);
      assertThat(r.getQueues(0).getOffset()).isEqualTo(3);
      assertThat(r.getQueues(0).getOffsetEpoch()).isEqualTo(2);
      assertThat(query(b, 1).getOffset()).isEqualTo(3);
      assertThat(query(b, 0).getOffset()).isEqualTo(2); // untouched

      // an explicit offset is clamped into [min, max]
      r = b.admin.resetOffset(reset().setQueueId(0).setOffset(99).build());
      assertThat(r.getQueues(0).getOffset()).isEqualTo(5);
      assertThat(r.getQueues(0).getOffsetEpoch()).isEqualTo(2);
      r = b.admin.resetOffset(reset().setQueueId(0).setOffset(3).build());
      assertThat(r.getQueues(0).getOffset()).isEqualTo(3);
      assertThat(r.getQueues(0).getOffsetEpoch()).isEqualTo(3);
    }
    try (TestBroker b = TestBroker.start(dir)) {
      assertThat(query(b, 0).getOffset()).isEqualTo(3);
      assertThat(query(b, 0).getOffsetEpoch()).isEqualTo(3);
      assertThat(query(b, 1).getOffset()).isEqualTo(3);
      assertThat(query(b, 1).getOffsetEpoch()).isEqualTo(2);
      assertThat(commit(b, 0, 4, 2)).isEqualTo(Code.OFFSET_RESET);
      assertThat(commit(b, 0, 4, 3)).isEqualTo(Code.OK);
    }
  }

  @Test
  void shouldRefuseBadResets() throws Exception {
    try (TestBroker b = TestBroker.start(dir)) {
      b.createTopic("t", 2);
      assertThat(commit(b, 0, 0, 0)).isEqualTo(Code.OK);
      assertThat(b.admin.resetOffset(reset().build()).getStatus().getCode())
          .isEqualTo(Code.BAD_REQUEST);
      assertThat(b.admin.resetOffset(reset().setOffset(-1).build()).getStatus().getCode())
          .isEqualTo(Code.BAD_REQUEST);
      assertThat(
              b.admin
                  .resetOffset(
                      reset().setPosition(OffsetPosition.OFFSET_POSITION_UNSPECIFIED).build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.BAD_REQUEST);
      assertThat(b.admin.resetOffset(reset().setPositionValue(9).build()).getStatus().getCode())
          .isEqualTo(Code.UNSUPPORTED);
      assertThat(
              b.admin
                  .resetOffset(reset().setTopic("nope").setOffset(0).build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.TOPIC_NOT_FOUND);
      assertThat(
              b.admin
                  .resetOffset(reset().setTopic("b a d").setOffset(0).build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.ILLEGAL_TOPIC);
      assertThat(
              b.admin.resetOffset(reset().setQueueId(2).setOffset(0).build()).getStatus().getCode())
          .isEqualTo(Code.QUEUE_NOT_FOUND);
      assertThat(
              b.admin
                  .resetOffset(reset().setGroup("other").setOffset(0).build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.GROUP_NOT_FOUND);
      assertThat(
              b.admin
                  .resetOffset(reset().setGroup("%sys").setOffset(0).build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.ILLEGAL_GROUP);
    }
  }
}
