package io.edgemq.broker.group;

import java.util.List;

/** The assignment rule for clustering groups: contiguous, even ranges in member order. */
final class Assignor {
  private Assignor() {}

  /**
   * Spreads queues 0..queueCount-1 over members: member i gets {@code queueCount / m} queues, plus
   * one more for the first {@code queueCount % m} members, as one contiguous range.
   *
   * @param members the member ids, sorted
   * @param queueCount the number of queues
   * @param member the member asked about
   * @return its first queue (inclusive) and end (exclusive) as a two-element array
   */
  static int[] range(List<String> members, int queueCount, String member) {
    int m = members.size();
    int i = members.indexOf(member);
    if (i < 0 || m == 0) {
      return new int[] {0, 0};
    }
    int base = queueCount / m;
    int extra = queueCount % m;
    int start = i * base + Math.min(i, extra);
    int len = base + (i < extra ? 1 : 0);
    return new int[] {start, start + len};
  }
}
