package io.edgemq.sim.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures of every stream of one QoS, and what they mean for the QoS's guarantee.
 *
 * @param qos 0, 1 or 2
 * @param streams device streams counted
 * @param sent messages sent
 * @param acked acknowledged (QoS 1/2) or written (QoS 0)
 * @param failed sends that failed (refused, connection lost): not owed
 * @param received distinct messages that arrived
 * @param lost owed and never arrived (acknowledged ones; at QoS 0 every one sent)
 * @param duplicates arrivals of a sequence number already received, stored as another message
 * @param redelivered arrivals of the same stored message again (same broker message id): the
 *     backend's at-least-once, removed by id; never a broken guarantee
 * @param reordered first arrivals after a later message of the stream
 * @param reorderedAcked of those, acknowledged ones (a failed PUBLISH carries no order guarantee)
 * @param receivedUnacked arrivals of messages whose send failed or was never acknowledged
 */
public record QosTally(
    int qos,
    long streams,
    long sent,
    long acked,
    long failed,
    long received,
    long lost,
    long duplicates,
    long redelivered,
    long reordered,
    long reorderedAcked,
    long receivedUnacked) {

  /**
   * The broken guarantees: QoS 0 may lose (reported, not a failure) but never duplicates; QoS 1
   * loses nothing; QoS 2 loses and duplicates nothing; with {@code failOnReorder} QoS 1 and 2 keep
   * each stream's order.
   *
   * @param failOnReorder whether reordering breaks QoS 1/2
   * @return one line per broken guarantee; empty when all held
   */
  public List<String> violations(boolean failOnReorder) {
    List<String> v = new ArrayList<>();
    if (qos >= 1 && lost > 0) {
      v.add("QoS " + qos + ": " + lost + " acknowledged messages lost");
    }
    if (qos != 1 && duplicates > 0) {
      v.add("QoS " + qos + ": " + duplicates + " messages duplicated");
    }
    if (qos >= 1 && failOnReorder && reorderedAcked > 0) {
      v.add("QoS " + qos + ": " + reorderedAcked + " acknowledged messages out of order");
    }
    return v;
  }

  /** Adds up streams of one QoS. */
  public static final class Builder {
    private final int qos;
    private long streams;
    private long sent;
    private long acked;
    private long failed;
    private long received;
    private long lost;
    private long duplicates;
    private long redelivered;
    private long reordered;
    private long reorderedAcked;
    private long receivedUnacked;

    /**
     * @param qos the QoS
     */
    public Builder(int qos) {
      this.qos = qos;
    }

    void add(
        long sent,
        long acked,
        long failed,
        long received,
        long lost,
        long duplicates,
        long redelivered,
        long reordered,
        long reorderedAcked,
        long receivedUnacked) {
      this.streams++;
      this.sent += sent;
      this.acked += acked;
      this.failed += failed;
      this.received += received;
      this.lost += lost;
      this.duplicates += duplicates;
      this.redelivered += redelivered;
      this.reordered += reordered;
      this.reorderedAcked += reorderedAcked;
      this.receivedUnacked += receivedUnacked;
    }

    /** The tally. */
    public QosTally build() {
      return new QosTally(
          qos,
          streams,
          sent,
          acked,
          failed,
          received,
          lost,
          duplicates,
          redelivered,
          reordered,
          reorderedAcked,
          receivedUnacked);
    }
  }
}
