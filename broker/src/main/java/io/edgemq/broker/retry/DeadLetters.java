package io.edgemq.broker.retry;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.common.SystemTopics;
import io.edgemq.broker.send.MessageMapper;
import io.edgemq.broker.send.StatusMapping;
import io.edgemq.broker.topic.Topic;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.ListDeadLettersRequest;
import io.edgemq.protocol.v1.ListDeadLettersResponse;
import io.edgemq.protocol.v1.MessageQueue;
import io.edgemq.protocol.v1.ResendDeadLetterRequest;
import io.edgemq.protocol.v1.ResendDeadLetterResponse;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.QueueReadStatus;
import io.edgemq.store.api.StoredMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/** Admin access to a group's dead-letter topic: list its messages, resend one to its topic. */
public final class DeadLetters {
  private static final int SCAN_PAGE = 256;

  private final String brokerName;
  private final boolean master;
  private final MessageStore store;
  private final TopicTable topics;
  private final Executor executor;
  private final AtomicInteger roundRobin = new AtomicInteger();

  /**
   * @param brokerName this broker group's name
   * @param master whether this broker takes writes
   * @param store the store
   * @param topics the topic table
   * @param executor where answers are completed
   */
  public DeadLetters(
      String brokerName, boolean master, MessageStore store, TopicTable topics, Executor executor) {
    this.brokerName = brokerName;
    this.master = master;
    this.store = store;
    this.topics = topics;
    this.executor = executor;
  }

  /**
   * @param req the request
   * @return a page of dead letters
   */
  public ListDeadLettersResponse list(ListDeadLettersRequest req) {
    String dlq = SystemTopics.deadLetter(Names.checkConsumerGroup(req.getGroup()));
    int max = req.getMaxMessages() == 0 ? 32 : req.getMaxMessages();
    if (max < 1 || max > 1024 || req.getOffset() < 0) {
      throw new Rejection(Code.BAD_REQUEST, "offset >= 0 and max_messages 0-1024 required");
    }
    QueueReadResult r = store.read(dlq, 0, req.getOffset(), max, MessageFilter.ALL);
    ListDeadLettersResponse.Builder b =
        ListDeadLettersResponse.newBuilder()
            .setNextOffset(r.nextOffset())
            .setMinOffset(r.minOffset())
            .setMaxOffset(r.maxOffset());
    for (StoredMessage s : r.messages()) {
      b.addMessages(MessageMapper.toProto(s, brokerName));
    }
    return b.setStatus(
            r.status() == QueueReadStatus.OFFSET_GONE
                ? Codes.status(
                    Code.OFFSET_GONE, "dead letters before " + r.minOffset() + " are gone")
                : Codes.ok())
        .build();
  }

  /**
   * @param req the request
   * @return the answer, once the copy is stored
   */
  public CompletableFuture<ResendDeadLetterResponse> resend(ResendDeadLetterRequest req) {
    String dlq = SystemTopics.deadLetter(Names.checkConsumerGroup(req.getGroup()));
    if (req.getMessageId().isEmpty()) {
      throw new Rejection(Code.BAD_REQUEST, "message_id is required");
    }
    if (!master) {
      throw new Rejection(Code.NOT_LEADER, "this broker is a replica");
    }
    StoredMessage s =
        find(dlq, req.getMessageId())
            .orElseThrow(
                () ->
                    new Rejection(
                        Code.MESSAGE_NOT_FOUND,
                        "no dead letter " + req.getMessageId() + " in " + dlq));
    Map<String, String> props = new LinkedHashMap<>(s.properties());
    String original = props.remove(SystemTopics.ORIGINAL_TOPIC);
    props.remove(SystemTopics.RECONSUME_TIMES);
    props.remove(SystemTopics.FAILURES);
    Topic topic =
        topics
            .find(original == null ? "" : original)
            .orElseThrow(
                () ->
                    new Rejection(
                        Code.TOPIC_NOT_FOUND, "the original topic " + original + " is gone"));
    int q = Math.floorMod(roundRobin.getAndIncrement(), topic.writeQueues());
    Message.Builder copy =
        Message.builder()
            .topic(topic.name())
            .queueId(q)
            .tags(s.tags())
            .keys(s.keys())
            .properties(props)
            .body(s.bodyBytes())
            .bornTimestamp(s.bornTimestamp())
            .messageId(s.messageId())
            .flags(s.flags());
    if (s.bornHost() != null) {
      copy.bornHost(s.bornHost());
    }
    return store
        .append(copy.build())
        .handleAsync(
            (r, e) -> {
              if (e != null || !StatusMapping.written(r.status())) {
                return ResendDeadLetterResponse.newBuilder()
                    .setStatus(
                        Codes.status(
                            e != null ? Code.INTERNAL : StatusMapping.code(r.status()),
                            "resend to " + topic.name() + " failed: " + (e != null ? e : r)))
                    .build();
              }
              return ResendDeadLetterResponse.newBuilder()
                  .setStatus(Codes.ok())
                  .setQueue(
                      MessageQueue.newBuilder()
                          .setTopic(topic.name())
                          .setBrokerName(brokerName)
                          .setQueueId(q))
                  .setQueueOffset(r.queueOffset())
                  .build();
            },
            executor);
  }

  private Optional<StoredMessage> find(String dlq, String id) {
    long offset = store.minQueueOffset(dlq, 0);
    long end = store.maxQueueOffset(dlq, 0);
    // dead-letter queues are small and this is an operator's action: a scan is fine
    while (offset < end) {
      QueueReadResult r = store.read(dlq, 0, offset, SCAN_PAGE, MessageFilter.ALL);
      for (StoredMessage s : r.messages()) {
        if (s.messageId().toString().equalsIgnoreCase(id)) {
          return Optional.of(s);
        }
      }
      if (r.nextOffset() <= offset) {
        break;
      }
      offset = r.nextOffset();
    }
    return Optional.empty();
  }
}
