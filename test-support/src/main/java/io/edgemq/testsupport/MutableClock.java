package io.edgemq.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that stands still until a test moves it, so expiry and retention need no waiting. */
public final class MutableClock extends Clock {
  private final AtomicLong millis;

  /** Starts at a fixed instant in 2023. */
  public MutableClock() {
    this(1_700_000_000_000L);
  }

  /**
   * @param startMillis the initial time, epoch ms
   */
  public MutableClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  /**
   * @param by how far to move forward
   */
  public void advance(Duration by) {
    millis.addAndGet(by.toMillis());
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
