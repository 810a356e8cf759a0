package io.edgemq.broker.query;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.group.GroupManager;
import io.edgemq.broker.offset.OffsetEntry;
import io.edgemq.broker.offset.OffsetKey;
import io.edgemq.broker.offset.OffsetTable;
import io.edgemq.broker.topic.Topic;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.GetConsumerLagRequest;
import io.edgemq.protocol.v1.GetConsumerLagResponse;
import io.edgemq.protocol.v1.MessageQueue;
import io.edgemq.protocol.v1.QueueLag;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.QueueReadStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** GetConsumerLag: per queue (per member and queue for broadcasting groups). */
public final class ConsumerLag {
  private final String brokerName;
  private final MessageStore store;
  private final TopicTable topics;
  private final GroupManager groups;
  private final OffsetTable offsets;

  /**
   * @param brokerName this broker group's name
   * @param store the store
   * @param topics the topic table
   * @param groups the group manager
   * @param offsets the committed offsets
   */
  public ConsumerLag(
      String brokerName,
      MessageStore store,
      TopicTable topics,
      GroupManager groups,
      OffsetTable offsets) {
    this.brokerName = brokerName;
    this.store = store;
    this.topics = topics;
    this.groups = groups;
    this.offsets = offsets;
  }

  /**
   * @param req the request
   * @return the answer
   */
  public GetConsumerLagResponse lag(GetConsumerLagRequest req) {
    try {
      String group = Names.checkConsumerGroup(req.getGroup());
      List<Map.Entry<OffsetKey, OffsetEntry>> committed = offsets.ofGroup(group);
      Set<String> subscribed = groups.subscribedTopics(group);
      if (committed.isEmpty() && subscribed.isEmpty() && groups.memberIds(group).isEmpty()) {
        throw new Rejection(Code.GROUP_NOT_FOUND, "group " + group + " is unknown here");
      }
      Set<String> names = new TreeSet<>();
      if (!req.getTopic().isEmpty()) {
        names.add(topics.require(Names.checkTopic(req.getTopic())).name());
      } else {
        names.addAll(subscribed);
        committed.forEach(e -> names.add(e.getKey().topic()));
      }
      boolean broadcasting = groups.isBroadcasting(group);
      Map<String, List<MessageQueue>> assignment = groups.assignment(group);
      GetConsumerLagResponse.Builder b = GetConsumerLagResponse.newBuilder().setStatus(Codes.ok());
      long total = 0;
      for (String name : names) {
        Optional<Topic> t = topics.find(name);
        if (t.isEmpty()) {
          continue;
        }
        for (int q = 0; q < t.get().readQueues(); q++) {
          Set<String> clients = new TreeSet<>();
          if (broadcasting) {
            clients.addAll(groups.memberIds(group));
            for (Map.Entry<OffsetKey, OffsetEntry> e : committed) {
              if (e.getKey().topic().equals(name) && e.getKey().queueId() == q) {
                clients.add(e.getKey().clientId());
              }
            }
          } else {
            clients.add("");
          }
          for (String client : clients) {
            QueueLag l = entry(group, name, q, client, broadcasting, assignment);
            total += l.getLag();
            b.addQueues(l);
          }
        }
      }
      return b.setTotalLag(total).build();
    } catch (Rejection r) {
      return GetConsumerLagResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  private QueueLag entry(
      String group,
      String topic,
      int q,
      String client,
      boolean broadcasting,
      Map<String, List<MessageQueue>> assignment) {
    long min = store.minQueueOffset(topic, q);
    long max = store.maxQueueOffset(topic, q);
    Optional<OffsetEntry> c =
        offsets.find(new OffsetKey(group, topic, q, client)).filter(OffsetEntry::committed);
    long from = c.map(e -> Math.max(e.offset(), min)).orElse(min);
    long lag = Math.max(0, max - from);
    QueueLag.Builder l =
        QueueLag.newBuilder()
            .setQueue(
                MessageQueue.newBuilder().setTopic(topic).setBrokerName(brokerName).setQueueId(q))
            .setClientId(broadcasting ? client : owner(assignment, topic, q))
            .setMinOffset(min)
            .setMaxOffset(max)
            .setLag(lag);
    c.ifPresent(e -> l.setCommittedOffset(e.offset()));
    if (lag > 0) {
      QueueReadResult r = store.read(topic, q, from, 1, MessageFilter.ALL);
      if (r.status() == QueueReadStatus.FOUND) {
        l.setOldestUnconsumedStoreTimestampMs(r.messages().get(0).storeTimestamp());
      }
    }
    return l.build();
  }

  private static String owner(Map<String, List<MessageQueue>> assignment, String topic, int q) {
    Map<String, String> owners = new HashMap<>();
    for (Map.Entry<String, List<MessageQueue>> e : assignment.entrySet()) {
      for (MessageQueue mq : e.getValue()) {
        owners.put(mq.getTopic() + "#" + mq.getQueueId(), e.getKey());
      }
    }
    return owners.getOrDefault(topic + "#" + q, "");
  }
}
