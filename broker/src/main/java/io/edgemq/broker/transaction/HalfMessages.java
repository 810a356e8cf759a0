package io.edgemq.broker.transaction;

import io.edgemq.broker.api.TransactionConfig.Outcome;
import io.edgemq.broker.common.SystemTopics;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record formats of transactions.
 *
 * <ul>
 *   <li>Half message: topic {@code %HALF%}, queue 0; the message as sent (same id, tag, keys, body,
 *       born fields) with properties {@code %sys.real_topic}, {@code %sys.real_queue} and {@code
 *       %sys.tx_group}.
 *   <li>Op record: topic {@code %HALF_OP%}, queue 0, body and tag the outcome ({@code COMMIT} or
 *       {@code ROLLBACK}), properties {@code %sys.half_offset} (the half's CommitLog offset) and
 *       {@code %sys.tx_outcome}.
 *   <li>Committed message: the half in its real topic and queue with {@code %sys.half_offset}, so a
 *       restart can tell a half whose commit was stored but whose op record was not.
 * </ul>
 */
final class HalfMessages {
  private HalfMessages() {}

  static Message toHalf(Message real, String producerGroup) {
    Map<String, String> props = new LinkedHashMap<>(real.properties());
    props.put(SystemTopics.REAL_TOPIC, real.topic());
    props.put(SystemTopics.REAL_QUEUE, Integer.toString(real.queueId()));
    props.put(SystemTopics.TX_GROUP, producerGroup);
    Message.Builder b =
        Message.builder()
            .topic(SystemTopics.HALF)
            .queueId(0)
            .tags(real.tags())
            .keys(real.keys())
            .properties(props)
            .body(real.body())
            .bornTimestamp(real.bornTimestamp())
            .flags(real.flags());
    if (real.messageId() != null) {
      b.messageId(real.messageId());
    }
    if (real.bornHost() != null) {
      b.bornHost(real.bornHost());
    }
    return b.build();
  }

  static String realTopic(StoredMessage half) {
    return half.properties().getOrDefault(SystemTopics.REAL_TOPIC, "");
  }

  static int realQueue(StoredMessage half) {
    return (int) SystemTopics.longProperty(half.properties(), SystemTopics.REAL_QUEUE, 0);
  }

  static String group(StoredMessage half) {
    return half.properties().getOrDefault(SystemTopics.TX_GROUP, "");
  }

  /**
   * @param half the stored half message
   * @param queueId the real queue (possibly adjusted to the topic's current queue count)
   * @return the message to store in its real topic on commit
   */
  static Message toCommitted(StoredMessage half, int queueId) {
    Map<String, String> props = new LinkedHashMap<>(half.properties());
    String topic = props.remove(SystemTopics.REAL_TOPIC);
    props.remove(SystemTopics.REAL_QUEUE);
    props.remove(SystemTopics.TX_GROUP);
    props.put(SystemTopics.HALF_OFFSET, Long.toString(half.physicalOffset()));
    Message.Builder b =
        Message.builder()
            .topic(topic)
            .queueId(queueId)
            .tags(half.tags())
            .keys(half.keys())
            .properties(props)
            .body(half.bodyBytes())
            .bornTimestamp(half.bornTimestamp())
            .messageId(half.messageId())
            .flags(half.flags());
    if (half.bornHost() != null) {
      b.bornHost(half.bornHost());
    }
    return b.build();
  }

  /**
   * @param stored a record anywhere
   * @param halfOffset a half message's offset
   * @return whether it is that half's committed copy
   */
  static boolean isCommitOf(StoredMessage stored, long halfOffset) {
    return !stored.topic().startsWith("%")
        && SystemTopics.longProperty(stored.properties(), SystemTopics.HALF_OFFSET, -1)
            == halfOffset;
  }

  static Message op(long halfOffset, Outcome outcome) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(SystemTopics.HALF_OFFSET, Long.toString(halfOffset));
    props.put(SystemTopics.TX_OUTCOME, outcome.name());
    return Message.builder()
        .topic(SystemTopics.HALF_OP)
        .queueId(0)
        .tags(outcome.name())
        .properties(props)
        .body(outcome.name().getBytes(StandardCharsets.US_ASCII))
        .build();
  }

  /**
   * @param op a record of {@code %HALF_OP%}
   * @return the half offset it ends, or -1 when unreadable
   */
  static long opHalfOffset(StoredMessage op) {
    return SystemTopics.longProperty(op.properties(), SystemTopics.HALF_OFFSET, -1);
  }

  /**
   * @param op a record of {@code %HALF_OP%}
   * @return its outcome, or null when unreadable
   */
  static Outcome opOutcome(StoredMessage op) {
    String v = op.properties().get(SystemTopics.TX_OUTCOME);
    try {
      return v == null ? null : Outcome.valueOf(v);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
