package io.edgemq.sim.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

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
  private long redelivered;
  // hash of the broker message id of each sequence number's first arrival (0: none known)
  private int[] firstId = new int[0];
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
  public Arrival arrived(long seq) {
    return arrived(seq, null);
  }

  /**
   * Records an arrival read from the broker. A second arrival with the same broker message id is
   * the same stored message delivered again (a producer or consumer retry, which a backend drops by
   * id): it is counted as redelivered, not as a duplicate. A duplicate is the same sequence number
   * stored as another message.
   *
   * @param seq its sequence number
   * @param messageId the broker message id, or null when there is none (MQTT deliveries)
   * @return how it arrived
   */
  public synchronized Arrival arrived(long seq, String messageId) {
    if (seq < 0 || seq >= Integer.MAX_VALUE) {
      return Arrival.UNKNOWN;
    }
    int s = (int) seq;
    int id = messageId == null ? 0 : messageId.hashCode() | 1;
    if (received.get(s)) {
      if (id != 0 && s < firstId.length && firstId[s] == id) {
        redelivered++;
        return Arrival.REDELIVERED;
      }
      duplicates++;
      return Arrival.DUPLICATE;
    }
    received.set(s);
    if (id != 0) {
      if (s >= firstId.length) {
        firstId = Arrays.copyOf(firstId, Math.max(s + 1, firstId.length * 2 + 16));
      }
      firstId[s] = id;
    }
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
        redelivered,
        reordered,
        qos == 0 ? reordered : reorderedAcked.cardinality(),
        unasked.cardinality());
  }

  /**
   * The first owed sequence numbers that never arrived.
   *
   * @param max how many at most
   * @return sequence numbers, ascending
   */
  public synchronized List<Long> lost(int max) {
    BitSet owed = (BitSet) acked.clone();
    if (qos == 0) {
      owed.set(0, (int) sent);
    }
    owed.andNot(received);
    List<Long> out = new ArrayList<>();
    for (int i = owed.nextSetBit(0); i >= 0 && out.size() < max; i = owed.nextSetBit(i + 1)) {
      out.add((long) i);
    }
    return out;
  }

  /** How a message arrived. */
  public enum Arrival {
    /** First arrival, after every earlier one seen. */
    IN_ORDER,
    /** First arrival, after a later sequence number had arrived. */
    REORDERED,
    /** Arrived before as another stored message. */
    DUPLICATE,
    /** The same stored message (same broker message id) arrived again. */
    REDELIVERED,
    /** Not a sequence number of this stream. */
    UNKNOWN
  }
}
