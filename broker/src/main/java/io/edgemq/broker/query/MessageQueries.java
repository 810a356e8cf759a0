package io.edgemq.broker.query;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.common.SystemTopics;
import io.edgemq.broker.send.MessageMapper;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.QueryMessageByIdRequest;
import io.edgemq.protocol.v1.QueryMessageByIdResponse;
import io.edgemq.protocol.v1.QueryMessageByKeyRequest;
import io.edgemq.protocol.v1.QueryMessageByKeyResponse;
import io.edgemq.store.api.MessageId;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.StoredMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** QueryMessageById and QueryMessageByKey over the store's index. */
public final class MessageQueries {
  private final String brokerName;
  private final MessageStore store;
  private final TopicTable topics;
  private final Clock clock;

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
      long end = req.getEndTimestampMs() == 0 ? clock.millis() : req.getEndTimestampMs();
      if (begin < 0 || end < begin) {
        throw new Rejection(Code.BAD_REQUEST, "end " + end + " is before begin " + begin);
      }
      int max = req.getMaxMessages() == 0 ? 32 : req.getMaxMessages();
      if (max < 0 || max > 1024) {
        throw new Rejection(Code.BAD_REQUEST, "max_messages " + max + " is outside 0-1024");
      }
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
}
