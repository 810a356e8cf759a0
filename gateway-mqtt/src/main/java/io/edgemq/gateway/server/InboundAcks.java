package io.edgemq.gateway.server;

import java.util.ArrayDeque;

/**
 * QoS 1 and 2 PUBLISHes of one connection waiting for the broker, in arrival order. MQTT requires
 * acknowledgements in the order the PUBLISHes arrived, while the broker answers in any order: an
 * answer is recorded and acknowledgements leave only from the head. Used on the event loop only.
 */
final class InboundAcks {
  /** One PUBLISH waiting: its packet id and QoS, and once answered, whether the broker took it. */
  static final class Pending {
    final int packetId;
    final int qos;
    boolean done;
    boolean stored;
    int reason;

    Pending(int packetId, int qos) {
      this.packetId = packetId;
      this.qos = qos;
    }
  }

  /** Receives acknowledgements ready to go, in order. */
  interface Sink {
    void ack(Pending p);
  }

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  Pending add(int packetId, int qos) {
    Pending p = new Pending(packetId, qos);
    queue.add(p);
    return p;
  }

  /** Records the broker's answer for {@code p} and releases every answered head. */
  void done(Pending p, boolean stored, int reason, Sink sink) {
    p.done = true;
    p.stored = stored;
    p.reason = reason;
    while (!queue.isEmpty() && queue.peek().done) {
      sink.ack(queue.poll());
    }
  }

  /** An acknowledgement that needs no broker (e.g. an ACL denial) still keeps its place. */
  void immediate(int packetId, int qos, int reason, Sink sink) {
    done(add(packetId, qos), false, reason, sink);
  }

  /** Whether a PUBLISH with this packet id and QoS still waits for the broker's answer. */
  boolean storing(int packetId, int qos) {
    for (Pending p : queue) {
      if (p.packetId == packetId && p.qos == qos && !p.done) {
        return true;
      }
    }
    return false;
  }

  int size() {
    return queue.size();
  }
}
