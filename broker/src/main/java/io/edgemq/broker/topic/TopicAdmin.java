package io.edgemq.broker.topic;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CreateTopicRequest;
import io.edgemq.protocol.v1.CreateTopicResponse;
import io.edgemq.protocol.v1.DeleteTopicRequest;
import io.edgemq.protocol.v1.DeleteTopicResponse;
import io.edgemq.protocol.v1.GetTopicRequest;
import io.edgemq.protocol.v1.GetTopicResponse;
import io.edgemq.protocol.v1.GetTopicStatsRequest;
import io.edgemq.protocol.v1.GetTopicStatsResponse;
import io.edgemq.protocol.v1.ListTopicsRequest;
import io.edgemq.protocol.v1.ListTopicsResponse;
import io.edgemq.protocol.v1.QueueStats;
import io.edgemq.protocol.v1.UpdateTopicRequest;
import io.edgemq.protocol.v1.UpdateTopicResponse;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.QueueReadStatus;
import java.util.function.Consumer;

/** The topic RPCs of {@code edgemq.v1.Admin}. */
public final class TopicAdmin {
  private final boolean master;
  private final TopicTable topics;
  private final MessageStore store;
  private final Consumer<String> onDelete;

  /**
   * @param master whether this broker takes admin writes
   * @param topics the table
   * @param store the store (queue bounds)
   * @param onDelete called with a deleted topic's name (offsets go)
   */
  public TopicAdmin(
      boolean master, TopicTable topics, MessageStore store, Consumer<String> onDelete) {
    this.master = master;
    this.topics = topics;
    this.store = store;
    this.onDelete = onDelete;
  }

  private void requireMaster() {
    if (!master) {
      throw new Rejection(
          Code.NOT_LEADER, "this broker is a replica: send admin writes to the master");
    }
  }

  /**
   * @param req the request
   * @return the answer
   */
  public CreateTopicResponse create(CreateTopicRequest req) {
    try {
      requireMaster();
      Topic t = topics.create(req.getTopic());
      return CreateTopicResponse.newBuilder().setStatus(Codes.ok()).setTopic(t.toProto()).build();
    } catch (Rejection r) {
      return CreateTopicResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  /**
   * @param req the request
   * @return the answer
   */
  public UpdateTopicResponse update(UpdateTopicRequest req) {
    try {
      requireMaster();
      Topic t = topics.update(req.getTopic());
      return UpdateTopicResponse.newBuilder().setStatus(Codes.ok()).setTopic(t.toProto()).build();
    } catch (Rejection r) {
      return UpdateTopicResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  /**
   * @param req the request
   * @return the answer
   */
  public DeleteTopicResponse delete(DeleteTopicRequest req) {
    try {
      requireMaster();
      topics.delete(req.getTopic());
      onDelete.accept(req.getTopic());
      return DeleteTopicResponse.newBuilder().setStatus(Codes.ok()).build();
    } catch (Rejection r) {
      return DeleteTopicResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  /**
   * @param req the request
   * @return the answer
   */
  public GetTopicResponse get(GetTopicRequest req) {
    try {
      Topic t = topics.require(Names.checkTopic(req.getTopic()));
      return GetTopicResponse.newBuilder().setStatus(Codes.ok()).setTopic(t.toProto()).build();
    } catch (Rejection r) {
      return GetTopicResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  /**
   * @param req the request
   * @return the answer
   */
  public ListTopicsResponse list(ListTopicsRequest req) {
    ListTopicsResponse.Builder b = ListTopicsResponse.newBuilder().setStatus(Codes.ok());
    for (Topic t : topics.all()) {
      if (req.getIncludeSystemTopics() || !Names.isSystem(t.name())) {
        b.addTopics(t.toProto());
      }
    }
    return b.build();
  }

  /**
   * @param req the request
   * @return the answer
   */
  public GetTopicStatsResponse stats(GetTopicStatsRequest req) {
    try {
      Topic t = topics.require(Names.checkTopic(req.getTopic()));
      GetTopicStatsResponse.Builder b = GetTopicStatsResponse.newBuilder().setStatus(Codes.ok());
      for (int q = 0; q < t.readQueues(); q++) {
        long min = store.minQueueOffset(t.name(), q);
        long max = store.maxQueueOffset(t.name(), q);
        b.addQueues(
            QueueStats.newBuilder()
                .setQueueId(q)
                .setMinOffset(min)
                .setMaxOffset(max)
                .setLastStoreTimestampMs(lastStoreTime(t.name(), q, min, max)));
      }
      return b.build();
    } catch (Rejection r) {
      return GetTopicStatsResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  private long lastStoreTime(String topic, int q, long min, long max) {
    if (max <= min) {
      return 0;
    }
    QueueReadResult r = store.read(topic, q, max - 1, 1, MessageFilter.ALL);
    return r.status() == QueueReadStatus.FOUND ? r.messages().get(0).storeTimestamp() : 0;
  }
}
