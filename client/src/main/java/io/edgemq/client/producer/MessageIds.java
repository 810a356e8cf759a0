package io.edgemq.client.producer;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Message ids assigned by the producer (so a retried send keeps its id): 8 random bytes drawn once
 * per process, then a counter that starts at the current time in nanoseconds; 32 hex digits.
 */
public final class MessageIds {
  private static final HexFormat HEX = HexFormat.of();
  private static final String PREFIX;
  private static final AtomicLong COUNTER = new AtomicLong(System.nanoTime());

  static {
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    PREFIX = HEX.formatHex(b);
  }

  private MessageIds() {}

  /**
   * @return a new id, 32 hex digits, unique within this process and very likely across processes
   */
  public static String next() {
    return PREFIX + HEX.toHexDigits(COUNTER.getAndIncrement());
  }
}
