package io.edgemq.sim.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {
  /** Sends n messages on a stream and acknowledges those in {@code acked}. */
  private static void send(StreamLedger s, int n, int... unacked) {
    for (int i = 0; i < n; i++) {
      long seq = s.nextSeq();
      boolean ok = true;
      for (int u : unacked) {
        ok &= u != seq;
      }
      if (ok) {
        s.acked(seq);
      } else {
        s.failed(seq);
      }
    }
  }

  private static void arrive(Ledger l, String dev, long... seqs) {
    for (long s : seqs) {
      l.arrived(dev, 0, s);
    }
  }

  @Test
  void shouldPassWhenEverythingArrivesOnceInOrder() {
    Ledger l = new Ledger();
    send(l.register("d1", 1)[0], 5);
    send(l.register("d2", 2)[0], 3);
    arrive(l, "d1", 0, 1, 2, 3, 4);
    arrive(l, "d2", 0, 1, 2);
    List<QosTally> t = l.tallies();
    assertThat(t).extracting(QosTally::qos).containsExactly(1, 2);
    assertThat(t.get(0).lost()).isZero();
    assertThat(t.get(0).received()).isEqualTo(5);
    t.forEach(q -> assertThat(q.violations(true)).isEmpty());
  }

  @Test
  void shouldCountLostDuplicatedAndReorderedFromCraftedSequences() {
    Ledger l = new Ledger();
    send(l.register("d1", 1)[0], 10);
    // 3 and 7 never arrive; 5 arrives twice; 2 arrives after 4
    arrive(l, "d1", 0, 1, 4, 2, 5, 5, 6, 8, 9);
    QosTally t = l.tallies().get(0);
    assertThat(t.lost()).isEqualTo(2);
    assertThat(t.duplicates()).isEqualTo(1);
    assertThat(t.reordered()).isEqualTo(1);
    assertThat(t.received()).isEqualTo(8);
    assertThat(t.violations(true))
        .containsExactly(
            "QoS 1: 2 acknowledged messages lost", "QoS 1: 1 acknowledged messages out of order");
    assertThat(t.violations(false)).containsExactly("QoS 1: 2 acknowledged messages lost");
  }

  @Test
  void shouldAllowDuplicatesAtQos1ButNotAtQos2() {
    Ledger l = new Ledger();
    send(l.register("a", 1)[0], 3);
    send(l.register("b", 2)[0], 3);
    arrive(l, "a", 0, 1, 1, 2);
    arrive(l, "b", 0, 1, 1, 2);
    List<QosTally> t = l.tallies();
    assertThat(t.get(0).violations(true)).isEmpty();
    assertThat(t.get(1).violations(true)).containsExactly("QoS 2: 1 messages duplicated");
  }

  @Test
  void shouldTellTheSameStoredMessageDeliveredAgainFromAMessageStoredTwice() {
    Ledger l = new Ledger();
    send(l.register("d", 2)[0], 3);
    l.arrived("d", 0, 0, "id-a");
    l.arrived("d", 0, 0, "id-a"); // a retry of the same stored message: the backend drops it by id
    l.arrived("d", 0, 1, "id-b");
    l.arrived("d", 0, 2, "id-c");
    QosTally t = l.tallies().get(0);
    assertThat(t.redelivered()).isEqualTo(1);
    assertThat(t.duplicates()).isZero();
    assertThat(t.violations(true)).isEmpty();

    l.arrived("d", 0, 1, "id-x"); // stored twice under two ids: exactly-once broken
    t = l.tallies().get(0);
    assertThat(t.duplicates()).isEqualTo(1);
    assertThat(t.violations(true)).containsExactly("QoS 2: 1 messages duplicated");
  }

  @Test
  void shouldReportQos0LossWithoutFailing() {
    Ledger l = new Ledger();
    StreamLedger s = l.register("d", 0)[0];
    for (int i = 0; i < 10; i++) {
      s.nextSeq(); // QoS 0: no acknowledgement to wait for
    }
    arrive(l, "d", 0, 2, 4, 6, 8);
    QosTally t = l.tallies().get(0);
    assertThat(t.lost()).isEqualTo(5);
    assertThat(t.violations(true)).isEmpty();
  }

  @Test
  void shouldNotOweMessagesWhoseSendFailed() {
    Ledger l = new Ledger();
    send(l.register("d", 1)[0], 6, 2, 3);
    arrive(l, "d", 0, 1, 3, 4, 5); // 2 failed and never arrived; 3 failed but arrived
    QosTally t = l.tallies().get(0);
    assertThat(t.lost()).isZero();
    assertThat(t.failed()).isEqualTo(2);
    assertThat(t.receivedUnacked()).isEqualTo(1);
    assertThat(t.violations(true)).isEmpty();
  }

  @Test
  void shouldNotFailTheOrderOfAMessageWhosePublishFailed() {
    Ledger l = new Ledger();
    send(l.register("d", 1)[0], 4, 1);
    arrive(l, "d", 0, 2, 1, 3); // 1 failed at the device, was stored anyway, after 2
    QosTally t = l.tallies().get(0);
    assertThat(t.reordered()).isEqualTo(1);
    assertThat(t.reorderedAcked()).isZero();
    assertThat(t.violations(true)).isEmpty();
  }

  @Test
  void shouldCountArrivalsOfUnknownDevicesAndStreams() {
    Ledger l = new Ledger();
    send(l.register("d", 1)[0], 1);
    assertThat(l.arrived("nobody", 0, 0)).isEqualTo(StreamLedger.Arrival.UNKNOWN);
    assertThat(l.arrived("d", 5, 0)).isEqualTo(StreamLedger.Arrival.UNKNOWN);
    assertThat(l.arrived("d", 0, -1)).isEqualTo(StreamLedger.Arrival.UNKNOWN);
    assertThat(l.unknown()).isEqualTo(3);
  }

  @Test
  void shouldKeepStreamsOfOneDeviceApart() {
    Ledger l = new Ledger();
    StreamLedger[] s = l.register("d", 1, 1);
    send(s[0], 3);
    send(s[1], 3);
    l.arrived("d", 1, 2);
    l.arrived("d", 0, 0);
    l.arrived("d", 0, 1);
    l.arrived("d", 0, 2);
    l.arrived("d", 1, 0); // overtaken within stream 1
    QosTally t = l.tallies().get(0);
    assertThat(t.streams()).isEqualTo(2);
    assertThat(t.lost()).isEqualTo(1); // stream 1, seq 1
    assertThat(t.reordered()).isEqualTo(1);
  }
}
