package io.edgemq.store.consumequeue;

/** A reusable holder for consume-queue units read in one go. Not thread-safe. */
public final class UnitBatch {
  final long[] physicalOffsets;
  final int[] sizes;
  final long[] tagHashes;
  int count;

  /**
   * Creates a holder.
   *
   * @param capacity the most units one read returns
   */
  public UnitBatch(int capacity) {
    physicalOffsets = new long[capacity];
    sizes = new int[capacity];
    tagHashes = new long[capacity];
  }

  /**
   * @return how many units the last read returned
   */
  public int count() {
    return count;
  }

  /**
   * @param i index @return the unit's physical offset
   */
  public long physicalOffset(int i) {
    return physicalOffsets[i];
  }

  /**
   * @param i index @return the unit's record size; 0 for a hole
   */
  public int size(int i) {
    return sizes[i];
  }

  /**
   * @param i index @return the unit's tag hash
   */
  public long tagHash(int i) {
    return tagHashes[i];
  }

  /**
   * @return the most units one read returns
   */
  public int capacity() {
    return sizes.length;
  }
}
