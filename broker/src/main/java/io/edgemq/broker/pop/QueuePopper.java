package io.edgemq.broker.pop;

import io.edgemq.broker.pull.TagFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.ReadResult;
import io.edgemq.store.api.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pops one queue for one group: expired deliveries first (again, with their attempt raised), then
 * new messages from the pop offset. Expired deliveries that used up the group's retries are handed
 * to the dead-letter step instead.
 */
final class QueuePopper {
  private static final Logger LOG = LoggerFactory.getLogger(QueuePopper.class);

  private final MessageStore store;
  private final PopTable table;
  private final int maxInFlightPerQueue;

  QueuePopper(MessageStore store, PopTable table, int maxInFlightPerQueue) {
    this.store = store;
    this.table = table;
    this.maxInFlightPerQueue = maxInFlightPerQueue;
  }

  /** What one queue's pop produced. */
  record Result(List<Popped> popped, List<InFlight> toDeadLetter) {}

  /**
   * @param key the group's queue
   * @param filter which new messages match
   * @param budget what may still be returned (taken from)
   * @param invisibleMs the invisible duration of the deliveries
   * @param now the broker clock
   * @param maxRetries the group's retries: a delivery with this attempt that expires is dead
   * @return the deliveries made and the expired ones to dead-letter
   */
  Result pop(
      QueueKey key, TagFilter filter, Budget budget, long invisibleMs, long now, int maxRetries) {
    return table.update(
        key,
        k -> store.minQueueOffset(k.topic(), k.queueId()),
        q -> {
          List<Popped> out = new ArrayList<>();
          List<InFlight> dead = new ArrayList<>();
          List<InFlight> gone = new ArrayList<>();
          for (InFlight f : q.expired(now, budget.messages() + 64)) {
            if (budget.messages() == 0) {
              break;
            }
            if (f.attempt() >= maxRetries) {
              q.markDeadLettering(f.offset());
              dead.add(f);
              continue;
            }
            ReadResult r = store.readAt(f.commitLogOffset());
            if (!r.isFound()) {
              gone.add(f);
              continue;
            }
            if (!budget.take(r.message().body().remaining())) {
              break;
            }
            out.add(
                new Popped(
                    r.message(), f.redeliver(table.nextSeq(), now + invisibleMs, f.attempt() + 1)));
          }
          long next = readNew(q, filter, budget, invisibleMs, now, out);
          forget(q, gone);
          if (!out.isEmpty() || next > q.nextOffset()) {
            table.write(
                new PopRecord.Receive(
                    key,
                    Math.max(next, q.nextOffset()),
                    out.stream().map(Popped::delivery).toList()));
            q.advance(next);
            out.forEach(p -> q.put(p.delivery()));
          }
          return new Result(out, dead);
        });
  }

  /** Reads new messages into {@code out}; returns the pop offset after them. */
  private long readNew(
      PopQueue q, TagFilter filter, Budget budget, long invisibleMs, long now, List<Popped> out) {
    int room = Math.min(budget.messages(), maxInFlightPerQueue - q.inFlightCount());
    if (room <= 0) {
      return q.nextOffset();
    }
    QueueKey k = q.key;
    QueueReadResult r = store.read(k.topic(), k.queueId(), q.nextOffset(), room, filter.filter());
    switch (r.status()) {
      case FOUND -> {
        for (StoredMessage m : r.messages()) {
          if (!budget.take(m.body().remaining())) {
            return m.queueOffset();
          }
          InFlight f =
              new InFlight(
                  m.queueOffset(), table.nextSeq(), now + invisibleMs, 0, m.physicalOffset());
          out.add(new Popped(m, f));
        }
        return r.nextOffset();
      }
      case OFFSET_GONE -> {
        LOG.warn(
            "group {} popped {}/{} from offset {}, deleted by retention: skipping to {}",
            k.group(),
            k.topic(),
            k.queueId(),
            q.nextOffset(),
            r.minOffset());
        return r.minOffset();
      }
      case NO_MATCHED_MESSAGE, NO_NEW_MESSAGE -> {
        return r.nextOffset();
      }
      default -> {
        return q.nextOffset();
      }
    }
  }

  /** Drops deliveries whose message is no longer stored (deleted by retention). */
  private void forget(PopQueue q, List<InFlight> gone) {
    for (InFlight f : gone) {
      LOG.warn(
          "group {}: message at {}/{} offset {} was deleted by retention while in flight; dropped",
          q.key.group(),
          q.key.topic(),
          q.key.queueId(),
          f.offset());
      table.write(new PopRecord.Ack(q.key, f.offset(), f.seq()));
      q.remove(f.offset(), f.seq());
    }
  }
}
