package io.edgemq.broker.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.edgemq.broker.TestBroker;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CommitOffsetRequest;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.QueryMessagesByTimeRequest;
import io.edgemq.protocol.v1.QueryMessagesByTimeResponse;
import io.edgemq.protocol.v1.ResetOffsetRequest;
import io.edgemq.protocol.v1.ResetOffsetResponse;
import io.edgemq.protocol.v1.ResetQueue;
import io.edgemq.testsupport.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offsets and messages found by store time: ResetOffset to a time, QueryMessagesByTime. */
class TimeQueryTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir Path dir;

  private final MutableClock clock = new MutableClock(T0);

  /** Queue 0 gets messages at T0+0s..4s, queue 1 at T0+5s..7s (one per second). */
  private TestBroker startWithMessages() throws Exception {
    TestBroker b = TestBroker.start(dir, clock, c -> c);
    b.createTopic("t", 2);
    for (int i = 0; i < 8; i++) {
      b.send(message("m" + i), i < 5 ? 0 : 1);
      clock.advance(Duration.ofSeconds(1));
    }
    return b;
  }

  private static Message message(String body) {
    return Message.newBuilder().setTopic("t").setBody(ByteString.copyFromUtf8(body)).build();
  }

  private static QueryMessagesByTimeRequest.Builder range(long beginSec, long endSec) {
    return QueryMessagesByTimeRequest.newBuilder()
        .setTopic("t")
        .setBeginTimestampMs(T0 + beginSec * 1000)
        .setEndTimestampMs(T0 + endSec * 1000);
  }

  private static List<String> bodies(QueryMessagesByTimeResponse r) {
    List<String> out = new ArrayList<>();
    r.getMessagesList().forEach(m -> out.add(m.getBody().toStringUtf8()));
    return out;
  }

  @Test
  void shouldFindTheMessagesOfATimeRangeOldestFirstAcrossQueues() throws Exception {
    try (TestBroker b = startWithMessages()) {
      QueryMessagesByTimeResponse r = b.admin.queryMessagesByTime(range(2, 5).build());
      assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(bodies(r)).containsExactly("m2", "m3", "m4", "m5");
      assertThat(r.getTruncated()).isFalse();
      assertThat(r.getMessages(3).getSystemProperties().getQueueId()).isEqualTo(1);

      QueryMessagesByTimeResponse cut =
          b.admin.queryMessagesByTime(range(2, 7).setMaxMessages(2).build());
      assertThat(bodies(cut)).containsExactly("m2", "m3");
      assertThat(cut.getTruncated()).isTrue();

      // begin 0 = the oldest kept, end 0 = now
      assertThat(
              bodies(
                  b.admin.queryMessagesByTime(
                      range(0, 0).setBeginTimestampMs(0).setEndTimestampMs(0).build())))
          .hasSize(8);
      assertThat(bodies(b.admin.queryMessagesByTime(range(30, 40).build()))).isEmpty();
    }
  }

  @Test
  void shouldRefuseBadTimeRanges() throws Exception {
    try (TestBroker b = startWithMessages()) {
      assertThat(b.admin.queryMessagesByTime(range(5, 2).build()).getStatus().getCode())
          .isEqualTo(Code.BAD_REQUEST);
      assertThat(
              b.admin
                  .queryMessagesByTime(range(0, 5).setMaxMessages(2000).build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.BAD_REQUEST);
      assertThat(
              b.admin
                  .queryMessagesByTime(range(0, 5).setTopic("nope").build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.TOPIC_NOT_FOUND);
      assertThat(
              b.admin
                  .resetOffset(
                      ResetOffsetRequest.newBuilder()
                          .setGroup("g")
                          .setTopic("t")
                          .setTimestampMs(-1)
                          .build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.BAD_REQUEST);
    }
  }

  @Test
  void shouldResetOffsetsToTheFirstMessageStoredAtOrAfterATime() throws Exception {
    try (TestBroker b = startWithMessages()) {
      b.client.commitOffset(
          CommitOffsetRequest.newBuilder()
              .setConsumerGroup("g")
              .setTopic("t")
              .setQueueId(0)
              .setOffset(5)
              .build());

      assertThat(resetTo(b, T0 + 3000)).containsExactly(3L, 0L);
      assertThat(resetTo(b, T0 + 2500)).containsExactly(3L, 0L); // between two messages
      assertThat(resetTo(b, T0 + 6000)).containsExactly(5L, 1L);
      assertThat(resetTo(b, T0 + 60_000)).containsExactly(5L, 3L); // after all: the ends
      assertThat(resetTo(b, 0)).containsExactly(0L, 0L);
    }
  }

  private static List<Long> resetTo(TestBroker b, long timestampMs) {
    ResetOffsetResponse r =
        b.admin.resetOffset(
            ResetOffsetRequest.newBuilder()
                .setGroup("g")
                .setTopic("t")
                .setTimestampMs(timestampMs)
                .build());
    assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
    return r.getQueuesList().stream().map(ResetQueue::getOffset).toList();
  }

  @Test
  void shouldAgreeWithALinearScanWhenStoreTimesRepeat() throws Exception {
    try (TestBroker b = TestBroker.start(dir, clock, c -> c)) {
      b.createTopic("t", 1);
      List<Long> times = new ArrayList<>();
      java.util.Random random = new java.util.Random(42);
      for (int i = 0; i < 30; i++) {
        times.add(clock.millis());
        b.send(message("x" + i), 0);
        clock.advance(Duration.ofMillis(random.nextInt(3))); // 0: the same time again
      }
      b.client.commitOffset(
          CommitOffsetRequest.newBuilder()
              .setConsumerGroup("g")
              .setTopic("t")
              .setQueueId(0)
              .setOffset(0)
              .build());
      for (long t = T0 - 1; t <= clock.millis() + 1; t++) {
        long expected = 0;
        while (expected < times.size() && times.get((int) expected) < t) {
          expected++;
        }
        assertThat(resetTo(b, t)).as("time %d", t).containsExactly(expected);
      }
    }
  }
}
