package io.edgemq.store.api;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A 16-byte message id, unique across a cluster without coordination: the high half is a random
 * salt drawn once per process, the low half a counter seeded from the clock. Printed as 32 hex
 * digits.
 *
 * @param high the first 8 bytes
 * @param low the last 8 bytes
 */
public record MessageId(long high, long low) {

  /** Size in bytes on disk and on the wire. */
  public static final int BYTES = 16;

  private static final HexFormat HEX = HexFormat.of();

  /**
   * Parses 32 hex digits.
   *
   * @param hex the text form
   * @return the id
   * @throws IllegalArgumentException if the text is not 32 hex digits
   */
  public static MessageId parse(String hex) {
    if (hex == null || hex.length() != 2 * BYTES) {
      throw new IllegalArgumentException("message id must be 32 hex digits: " + hex);
    }
    try {
      return new MessageId(
          HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("message id must be 32 hex digits: " + hex, e);
    }
  }

  @Override
  public String toString() {
    return HEX.toHexDigits(high) + HEX.toHexDigits(low);
  }

  /** Generates ids for one process. Thread-safe and lock-free. */
  public static final class Generator {
    private final long salt;
    private final AtomicLong counter;

    /**
     * Creates a generator.
     *
     * @param epochMillis the current time, so counters of successive processes rarely overlap
     */
    public Generator(long epochMillis) {
      this.salt = new SecureRandom().nextLong();
      this.counter = new AtomicLong(epochMillis << 20);
    }

    /**
     * Returns the next id.
     *
     * @return a new id
     */
    public MessageId next() {
      return new MessageId(salt, counter.incrementAndGet());
    }
  }
}
