package io.edgemq.client.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OffsetTrackerTest {

  @Test
  void shouldStartAtTheStartOffset() {
    assertThat(new OffsetTracker(42).committable()).isEqualTo(42);
  }

  @Test
  void shouldCommitOnlyTheContiguousPrefix() {
    OffsetTracker t = new OffsetTracker(10);
    t.received(List.of(10L, 11L, 12L, 13L), 14);
    t.done(12);
    t.done(13);
    assertThat(t.committable()).isEqualTo(10);
    t.done(10);
    assertThat(t.committable()).isEqualTo(11);
    t.done(11);
    assertThat(t.committable()).isEqualTo(14);
  }

  @Test
  void shouldMovePastFilteredMessagesWhenNothingIsInFlight() {
    OffsetTracker t = new OffsetTracker(0);
    t.received(List.of(3L), 9);
    assertThat(t.committable()).isEqualTo(3);
    assertThat(t.done(3)).isZero();
    assertThat(t.committable()).isEqualTo(9);
  }

  @Test
  void shouldHoldBackAFailedMessage() {
    OffsetTracker t = new OffsetTracker(0);
    t.received(List.of(0L, 1L, 2L), 3);
    t.done(0);
    t.done(2); // 1 failed: stays in flight
    t.received(List.of(3L, 4L), 5);
    t.done(3);
    t.done(4);
    assertThat(t.committable()).isEqualTo(1);
    assertThat(t.inFlightCount()).isEqualTo(1);
  }

  @Test
  void shouldForgetEverythingOnReset() {
    OffsetTracker t = new OffsetTracker(0);
    t.received(List.of(0L, 1L), 2);
    t.reset(100);
    assertThat(t.committable()).isEqualTo(100);
    assertThat(t.inFlightCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void shouldNeverCommitPastAnUnfinishedMessageInAnyOrder(long seed) {
    OffsetTracker t = new OffsetTracker(0);
    List<Long> offsets = new ArrayList<>(LongStream.range(0, 200).boxed().toList());
    t.received(offsets, 200);
    List<Long> order = new ArrayList<>(offsets);
    Collections.shuffle(order, new Random(seed));
    boolean[] done = new boolean[200];
    for (long o : order) {
      t.done(o);
      done[(int) o] = true;
      int expected = 0;
      while (expected < 200 && done[expected]) {
        expected++;
      }
      assertThat(t.committable()).isEqualTo(expected);
    }
  }
}
