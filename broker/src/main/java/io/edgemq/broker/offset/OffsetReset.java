package io.edgemq.broker.offset;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.query.StoreTimeSearch;
import io.edgemq.broker.topic.Topic;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.MessageQueue;
import io.edgemq.protocol.v1.OffsetPosition;
import io.edgemq.protocol.v1.ResetOffsetRequest;
import io.edgemq.protocol.v1.ResetOffsetResponse;
import io.edgemq.protocol.v1.ResetQueue;
import io.edgemq.store.api.MessageStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Admin.ResetOffset}: moves a group's committed offsets, clamped into each queue's [min,
 * max], and raises each moved entry's epoch so holders of the old epoch get OFFSET_RESET. The
 * offsets file is written at once.
 */
public final class OffsetReset {
  private static final Logger LOG = LoggerFactory.getLogger(OffsetReset.class);

  private final String brokerName;
  private final boolean master;
  private final OffsetTable table;
  private final TopicTable topics;
  private final MessageStore store;
  private final StoreTimeSearch timeSearch;
  private final Predicate<String> groupKnown;
  private final Predicate<String> broadcasting;
  private final Function<String, List<String>> liveMembers;

  /**
   * @param brokerName set on the answered queues
   * @param master whether this broker takes admin writes
   * @param table the offsets
   * @param topics the topic table
   * @param store the store (queue bounds)
   * @param groupKnown whether a consumer group exists here (configured, live members or offsets)
   * @param broadcasting whether a group consumes in broadcasting mode
   * @param liveMembers a group's live member ids
   */
  public OffsetReset(
      String brokerName,
      boolean master,
      OffsetTable table,
      TopicTable topics,
      MessageStore store,
      Predicate<String> groupKnown,
      Predicate<String> broadcasting,
      Function<String, List<String>> liveMembers) {
    this.brokerName = brokerName;
    this.master = master;
    this.table = table;
    this.topics = topics;
    this.store = store;
    this.timeSearch = new StoreTimeSearch(store);
    this.groupKnown = groupKnown;
    this.broadcasting = broadcasting;
    this.liveMembers = liveMembers;
  }

  /**
   * @param req the request
   * @return the answer
   */
  public ResetOffsetResponse reset(ResetOffsetRequest req) {
    try {
      return ResetOffsetResponse.newBuilder()
          .setStatus(Codes.ok())
          .addAllQueues(doReset(req))
          .build();
    } catch (Rejection r) {
      return ResetOffsetResponse.newBuilder().setStatus(r.status()).build();
    }
  }

  private List<ResetQueue> doReset(ResetOffsetRequest req) {
    String group = Names.checkConsumerGroup(req.getGroup());
    Names.checkTopic(req.getTopic());
    if (!master) {
      throw new Rejection(
          Code.NOT_LEADER, "this broker is a replica: send admin writes to the master");
    }
    switch (req.getTargetCase()) {
      case OFFSET:
        if (req.getOffset() < 0) {
          throw new Rejection(Code.BAD_REQUEST, "offset " + req.getOffset() + " is negative");
        }
        break;
      case POSITION:
        if (req.getPosition() == OffsetPosition.OFFSET_POSITION_UNSPECIFIED) {
          throw new Rejection(Code.BAD_REQUEST, "position is UNSPECIFIED: say where to");
        }
        if (req.getPosition() != OffsetPosition.OFFSET_POSITION_EARLIEST
            && req.getPosition() != OffsetPosition.OFFSET_POSITION_LATEST) {
          throw new Rejection(
              Code.UNSUPPORTED, "unknown position " + req.getPositionValue() + ": not supported");
        }
        break;
      case TIMESTAMP_MS:
        if (req.getTimestampMs() < 0) {
          throw new Rejection(
              Code.BAD_REQUEST, "timestamp_ms " + req.getTimestampMs() + " is negative");
        }
        break;
      default:
        throw new Rejection(Code.BAD_REQUEST, "no target: set offset, position or timestamp_ms");
    }
    Topic t = topics.require(req.getTopic());
    int from = 0;
    int to = t.readQueues();
    if (req.hasQueueId()) {
      topics.requireReadQueue(t.name(), req.getQueueId());
      from = req.getQueueId();
      to = from + 1;
    }
    if (!groupKnown.test(group)) {
      throw new Rejection(Code.GROUP_NOT_FOUND, "consumer group '" + group + "' is unknown here");
    }
    boolean bc = broadcasting.test(group);
    List<ResetQueue> out = new java.util.ArrayList<>();
    for (int q = from; q < to; q++) {
      long target = target(req, t.name(), q);
      for (String client : clients(group, t.name(), q, bc, req.getClientId())) {
        OffsetEntry e = table.reset(new OffsetKey(group, t.name(), q, client), target);
        out.add(
            ResetQueue.newBuilder()
                .setQueue(
                    MessageQueue.newBuilder()
                        .setTopic(t.name())
                        .setBrokerName(brokerName)
                        .setQueueId(q))
                .setClientId(client)
                .setOffset(e.offset())
                .setOffsetEpoch(e.epoch())
                .build());
      }
    }
    try {
      table.flush();
    } catch (IOException e) {
      LOG.error("writing consumer offsets after a reset failed; retrying next period", e);
    }
    LOG.info("reset {} offsets of group {} on topic {}", out.size(), group, t.name());
    return out;
  }

  private long target(ResetOffsetRequest req, String topic, int q) {
    long min = store.minQueueOffset(topic, q);
    long max = store.maxQueueOffset(topic, q);
    return switch (req.getTargetCase()) {
      case OFFSET -> Math.max(min, Math.min(max, req.getOffset()));
      case TIMESTAMP_MS -> timeSearch.firstOffsetAtOrAfter(topic, q, req.getTimestampMs());
      default -> req.getPosition() == OffsetPosition.OFFSET_POSITION_EARLIEST ? min : max;
    };
  }

  private Set<String> clients(String group, String topic, int q, boolean bc, String clientId) {
    Set<String> out = new TreeSet<>();
    if (!bc) {
      out.add("");
      return out;
    }
    if (!clientId.isEmpty()) {
      out.add(clientId);
      return out;
    }
    for (Map.Entry<OffsetKey, OffsetEntry> e : table.ofGroup(group)) {
      OffsetKey k = e.getKey();
      if (k.topic().equals(topic) && k.queueId() == q && !k.clientId().isEmpty()) {
        out.add(k.clientId());
      }
    }
    out.addAll(liveMembers.apply(group));
    return out;
  }
}
