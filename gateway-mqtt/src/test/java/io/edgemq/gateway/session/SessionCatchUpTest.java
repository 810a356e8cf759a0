package io.edgemq.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.gateway.link.MqttEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping that lets a persistent session resume on another node without losing or doubling
 * a message: cursors, the catch-up hand-over from replay to live feed, checkpoints and the packet
 * ids of messages that were in flight.
 */
class SessionCatchUpTest {
  static final QueueRef Q = new QueueRef("cmd", "broker-a", 0);

  /** Records what the session writes. */
  static final class Recorder implements Outlet {
    final List<String> out = new ArrayList<>();

    @Override
    public void publish(Outgoing m, int packetId, boolean dup) {
      out.add(new String(m.message().payload()) + "#" + packetId + (dup ? "d" : ""));
    }

    @Override
    public void release(int packetId) {
      out.add("rel#" + packetId);
    }

    @Override
    public void kick(int reason) {
      out.add("kick");
    }
  }

  static Outgoing msg(long offset, int qos) {
    return new Outgoing(
        MqttEnvelope.of("cmd/x", qos, false, "pub", ("m" + offset).getBytes()),
        qos,
        false,
        List.of(),
        Q,
        offset);
  }

  static SessionState stored(long checkpoint, List<SessionState.Inflight> inflight) {
    return new SessionState(
        "c",
        1,
        false,
        Long.MAX_VALUE,
        0,
        0,
        List.of(new Subscription("c", "cmd/#", null, 1, false, false, 0, 0)),
        Map.of(Q, checkpoint),
        inflight,
        Set.of(9));
  }

  @Test
  void resumed_ignoresLiveUntilTheReplayReachedIt_thenDeliversEachOffsetOnce() {
    Session s = Session.resume(stored(10, List.of()), 100);
    Recorder r = new Recorder();
    s.attach(r, 10);
    assertThat(s.catchingUp()).isEqualTo(Map.of(Q, 10L));
    assertThat(s.awaitingRelease()).containsExactly(9);

    s.offer(msg(12, 1)); // live, while catching up: noted only
    assertThat(r.out).isEmpty();
    assertThat(s.finishCatchUp(Q, 12)).as("replay is behind the live feed").isFalse();

    s.offerReplayed(Q, 10, msg(10, 1));
    s.offerReplayed(Q, 11, null); // read, but no subscription matches
    assertThat(s.finishCatchUp(Q, 13)).as("replay is below the live position").isFalse();
    s.offerReplayed(Q, 12, msg(12, 1));
    assertThat(s.finishCatchUp(Q, 13)).isTrue();
    assertThat(s.catchingUp()).isEmpty();

    s.offer(msg(12, 1)); // the live feed offering what the replay delivered: dropped
    s.offer(msg(13, 1));
    s.offerReplayed(Q, 14, msg(14, 1)); // a late replay after the hand-over: dropped
    assertThat(r.out).containsExactly("m10#1", "m12#2", "m13#3");
  }

  @Test
  void catchUp_doesNotEndWhileLiveOfferedSomethingTheReplayHasNotTaken() {
    Session s = Session.resume(stored(0, List.of()), 100);
    s.attach(new Recorder(), 10);
    s.offer(msg(5, 1)); // live saw offset 5 (it raced ahead of the position we will read)
    s.offerReplayed(Q, 0, null);
    assertThat(s.finishCatchUp(Q, 1))
        .as("offset 5 is neither delivered nor below the cursor")
        .isFalse();
    for (long o = 1; o <= 5; o++) {
      s.offerReplayed(Q, o, null);
    }
    assertThat(s.finishCatchUp(Q, 1)).isTrue();
  }

  @Test
  void checkpoint_isTheFirstUncompletedOffset_thenTheLivePosition() {
    Session s = new Session("c", true, 100);
    Recorder r = new Recorder();
    s.attach(r, 10);
    s.offer(msg(3, 1));
    s.offer(msg(4, 1));
    assertThat(s.snapshot(0, q -> 5, Set.of(Q)).checkpoints()).isEqualTo(Map.of(Q, 3L));
    s.completed(1);
    assertThat(s.snapshot(0, q -> 5, Set.of(Q)).checkpoints()).isEqualTo(Map.of(Q, 4L));
    s.completed(2);
    assertThat(s.snapshot(0, q -> 9, Set.of(Q)).checkpoints())
        .as("nothing pending: everything below the live position was handled")
        .isEqualTo(Map.of(Q, 9L));
    QueueRef other = new QueueRef("cmd", "broker-a", 1);
    assertThat(s.snapshot(0, q -> q.equals(other) ? 7 : 9, Set.of(Q, other)).checkpoints())
        .as("a fed queue that never delivered to it")
        .containsEntry(other, 7L);
  }

  @Test
  void snapshot_recordsInflightPacketIds_andIsNullWhenNothingChanged() {
    Session s = new Session("c", true, 100);
    s.attach(new Recorder(), 10);
    s.offer(msg(3, 2));
    s.received(1); // PUBREC
    SessionState st = s.snapshot(0, q -> 4, Set.of(Q));
    assertThat(st.inflight()).containsExactly(new SessionState.Inflight(1, Q, 3, true));
    s.saved(st);
    assertThat(s.snapshot(1000, q -> 4, Set.of(Q))).as("only the time moved").isNull();
  }

  @Test
  void resumedInflight_goesOutWithItsOldPacketId_asPubrelWhenReleased() {
    Session s =
        Session.resume(
            stored(
                3,
                List.of(
                    new SessionState.Inflight(77, Q, 3, false),
                    new SessionState.Inflight(78, Q, 4, true))),
            100);
    Recorder r = new Recorder();
    s.attach(r, 10);
    s.offerReplayed(Q, 3, msg(3, 1));
    s.offerReplayed(Q, 4, msg(4, 2));
    s.offerReplayed(Q, 5, msg(5, 1));
    assertThat(r.out).containsExactly("m3#77d", "rel#78", "m5#1");
    assertThat(s.completed(78)).isTrue();
  }

  @Test
  void offlineQueue_keepsTheCheckpointAtTheFirstQueuedMessage() {
    Session s = new Session("c", true, 100);
    s.offer(msg(8, 1));
    s.offer(msg(9, 0)); // QoS 0 while offline: dropped, not pending
    assertThat(s.snapshot(0, q -> 10, Set.of(Q)).checkpoints()).isEqualTo(Map.of(Q, 8L));
    Recorder r = new Recorder();
    s.attach(r, 10);
    assertThat(r.out).containsExactly("m8#1");
  }
}
