package io.edgemq.broker.pop;

import java.util.List;

/** A record of the pop log ({@link PopRecordDescriptor} draws the bytes). */
sealed interface PopRecord {

  /** The queue the record is about. */
  QueueKey key();

  /**
   * Messages handed out (new deliveries, redeliveries, changed invisible times) and the pop offset
   * after them. Replaying it moves the pop offset forward and makes each entry the current delivery
   * of its message.
   *
   * @param key the queue
   * @param nextOffset the pop offset after the receive
   * @param entries the deliveries
   */
  record Receive(QueueKey key, long nextOffset, List<InFlight> entries) implements PopRecord {
    /** Copies the list. */
    public Receive {
      entries = List.copyOf(entries);
    }
  }

  /**
   * A delivery ended: acked, or its message moved to the dead-letter topic. Replaying it removes
   * the entry if its seq is still the current one.
   *
   * @param key the queue
   * @param offset the message's queue offset
   * @param seq the delivery's number
   */
  record Ack(QueueKey key, long offset, long seq) implements PopRecord {}
}
