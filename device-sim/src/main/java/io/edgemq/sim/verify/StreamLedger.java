package io.edgemq.sim.verify;

import java.util.BitSet;

/**
 * One (device, stream): which sequence numbers were sent and acknowledged, and which arrived, how
 * often and in what order. Sequence numbers start at 0 and are given out without gaps.
 */
public final class StreamLedger {
  private final int qos;
  private final BitSet acked = new BitSet();
  private final BitSet received = new BitSet();
  private final BitSet reorderedSeqs = new BitSet();
  private long sent;
  private long failed;
  private long duplicates;
  private long reordered;
  private long maxSeen = -1;

  /**
   * @param qos the QoS the stream is sent with
   */
  public StreamLedger(int qos) {
    this.qos = qos;
  }

  /** The QoS. */
  public int qos() {
    return qos;
  }

  /**
   * Takes the next sequence number for a send.
   *
   * @return the sequence number
   */
  public synchronized long nextSeq() {
    return sent++;
  }

  /**
   * Records that a send was acknowledged (QoS 1/2) or written (QoS 0).
   *
   * @param seq its sequence number
   */
  public synchronized void acked(long seq) {
    acked.set(Math.toIntExact(seq));
  }

  /**
   * Records that a send failed: it may or may not have arrived, and is not owed.
   *
   * @param seq its sequence number
   */
  public synchronized void failed(long seq) {
    failed++;
  }

  /**
   * Records an arrival.
   *
   * @param seq its sequence number
   * @return how it arrived
   */
  public synchronized Arrival arrived(long seq) {
    if (seq < 0 || seq >= Integer.MAX_VALUE) {
      return Arrival.UNKNOWN;
    }
    int s = (int) seq;
    if (received.get(s)) {
      duplicates++;
      return Arrival.DUPLICATE;
    }
    received.set(s);
    if (seq < maxSeen) {
      reordered++;
      reorderedSeqs.set(s);
      return Arrival.REORDERED;
    }
    maxSeen = seq;
    return Arrival.IN_ORDER;
  }

  /**
   * Adds this stream's figures to a tally.
   *
   * @param t the tally of this stream's QoS
   */
  public synchronized void addTo(QosTally.Builder t) {
    BitSet owed = (BitSet) acked.clone();
    if (qos == 0) {
      // QoS 0 has no acknowledgement: everything sent is compared with what arrived
      owed.set(0, (int) sent);
    }
    owed.andNot(received);
    BitSet unasked = (BitSet) received.clone();
    unasked.andNot(acked);
    // a message whose PUBLISH failed carries no guarantee, of order either
    BitSet reorderedAcked = (BitSet) reorderedSeqs.clone();
    reorderedAcked.and(acked);
    t.add(
        sent,
        acked.cardinality(),
        failed,
        received.cardinality(),
        owed.cardinality(),
        duplicates,
        reordered,
        qos == 0 ? reordered : reorderedAcked.cardinality(),
        unasked.cardinality());
  }

  /** How a message arrived. */
  public enum Arrival {
    /** First arrival, after every earlier one seen. */
    IN_ORDER,
    /** First arrival, after a later sequence number had arrived. */
    REORDERED,
    /** Arrived before. */
    DUPLICATE,
    /** Not a sequence number of this stream. */
    UNKNOWN
  }
}
