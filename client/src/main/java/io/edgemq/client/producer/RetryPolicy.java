package io.edgemq.client.producer;

import io.edgemq.client.api.ClientException;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;

/**
 * Which failed sends are tried again, and when the route is queried again first.
 *
 * <ul>
 *   <li>Retried: no answer (transport failure, deadline), the {@code UNAVAILABLE} class (500-599:
 *       SERVICE_UNAVAILABLE, TOO_MANY_REQUESTS, DISK_FULL, NOT_LEADER, ...) except FLUSH_TIMEOUT
 *       and REPLICATION_TIMEOUT (the message was written: retrying would store it twice), and
 *       TOPIC_NOT_FOUND / QUEUE_NOT_FOUND (a stale route: another broker group or a fresh route may
 *       take it).
 *   <li>Never retried: invalid requests (BAD_REQUEST, ILLEGAL_TOPIC, ILLEGAL_MESSAGE,
 *       MESSAGE_TOO_LARGE, ...), permissions, conflicts, INTERNAL and unknown codes.
 * </ul>
 */
public final class RetryPolicy {
  private final int maxRetries;

  /**
   * @param maxRetries how many times a failed send is tried again (0 = never)
   */
  public RetryPolicy(int maxRetries) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
    }
    this.maxRetries = maxRetries;
  }

  /**
   * @return the number of retries after the first attempt
   */
  public int maxRetries() {
    return maxRetries;
  }

  /**
   * @param attempt the attempt that failed, from 1
   * @param failure why
   * @return whether to try again
   */
  public boolean shouldRetry(int attempt, ClientException failure) {
    return attempt <= maxRetries && isRetryable(failure);
  }

  /**
   * @param failure a failed send
   * @return whether the same send may succeed again
   */
  public static boolean isRetryable(ClientException failure) {
    if (failure.isTransport()) {
      return true;
    }
    int code = failure.codeValue();
    if (Codes.isWritten(code)) {
      return false;
    }
    return Codes.isRetryable(code)
        || code == Code.TOPIC_NOT_FOUND_VALUE
        || code == Code.QUEUE_NOT_FOUND_VALUE;
  }

  /**
   * @param failure a failed call to a broker
   * @return whether the topic's route should be queried again
   */
  public static boolean refreshesRoute(ClientException failure) {
    int code = failure.codeValue();
    return failure.isTransport()
        || code == Code.NOT_LEADER_VALUE
        || code == Code.TOPIC_NOT_FOUND_VALUE
        || code == Code.QUEUE_NOT_FOUND_VALUE;
  }
}
