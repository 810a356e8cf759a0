package io.edgemq.sim.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every stream of a run, by device id and stream index: the sender side records sends and
 * acknowledgements, the receiving side records arrivals, and {@link #tallies()} compares them.
 */
public final class Ledger {
  private final Map<String, StreamLedger[]> streams = new ConcurrentHashMap<>();
  private final LongAdder unknown = new LongAdder();
  private final LongAdder arrivals = new LongAdder();

  /**
   * Registers a device's streams.
   *
   * @param deviceId the device
   * @param qos QoS of each of its streams, by index
   * @return its stream ledgers, by index
   */
  public StreamLedger[] register(String deviceId, int... qos) {
    StreamLedger[] s = new StreamLedger[qos.length];
    for (int i = 0; i < qos.length; i++) {
      s[i] = new StreamLedger(qos[i]);
    }
    if (streams.putIfAbsent(deviceId, s) != null) {
      throw new IllegalArgumentException("device id '" + deviceId + "' used twice");
    }
    return s;
  }

  /**
   * Records an arrival.
   *
   * @param deviceId the device named in the envelope
   * @param stream the stream index
   * @param seq the sequence number
   * @return how it arrived ({@code UNKNOWN} for a device or stream this run does not have)
   */
  public StreamLedger.Arrival arrived(String deviceId, int stream, long seq) {
    return arrived(deviceId, stream, seq, null);
  }

  /**
   * Records an arrival read from the broker.
   *
   * @param deviceId the device named in the envelope
   * @param stream the stream index
   * @param seq the sequence number
   * @param messageId the broker message id, or null
   * @return how it arrived
   */
  public StreamLedger.Arrival arrived(String deviceId, int stream, long seq, String messageId) {
    arrivals.increment();
    StreamLedger[] s = streams.get(deviceId);
    if (s == null || stream < 0 || stream >= s.length) {
      unknown.increment();
      return StreamLedger.Arrival.UNKNOWN;
    }
    StreamLedger.Arrival a = s[stream].arrived(seq, messageId);
    if (a == StreamLedger.Arrival.UNKNOWN) {
      unknown.increment();
    }
    return a;
  }

  /** Arrivals recorded so far (all kinds). */
  public long arrivals() {
    return arrivals.sum();
  }

  /** Arrivals that matched no stream of this run. */
  public long unknown() {
    return unknown.sum();
  }

  /**
   * Examples of owed messages that never arrived, for finding them in the broker.
   *
   * @param max how many at most
   * @return {@code device/stream#seq (QoS q)} strings
   */
  public List<String> lostExamples(int max) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, StreamLedger[]> e : new TreeMap<>(streams).entrySet()) {
      for (int i = 0; i < e.getValue().length && out.size() < max; i++) {
        for (long seq : e.getValue()[i].lost(max - out.size())) {
          out.add(e.getKey() + "/" + i + "#" + seq + " (QoS " + e.getValue()[i].qos() + ")");
        }
      }
    }
    return out;
  }

  /** Per QoS, the figures of all streams, in QoS order (only QoS levels in use). */
  public List<QosTally> tallies() {
    Map<Integer, QosTally.Builder> by = new TreeMap<>();
    for (StreamLedger[] device : streams.values()) {
      for (StreamLedger s : device) {
        s.addTo(by.computeIfAbsent(s.qos(), QosTally.Builder::new));
      }
    }
    List<QosTally> out = new ArrayList<>();
    by.values().forEach(b -> out.add(b.build()));
    return out;
  }
}
