package io.edgemq.broker.query;

import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.QueueReadStatus;
import io.edgemq.store.api.StoredMessage;

/**
 * Finds, in one queue, the first offset whose message was stored at or after a time, by binary
 * search over the store times of the queue's messages: about log2(queue length) single-message
 * reads, no index. Store times grow along a queue (appends take them under the CommitLog's lock
 * from the broker's clock), so the answer is exact unless that clock stepped back.
 */
public final class StoreTimeSearch {
  private final MessageStore store;

  /**
   * @param store the store to read
   */
  public StoreTimeSearch(MessageStore store) {
    this.store = store;
  }

  /**
   * @param topic the topic
   * @param queueId the queue
   * @param timestampMs a store time, epoch milliseconds
   * @return the first offset in [min, max] whose message was stored at or after the time; the
   *     queue's end (max) when none was
   */
  public long firstOffsetAtOrAfter(String topic, int queueId, long timestampMs) {
    long lo = store.minQueueOffset(topic, queueId);
    long hi = store.maxQueueOffset(topic, queueId);
    // invariant: every offset below lo is older than the time; hi is at or after it (or the end)
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      QueueReadResult r = store.read(topic, queueId, mid, 1, MessageFilter.ALL);
      if (r.status() == QueueReadStatus.OFFSET_GONE) {
        // retention moved the start while we searched
        lo = Math.max(lo, r.minOffset());
        continue;
      }
      if (r.messages().isEmpty()) {
        // mid..next were unreadable (corrupt units): nothing there to compare, skip them
        if (r.nextOffset() <= mid) {
          return Math.max(lo, Math.min(hi, r.nextOffset()));
        }
        lo = Math.min(hi, r.nextOffset());
        continue;
      }
      StoredMessage m = r.messages().get(0);
      if (m.storeTimestamp() >= timestampMs) {
        hi = mid;
      } else {
        lo = m.queueOffset() + 1;
      }
    }
    return lo;
  }
}
