package io.edgemq.broker.offset;

/**
 * A committed offset and its epoch.
 *
 * @param offset the next message to consume; -1 when never committed (only the epoch is known)
 * @param epoch raised by admin resets
 */
public record OffsetEntry(long offset, long epoch) {

  /**
   * @return whether an offset was committed
   */
  public boolean committed() {
    return offset >= 0;
  }
}
