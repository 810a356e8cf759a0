package io.edgemq.broker.offset;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CommitOffsetRequest;
import io.edgemq.protocol.v1.CommitOffsetResponse;
import io.edgemq.protocol.v1.QueryOffsetRequest;
import io.edgemq.protocol.v1.QueryOffsetResponse;
import io.edgemq.store.api.MessageStore;
import java.util.Optional;
import java.util.function.Predicate;

/** QueryOffset, CommitOffset, and the commit and epoch checks a pull does. */
public final class OffsetService {
  private final boolean master;
  private final OffsetTable table;
  private final TopicTable topics;
  private final MessageStore store;
  private final Predicate<String> broadcasting;

  /**
   * @param master whether this broker takes commits
   * @param table the offsets
   * @param topics the topic table
   * @param store the store (queue bounds)
   * @param broadcasting whether a group consumes in broadcasting mode (offsets per member)
   */
  public OffsetService(
      boolean master,
      OffsetTable table,
      TopicTable topics,
      MessageStore store,
      Predicate<String> broadcasting) {
    this.master = master;
    this.table = table;
    this.topics = topics;
    this.store = store;
    this.broadcasting = broadcasting;
  }

  /**
   * @param req the request
   * @return the answer
   */
  public QueryOffsetResponse query(QueryOffsetRequest req) {
    try {
      OffsetKey key =
          key(req.getConsumerGroup(), req.getClientId(), req.getTopic(), req.getQueueId());
      QueryOffsetResponse.Builder b =
          QueryOffsetResponse.newBuilder()
              .setMinOffset(store.minQueueOffset(key.topic(), key.queueId()))
              .setMaxOffset(store.maxQueueOffset(key.topic(), key.queueId()));
      Optional<OffsetEntry> e = table.find(key);
      b.setOffsetEpoch(e.map(OffsetEntry::epoch).orElse(0L));
      if (e.isPresent() && e.get().committed()) {
        return b.setStatus(Codes.ok()).setOffset(e.get().offset()).build();
      }
      return b.setStatus(
              Codes.status(
                  Code.OFFSET_NOT_FOUND,
                  "group " + key.group() + " never committed " + key.topic() + "/" + key.queueId()))
          .build();
    } catch (Rejection r) {
      return QueryOffsetResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  /**
   * @param req the request
   * @return the answer
   */
  public CommitOffsetResponse commit(CommitOffsetRequest req) {
    try {
      commit(
          req.getConsumerGroup(),
          req.getClientId(),
          req.getTopic(),
          req.getQueueId(),
          req.getOffset(),
          req.getOffsetEpoch());
      return CommitOffsetResponse.newBuilder().setStatus(Codes.ok()).build();
    } catch (Rejection r) {
      return CommitOffsetResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  /**
   * Commits an offset after checking names, queue, bounds and epoch.
   *
   * @param group the consumer group
   * @param clientId the caller
   * @param topic the topic
   * @param queueId the queue
   * @param offset the next message to consume
   * @param epoch the caller's epoch
   * @throws Rejection with the commit's code
   */
  public void commit(
      String group, String clientId, String topic, int queueId, long offset, long epoch) {
    OffsetKey key = key(group, clientId, topic, queueId);
    if (offset < 0) {
      throw new Rejection(Code.BAD_REQUEST, "offset " + offset + " is negative");
    }
    if (!master) {
      throw new Rejection(Code.NOT_LEADER, "this broker is a replica: commit at the master");
    }
    long max = store.maxQueueOffset(topic, queueId);
    if (offset > max) {
      throw new Rejection(
          Code.OFFSET_OVERFLOW,
          "offset " + offset + " is beyond the end " + max + " of " + topic + "/" + queueId);
    }
    table.commit(key, offset, epoch);
  }

  /**
   * @param group the consumer group
   * @param clientId the caller
   * @param topic the topic
   * @param queueId the queue
   * @param epoch the caller's epoch
   * @throws Rejection OFFSET_RESET when an admin reset the offset since the caller read it
   */
  public void checkEpoch(String group, String clientId, String topic, int queueId, long epoch) {
    OffsetKey key = key(group, clientId, topic, queueId);
    long current = table.epoch(key);
    if (epoch < current) {
      throw new Rejection(
          Code.OFFSET_RESET,
          "offset of " + topic + "/" + queueId + " was reset (epoch " + current + "): query it");
    }
  }

  private OffsetKey key(String group, String clientId, String topic, int queueId) {
    Names.checkConsumerGroup(group);
    topics.requireReadQueue(topic, queueId);
    if (broadcasting.test(group)) {
      if (clientId.isEmpty()) {
        throw new Rejection(Code.BAD_REQUEST, "client_id is required for broadcasting groups");
      }
      return new OffsetKey(group, topic, queueId, clientId);
    }
    return new OffsetKey(group, topic, queueId, "");
  }
}
