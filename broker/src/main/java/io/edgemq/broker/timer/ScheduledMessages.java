package io.edgemq.broker.timer;

import io.edgemq.broker.common.SystemTopics;
import io.edgemq.broker.topic.Topic;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.StoredMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Converts between a message and its waiting copy in {@code %TIMER%}. */
final class ScheduledMessages {
  private ScheduledMessages() {}

  /**
   * @param real the message as it is to be delivered (topic and queue chosen)
   * @param deliverAt when it is due
   * @return its waiting copy: same id, tag, keys, body and born fields, destination in properties
   */
  static Message toTimer(Message real, long deliverAt) {
    Map<String, String> props = new LinkedHashMap<>(real.properties());
    props.put(SystemTopics.REAL_TOPIC, real.topic());
    props.put(SystemTopics.REAL_QUEUE, Integer.toString(real.queueId()));
    props.put(SystemTopics.DELIVER_AT, Long.toString(deliverAt));
    return copy(real.topic(), real, props).topic(SystemTopics.TIMER).queueId(0).build();
  }

  /**
   * @param waiting a record of {@code %TIMER%}
   * @return the same record to append again (a roll), unchanged but for its place
   */
  static Message again(StoredMessage waiting) {
    return fromStored(waiting, waiting.properties()).topic(SystemTopics.TIMER).queueId(0).build();
  }

  /**
   * @param waiting a record of {@code %TIMER%}
   * @param topics the topic table
   * @return the message to deliver, or empty when its topic no longer exists
   */
  static Optional<Message> toReal(StoredMessage waiting, TopicTable topics) {
    Map<String, String> props = new LinkedHashMap<>(waiting.properties());
    String topic = props.remove(SystemTopics.REAL_TOPIC);
    long queue = SystemTopics.longProperty(props, SystemTopics.REAL_QUEUE, 0);
    props.remove(SystemTopics.REAL_QUEUE);
    String due = props.remove(SystemTopics.DELIVER_AT);
    if (due != null) {
      props.put(SystemTopics.SCHEDULED_AT, due);
    }
    Optional<Topic> t = topic == null ? Optional.empty() : topics.find(topic);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    // the topic may have fewer queues now than when the message was sent
    int q = (int) Math.floorMod(queue, (long) t.get().writeQueues());
    return Optional.of(fromStored(waiting, props).topic(topic).queueId(q).build());
  }

  /**
   * @param waiting a record of {@code %TIMER%}
   * @return when it is due, or -1 when it says nothing
   */
  static long deliverAt(StoredMessage waiting) {
    return SystemTopics.longProperty(waiting.properties(), SystemTopics.DELIVER_AT, -1);
  }

  private static Message.Builder fromStored(StoredMessage s, Map<String, String> props) {
    Message.Builder b =
        Message.builder()
            .tags(s.tags())
            .keys(s.keys())
            .properties(props)
            .body(s.bodyBytes())
            .bornTimestamp(s.bornTimestamp())
            .messageId(s.messageId())
            .flags(s.flags());
    if (s.bornHost() != null) {
      b.bornHost(s.bornHost());
    }
    return b;
  }

  private static Message.Builder copy(String topic, Message m, Map<String, String> props) {
    Message.Builder b =
        Message.builder()
            .topic(topic)
            .tags(m.tags())
            .keys(m.keys())
            .properties(props)
            .body(m.body())
            .bornTimestamp(m.bornTimestamp())
            .flags(m.flags());
    if (m.messageId() != null) {
      b.messageId(m.messageId());
    }
    if (m.bornHost() != null) {
      b.bornHost(m.bornHost());
    }
    return b;
  }
}
