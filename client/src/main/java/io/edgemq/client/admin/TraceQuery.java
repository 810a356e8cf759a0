package io.edgemq.client.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.TraceEntry;
import io.edgemq.client.trace.TraceMessages;
import io.edgemq.protocol.v1.TraceEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the trace-topic messages found by key into a message's events in time order. */
final class TraceQuery {
  private static final Logger LOG = LoggerFactory.getLogger(TraceQuery.class);

  /** Most trace-topic messages asked of one broker. */
  static final int MAX_PER_BROKER = 1024;

  private TraceQuery() {}

  /**
   * @param found trace-topic messages from every broker (the same event may be found twice when a
   *     send was retried)
   * @return the decoded events, each once, oldest first
   */
  static List<TraceEntry> entries(List<MessageView> found) {
    Map<String, TraceEvent> unique = new LinkedHashMap<>();
    for (MessageView m : found) {
      try {
        unique.putIfAbsent(m.messageId(), TraceEvent.parseFrom(m.body()));
      } catch (InvalidProtocolBufferException e) {
        LOG.warn("skipping trace message {}: not a TraceEvent ({})", m.messageId(), e.getMessage());
      }
    }
    List<TraceEvent> events = new ArrayList<>(unique.values());
    events.sort(
        Comparator.comparingLong(TraceEvent::getTimestampMs)
            .thenComparingInt(TraceEvent::getKindValue));
    List<TraceEntry> out = new ArrayList<>(events.size());
    for (TraceEvent e : events) {
      out.add(entry(e));
    }
    return out;
  }

  static TraceEntry entry(TraceEvent e) {
    return new TraceEntry(
        TraceMessages.kindName(e.getKind()),
        e.getMessageId(),
        e.getTopic(),
        e.getTag(),
        e.getKeysList(),
        e.getTimestampMs(),
        e.getHost(),
        e.getClientId(),
        e.getGroup(),
        e.getBrokerName(),
        e.getQueueId(),
        e.getQueueOffset(),
        e.getCostMs(),
        e.getStatus(),
        e.getReconsumeTimes(),
        e.getTargetTopic());
  }
}
