package io.edgemq.broker.pop;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * One group's pop state of one queue: the pop offset (the next queue offset never handed out) and
 * the messages in flight, by queue offset. Not thread-safe: callers hold its monitor.
 */
final class PopQueue {
  final QueueKey key;
  private long nextOffset;
  private final NavigableMap<Long, InFlight> inFlight = new TreeMap<>();
  // expired on their last allowed delivery, on their way to the dead-letter topic (memory only: a
  // restart finds them expired again and dead-letters them again)
  private final Set<Long> deadLettering = new HashSet<>();

  PopQueue(QueueKey key, long nextOffset) {
    this.key = key;
    this.nextOffset = nextOffset;
  }

  long nextOffset() {
    return nextOffset;
  }

  /** Moves the pop offset forward (never back: replayed records may come in any order). */
  void advance(long offset) {
    nextOffset = Math.max(nextOffset, offset);
  }

  void put(InFlight f) {
    inFlight.put(f.offset(), f);
  }

  InFlight get(long offset) {
    return inFlight.get(offset);
  }

  /**
   * Removes a delivery if it is still the current one of its message.
   *
   * @return whether it was
   */
  boolean remove(long offset, long seq) {
    InFlight f = inFlight.get(offset);
    if (f == null || f.seq() != seq) {
      return false;
    }
    inFlight.remove(offset);
    deadLettering.remove(offset);
    return true;
  }

  /** Takes an expired delivery out of the receivable ones while it is being dead-lettered. */
  void markDeadLettering(long offset) {
    deadLettering.add(offset);
  }

  /** Makes it receivable (expired) again: dead-lettering failed and will be tried again. */
  void unmarkDeadLettering(long offset) {
    deadLettering.remove(offset);
  }

  boolean isDeadLettering(long offset) {
    return deadLettering.contains(offset);
  }

  int inFlightCount() {
    return inFlight.size();
  }

  Collection<InFlight> inFlight() {
    return inFlight.values();
  }

  /**
   * @param now the broker clock
   * @param max at most this many
   * @return the deliveries whose invisible time ended, oldest offset first
   */
  List<InFlight> expired(long now, int max) {
    List<InFlight> out = new ArrayList<>();
    for (InFlight f : inFlight.values()) {
      if (out.size() >= max) {
        break;
      }
      if (f.expired(now) && !deadLettering.contains(f.offset())) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * @return the earliest end of an invisible time, or {@link Long#MAX_VALUE} with nothing in flight
   */
  long nextExpiry() {
    long min = Long.MAX_VALUE;
    for (InFlight f : inFlight.values()) {
      if (!deadLettering.contains(f.offset())) {
        min = Math.min(min, f.invisibleUntilMs());
      }
    }
    return min;
  }
}
