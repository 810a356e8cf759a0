package io.edgemq.broker.query;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.common.SystemTopics;
import io.edgemq.broker.send.MessageMapper;
import io.edgemq.broker.topic.Topic;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.QueryMessageByIdRequest;
import io.edgemq.protocol.v1.QueryMessageByIdResponse;
import io.edgemq.protocol.v1.QueryMessageByKeyRequest;
import io.edgemq.protocol.v1.QueryMessageByKeyResponse;
import io.edgemq.protocol.v1.QueryMessagesByTimeRequest;
import io.edgemq.protocol.v1.QueryMessagesByTimeResponse;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageId;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.StoredMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * QueryMessageById and QueryMessageByKey over the store's index; QueryMessagesByTime over the
 * consume queues (binary search by store time, then reading forward).
 */
public final class MessageQueries {
  private final String brokerName;
  private final MessageStore store;
  private final TopicTable topics;
  private final Clock clock;
  private final StoreTimeSearch timeSearch;

  /**
   * @param brokerName this broker group's name
   * @param store the store
   * @param topics the topic table
   * @param clock the broker's clock (end time 0 = now)
   */
  public MessageQueries(String brokerName, MessageStore store, TopicTable topics, Clock clock) {
    this.brokerName = brokerName;
    this.store = store;
    this.topics = topics;
    this.clock = clock;
    this.timeSearch = new StoreTimeSearch(store);
  }

  /**
   * @param req the request
   * @return the answer
   */
  public QueryMessageByIdResponse byId(QueryMessageByIdRequest req) {
    MessageId id;
    try {
      id = MessageId.parse(req.getMessageId());
    } catch (IllegalArgumentException e) {
      return QueryMessageByIdResponse.newBuilder()
          .setStatus(
              Codes.status(
                  Code.BAD_REQUEST, "message_id '" + req.getMessageId() + "' is not 32 hex digits"))
          .build();
    }
    // a committed transactional message shares its id with its half message in %HALF%: show the
    // delivered copy when there is one
    List<StoredMessage> all = store.findAllById(id, 8);
    Optional<StoredMessage> m =
        all.stream()
            .filter(s -> !s.topic().equals(SystemTopics.HALF))
            .findFirst()
            .or(() -> all.stream().findFirst());
    if (m.isEmpty()) {
      return QueryMessageByIdResponse.newBuilder()
          .setStatus(Codes.status(Code.MESSAGE_NOT_FOUND, "no message " + id + " here"))
          .build();
    }
    return QueryMessageByIdResponse.newBuilder()
        .setStatus(Codes.ok())
        .setMessage(MessageMapper.toProto(m.get(), brokerName))
        .build();
  }

  /**
   * @param req the request
   * @return the answer, newest first
   */
  public QueryMessageByKeyResponse byKey(QueryMessageByKeyRequest req) {
    try {
      topics.require(Names.checkTopic(req.getTopic()));
      if (req.getKey().isEmpty()) {
        throw new Rejection(Code.BAD_REQUEST, "key is required");
      }
      long begin = req.getBeginTimestampMs();
      long end = end(begin, req.getEndTimestampMs());
      int max = max(req.getMaxMessages());
      List<StoredMessage> found =
          new ArrayList<>(store.findByKey(req.getTopic(), req.getKey(), begin, end, max));
      found.sort(
          Comparator.comparingLong(StoredMessage::storeTimestamp)
              .thenComparingLong(StoredMessage::physicalOffset)
              .reversed());
      QueryMessageByKeyResponse.Builder b =
          QueryMessageByKeyResponse.newBuilder().setStatus(Codes.ok());
      for (StoredMessage m : found) {
        b.addMessages(MessageMapper.toProto(m, brokerName));
      }
      return b.build();
    } catch (Rejection r) {
      return QueryMessageByKeyResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  private long end(long begin, long endMs) {
    long end = endMs == 0 ? clock.millis() : endMs;
    if (begin < 0 || end < begin) {
      throw new Rejection(Code.BAD_REQUEST, "end " + end + " is before begin " + begin);
    }
    return end;
  }

  private static int max(int maxMessages) {
    int max = maxMessages == 0 ? 32 : maxMessages;
    if (max < 0 || max > 1024) {
      throw new Rejection(Code.BAD_REQUEST, "max_messages " + max + " is outside 0-1024");
    }
    return max;
  }

  /**
   * @param req the request
   * @return the answer, oldest first
   */
  public QueryMessagesByTimeResponse byTime(QueryMessagesByTimeRequest req) {
    try {
      Topic t = topics.require(Names.checkTopic(req.getTopic()));
      long begin = req.getBeginTimestampMs();
      long end = end(begin, req.getEndTimestampMs());
      int max = max(req.getMaxMessages());
      List<StoredMessage> found = new ArrayList<>();
      boolean truncated = false;
      for (int q = 0; q < t.readQueues(); q++) {
        truncated |= readRange(t.name(), q, begin, end, max, found);
      }
      found.sort(
          Comparator.comparingLong(StoredMessage::storeTimestamp)
              .thenComparingInt(StoredMessage::queueId)
              .thenComparingLong(StoredMessage::queueOffset));
      if (found.size() > max) {
        found = found.subList(0, max);
        truncated = true;
      }
      QueryMessagesByTimeResponse.Builder b =
          QueryMessagesByTimeResponse.newBuilder().setStatus(Codes.ok()).setTruncated(truncated);
      for (StoredMessage m : found) {
        b.addMessages(MessageMapper.toProto(m, brokerName));
      }
      return b.build();
    } catch (Rejection r) {
      return QueryMessagesByTimeResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  /**
   * Adds up to {@code max} messages of one queue stored within [begin, end] to {@code out}.
   *
   * @return whether the queue has more messages in the range than were added
   */
  private boolean readRange(
      String topic, int q, long begin, long end, int max, List<StoredMessage> out) {
    long offset = timeSearch.firstOffsetAtOrAfter(topic, q, begin);
    int taken = 0;
    while (true) {
      QueueReadResult r = store.read(topic, q, offset, max - taken + 1, MessageFilter.ALL);
      if (r.messages().isEmpty()) {
        // the end, or only unreadable units up to nextOffset
        if (r.nextOffset() <= offset) {
          return false;
        }
        offset = r.nextOffset();
        continue;
      }
      for (StoredMessage m : r.messages()) {
        if (m.storeTimestamp() > end) {
          return false;
        }
        if (taken == max) {
          return true;
        }
        out.add(m);
        taken++;
      }
      offset = r.nextOffset();
    }
  }
}
