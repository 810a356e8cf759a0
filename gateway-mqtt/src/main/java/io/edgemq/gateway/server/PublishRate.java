package io.edgemq.gateway.server;

/**
 * A token bucket for one connection's PUBLISHes: {@code perSecond} tokens a second, at most one
 * second's worth saved up. Time is passed in, so tests drive it with their own clock. Used on the
 * connection's event loop only.
 */
final class PublishRate {
  private final double perMilli;
  private final double burst;
  private double tokens;
  private long last;

  PublishRate(int perSecond, long nowMillis) {
    this.perMilli = perSecond / 1000.0;
    this.burst = perSecond;
    this.tokens = perSecond;
    this.last = nowMillis;
  }

  /**
   * Takes a token for one PUBLISH.
   *
   * @param nowMillis the current time
   * @return 0 when the PUBLISH was within the rate, otherwise how many milliseconds the connection
   *     should not be read for the bucket to cover it
   */
  long take(long nowMillis) {
    tokens = Math.min(burst, tokens + (nowMillis - last) * perMilli);
    last = nowMillis;
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perMilli);
  }
}
