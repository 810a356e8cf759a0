package io.edgemq.client.api;

import io.edgemq.protocol.v1.Code;
import java.util.Objects;

/**
 * Where a message was stored.
 *
 * @param messageId the message id, 32 hex digits
 * @param queue the queue it went to
 * @param queueOffset its offset in that queue
 * @param storeTimestampMs when the broker stored it
 * @param code {@link Code#OK}, or {@link Code#FLUSH_TIMEOUT} / {@link Code#REPLICATION_TIMEOUT}
 *     when it was written but its durability is unknown
 */
public record SendResult(
    String messageId, MessageQueue queue, long queueOffset, long storeTimestampMs, Code code) {

  /** Checks the values. */
  public SendResult {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(code, "code");
  }

  /**
   * Whether the broker confirmed the message as durable under its flush and replication mode.
   *
   * @return true for {@link Code#OK}
   */
  public boolean isDurable() {
    return code == Code.OK;
  }
}
