package io.edgemq.sim.stream;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.ObjLongConsumer;

/**
 * Fires every scheduled stream when its time comes. One pacer serves a whole fleet from one thread:
 * a priority queue of next send times, so ten thousand devices cost one heap operation per message
 * rather than a timer each. Time is passed in, never read, so tests drive it with a simulated
 * clock.
 *
 * @param <T> what a slot fires (a device's stream)
 */
public final class Pacer<T> {
  private final PriorityQueue<Slot<T>> due =
      new PriorityQueue<>((a, b) -> Long.compare(a.next, b.next));

  /**
   * Adds a stream that becomes ready at {@code start}.
   *
   * @param target what to fire
   * @param schedule its rate
   * @param random its random source (seeded by the caller for reproducible runs)
   * @param start ns since the run began
   */
  public synchronized void add(
      T target, RateSchedule schedule, SplittableRandom random, long start) {
    Slot<T> s = new Slot<>(target, schedule, random);
    s.next = schedule.first(start, random);
    due.add(s);
  }

  /**
   * Removes the slots whose target matches (a device going offline).
   *
   * @param which the targets to remove
   */
  public synchronized void removeIf(java.util.function.Predicate<T> which) {
    due.removeIf(s -> which.test(s.target));
  }

  /**
   * Fires every slot due at or before {@code now}, each as often as it fell due, and reschedules
   * it. A late caller therefore catches up instead of losing sends, so the achieved rate matches
   * the asked one even when the pacing thread was held up.
   *
   * @param now ns since the run began
   * @param fire called with the target and the time it was due
   * @return how many sends were fired
   */
  public int fireDue(long now, ObjLongConsumer<T> fire) {
    int fired = 0;
    while (true) {
      Slot<T> s;
      synchronized (this) {
        s = due.peek();
        if (s == null || s.next > now) {
          return fired;
        }
        due.poll();
        long at = s.next;
        s.next = s.schedule.next(at, s.random);
        due.add(s);
        s.firing = at;
      }
      fire.accept(s.target, s.firing);
      fired++;
    }
  }

  /**
   * The earliest next send time.
   *
   * @return ns since the run began, or {@link Long#MAX_VALUE} when nothing is scheduled
   */
  public synchronized long nextDue() {
    Slot<T> s = due.peek();
    return s == null ? Long.MAX_VALUE : s.next;
  }

  /** Slots scheduled. */
  public synchronized int size() {
    return due.size();
  }

  private static final class Slot<T> {
    final T target;
    final RateSchedule schedule;
    final SplittableRandom random;
    long next;
    long firing;

    Slot(T target, RateSchedule schedule, SplittableRandom random) {
      this.target = target;
      this.schedule = schedule;
      this.random = random;
    }
  }
}
