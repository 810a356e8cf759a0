package io.edgemq.client.api;

import java.util.List;
import java.util.Objects;

/**
 * One event of a traced message's life, as {@link Admin#trace(String)} returns it (the fields of
 * {@code edgemq.v1.TraceEvent}, see docs/client.md "Message trace").
 *
 * @param kind SEND, STORE, DELIVER, CONSUME_OK, CONSUME_FAIL, RETRY, DEAD_LETTER or UNKNOWN
 * @param messageId the traced message's id
 * @param topic its topic as sent (the original topic for retries and dead letters)
 * @param tag its tag, "" for none
 * @param keys its keys
 * @param timestampMs when the step happened (the writer's clock, epoch ms)
 * @param host where the writer runs
 * @param clientId the writing client (for RETRY and DEAD_LETTER: the consumer that gave it back)
 * @param group the producer or consumer group
 * @param brokerName the broker group of the step
 * @param queueId the queue of the step, -1 when unknown
 * @param queueOffset the offset in that queue, -1 when unknown
 * @param costMs how long the step took (send round trip, append, listener run, retry back-off)
 * @param status "OK" or what went wrong
 * @param reconsumeTimes how many times the group had given the message back before this step
 * @param targetTopic the %RETRY%, %DLQ% or %TIMER% topic a copy went to; "" otherwise
 */
public record TraceEntry(
    String kind,
    String messageId,
    String topic,
    String tag,
    List<String> keys,
    long timestampMs,
    String host,
    String clientId,
    String group,
    String brokerName,
    int queueId,
    long queueOffset,
    long costMs,
    String status,
    int reconsumeTimes,
    String targetTopic) {

  /** Checks and copies the values. */
  public TraceEntry {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(messageId, "messageId");
    keys = List.copyOf(keys);
  }
}
