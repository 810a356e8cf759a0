package io.edgemq.broker.transaction;

import io.edgemq.broker.api.TransactionConfig.Outcome;
import io.edgemq.broker.common.SystemTopics;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.QueueReadStatus;
import io.edgemq.store.api.StoredMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The pending half messages (by half offset) and the outcomes of recently ended ones, so a repeated
 * EndTransaction gets the same answer. Rebuilt at start from {@code %HALF%} and {@code %HALF_OP%}.
 */
final class HalfTable {
  /** How many ended transactions are remembered for repeated EndTransaction calls. */
  static final int ENDED_REMEMBERED = 100_000;

  private static final int READ_BATCH = 512;

  /** An ended transaction. */
  record Ended(String messageId, String group, Outcome outcome) {}

  private final ConcurrentSkipListMap<Long, Half> pending = new ConcurrentSkipListMap<>();
  private final Map<Long, Ended> ended =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Ended> eldest) {
          return size() > ENDED_REMEMBERED;
        }
      };

  void add(Half h) {
    pending.put(h.offset, h);
  }

  Half pending(long offset) {
    return pending.get(offset);
  }

  Collection<Half> pendingHalves() {
    return pending.values();
  }

  int pendingCount() {
    return pending.size();
  }

  /** Moves a half from pending to ended; call holding the half's monitor. */
  void end(Half h, Outcome outcome) {
    h.ended = outcome;
    synchronized (ended) {
      ended.put(h.offset, new Ended(h.id.toString(), h.group, outcome));
    }
    pending.remove(h.offset, h);
  }

  /** Forgets a half whose record is gone (retention); call holding its monitor. */
  void drop(Half h) {
    pending.remove(h.offset, h);
  }

  Ended ended(long offset) {
    synchronized (ended) {
      return ended.get(offset);
    }
  }

  /**
   * Reads every half message and op record in the store: a half without an op record is pending.
   *
   * @param store the store
   * @param firstCheck when a half stored at a time is first checked
   */
  void load(MessageStore store, java.util.function.LongUnaryOperator firstCheck) {
    readAll(
        store,
        SystemTopics.HALF,
        s ->
            add(
                new Half(
                    s.physicalOffset(),
                    s.messageId(),
                    HalfMessages.group(s),
                    firstCheck.applyAsLong(s.storeTimestamp()))));
    readAll(
        store,
        SystemTopics.HALF_OP,
        s -> {
          Half h = pending.get(HalfMessages.opHalfOffset(s));
          Outcome o = HalfMessages.opOutcome(s);
          if (h != null && o != null) {
            end(h, o);
          }
        });
  }

  /**
   * @param store the store
   * @return the pending halves whose committed copy is stored (a stop between storing the copy and
   *     its op record)
   */
  List<Half> committedWithoutOp(MessageStore store) {
    List<Half> out = new ArrayList<>();
    for (Half h : pending.values()) {
      for (StoredMessage s : store.findAllById(h.id, 16)) {
        if (HalfMessages.isCommitOf(s, h.offset)) {
          out.add(h);
          break;
        }
      }
    }
    return out;
  }

  private static void readAll(MessageStore store, String topic, Consumer<StoredMessage> each) {
    long offset = store.minQueueOffset(topic, 0);
    while (true) {
      QueueReadResult r = store.read(topic, 0, offset, READ_BATCH, MessageFilter.ALL);
      r.messages().forEach(each);
      boolean moved = r.nextOffset() > offset;
      offset = r.nextOffset();
      if (r.status() == QueueReadStatus.NO_QUEUE || (!moved && r.messages().isEmpty())) {
        return;
      }
    }
  }
}
