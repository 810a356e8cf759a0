package io.edgemq.broker.group;

import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.broker.common.SystemTopics;
import io.edgemq.broker.pull.TagFilter;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.ClientInfo;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.ConsumeMode;
import io.edgemq.protocol.v1.ConsumerAssignment;
import io.edgemq.protocol.v1.ConsumerRegistration;
import io.edgemq.protocol.v1.GroupMember;
import io.edgemq.protocol.v1.HeartbeatRequest;
import io.edgemq.protocol.v1.HeartbeatResponse;
import io.edgemq.protocol.v1.MessageQueue;
import io.edgemq.protocol.v1.Subscription;
import io.edgemq.protocol.v1.UnregisterClientRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumer and producer group membership on this broker and the queue assignment.
 *
 * <p>A heartbeat lists all groups of a client: the client joins (or refreshes) each listed group
 * and leaves the consumer groups it no longer lists. Members silent for longer than the member
 * timeout are dropped, judged by the injected clock whenever a group is looked at.
 */
public final class GroupManager {
  private final String brokerName;
  private final Clock clock;
  private final Duration memberTimeout;
  private final Duration heartbeatInterval;
  private final TopicTable topics;
  private final GroupTable table;
  private final Map<String, ConsumerGroup> groups = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Long>> producers = new ConcurrentHashMap<>();
  private final AtomicLong joinSeq = new AtomicLong();

  /**
   * @param brokerName this broker group's name, set on assigned queues
   * @param clock the broker's clock
   * @param memberTimeout how long a silent member stays
   * @param heartbeatInterval the interval announced to clients
   * @param topics the topic table (queue counts, permissions)
   * @param table the consumer group table (auto-created on heartbeats, consume_disabled)
   */
  public GroupManager(
      String brokerName,
      Clock clock,
      Duration memberTimeout,
      Duration heartbeatInterval,
      TopicTable topics,
      GroupTable table) {
    this.brokerName = brokerName;
    this.clock = clock;
    this.memberTimeout = memberTimeout;
    this.heartbeatInterval = heartbeatInterval;
    this.topics = topics;
    this.table = table;
  }

  /**
   * Handles a client heartbeat.
   *
   * @param req the request
   * @param peer the connection's peer address, or null
   * @return the answer with one assignment per registration
   * @throws Rejection BAD_REQUEST (no client id), ILLEGAL_GROUP (a producer group)
   */
  public HeartbeatResponse heartbeat(HeartbeatRequest req, Address peer) {
    String clientId = req.getClient().getClientId();
    if (clientId.isEmpty()) {
      throw new Rejection(Code.BAD_REQUEST, "client.client_id is required");
    }
    long now = clock.millis();
    for (String pg : req.getProducerGroupsList()) {
      Names.checkProducerGroup(pg);
    }
    for (String pg : req.getProducerGroupsList()) {
      producers.computeIfAbsent(pg, k -> new ConcurrentHashMap<>()).put(clientId, now);
    }
    HeartbeatResponse.Builder out =
        HeartbeatResponse.newBuilder()
            .setStatus(Codes.ok())
            .setHeartbeatIntervalMs(heartbeatInterval.toMillis());
    Set<String> listed = new HashSet<>();
    for (ConsumerRegistration reg : req.getConsumersList()) {
      listed.add(reg.getGroup());
      out.addAssignments(register(reg, req, peer, now));
    }
    for (ConsumerGroup g : groups.values()) {
      if (!listed.contains(g.name())) {
        g.remove(clientId);
      }
    }
    return out.build();
  }

  private ConsumerAssignment register(
      ConsumerRegistration reg, HeartbeatRequest req, Address peer, long now) {
    ConsumerAssignment.Builder a = ConsumerAssignment.newBuilder().setGroup(reg.getGroup());
    Map<String, String> filters = new LinkedHashMap<>();
    ConsumeMode mode;
    try {
      Names.checkConsumerGroup(reg.getGroup());
      mode = mode(reg.getConsumeMode());
      for (Subscription s : reg.getSubscriptionsList()) {
        Names.checkTopic(s.getTopic());
        filters.put(
            s.getTopic(),
            (s.hasFilter() ? TagFilter.parse(s.getFilter()) : TagFilter.ALL).canonical());
      }
    } catch (Rejection r) {
      return a.setStatus(r.status()).build();
    }
    table.createIfAbsent(reg.getGroup());
    String retryTopic = SystemTopics.retry(reg.getGroup());
    if (mode == ConsumeMode.CONSUME_MODE_CLUSTERING && filters.containsKey(retryTopic)) {
      // the retry topic exists before the first failure, so members already hold its queue
      topics.createSystemIfAbsent(retryTopic, 1);
    }
    String clientId = req.getClient().getClientId();
    ConsumerGroup g = groups.computeIfAbsent(reg.getGroup(), n -> new ConsumerGroup(n, brokerName));
    synchronized (g) {
      long seq = g.member(clientId).map(Member::joinSeq).orElseGet(joinSeq::incrementAndGet);
      g.put(
          new Member(
              req.getClient(),
              mode,
              Map.copyOf(filters),
              reg.getSubscriptionsList(),
              seq,
              now,
              peer));
      Assignment as = assignment(g);
      List<MessageQueue> mine = as.queues().getOrDefault(clientId, List.of());
      a.setAssignmentVersion(as.version()).addAllQueues(mine);
      Set<String> conflicts = as.conflicts().get(clientId);
      Set<String> unreadable = as.unreadable().get(clientId);
      if (table.consumeDisabled(reg.getGroup())) {
        a.setStatus(
            Codes.status(
                Code.NO_READ_PERMISSION,
                "consumption of group " + reg.getGroup() + " is disabled by an operator"));
      } else if (conflicts != null) {
        a.setStatus(
            Codes.status(
                Code.SUBSCRIPTION_CONFLICT,
                "subscription or consume mode differs from group "
                    + reg.getGroup()
                    + " for topics "
                    + conflicts));
      } else if (unreadable != null) {
        a.setStatus(
            Codes.status(Code.NO_READ_PERMISSION, "topics " + unreadable + " do not allow reads"));
      } else {
        a.setStatus(Codes.ok());
      }
    }
    return a.build();
  }

  private static ConsumeMode mode(ConsumeMode m) {
    switch (m) {
      case CONSUME_MODE_UNSPECIFIED:
      case CONSUME_MODE_CLUSTERING:
        return ConsumeMode.CONSUME_MODE_CLUSTERING;
      case CONSUME_MODE_BROADCASTING:
        return m;
      default:
        throw new Rejection(Code.UNSUPPORTED, "unknown consume mode " + m);
    }
  }

  private Assignment assignment(ConsumerGroup g) {
    g.expire(clock.millis() - memberTimeout.toMillis());
    Assignment as = g.assignment(topics.dataVersion(), topics::find);
    if (table.consumeDisabled(g.name())) {
      return new Assignment(Map.of(), as.conflicts(), as.unreadable(), as.version());
    }
    return as;
  }

  /**
   * Handles UnregisterClient.
   *
   * @param req the request
   * @throws Rejection BAD_REQUEST (no client id)
   */
  public void unregister(UnregisterClientRequest req) {
    if (req.getClientId().isEmpty()) {
      throw new Rejection(Code.BAD_REQUEST, "client_id is required");
    }
    for (String g : req.getConsumerGroupsList()) {
      ConsumerGroup cg = groups.get(g);
      if (cg != null) {
        cg.remove(req.getClientId());
      }
    }
    for (String g : req.getProducerGroupsList()) {
      Map<String, Long> m = producers.get(g);
      if (m != null) {
        m.remove(req.getClientId());
      }
    }
  }

  /**
   * Whether {@code clientId} may pull a queue for {@code group}.
   *
   * @param group the consumer group
   * @param clientId the caller
   * @param topic the topic
   * @param queueId the queue
   * @return the verdict
   */
  public Ownership ownership(String group, String clientId, String topic, int queueId) {
    ConsumerGroup g = groups.get(group);
    if (g == null) {
      return Ownership.UNCHECKED;
    }
    synchronized (g) {
      Assignment as = assignment(g);
      if (g.isEmpty() || g.mode() == ConsumeMode.CONSUME_MODE_BROADCASTING) {
        return Ownership.UNCHECKED;
      }
      for (MessageQueue q : as.queues().getOrDefault(clientId, List.of())) {
        if (q.getQueueId() == queueId && q.getTopic().equals(topic)) {
          return Ownership.OWNED;
        }
      }
      return Ownership.NOT_ASSIGNED;
    }
  }

  /**
   * @param group a consumer group
   * @return whether it consumes in broadcasting mode (as its live or last members said)
   */
  public boolean isBroadcasting(String group) {
    ConsumerGroup g = groups.get(group);
    return g != null && g.mode() == ConsumeMode.CONSUME_MODE_BROADCASTING;
  }

  /**
   * @param group a consumer group
   * @param clientId a member
   * @return the member's assigned queues, if it is a live member
   */
  public Optional<List<MessageQueue>> assignedQueues(String group, String clientId) {
    ConsumerGroup g = groups.get(group);
    if (g == null) {
      return Optional.empty();
    }
    synchronized (g) {
      return Optional.ofNullable(assignment(g).queues().get(clientId));
    }
  }

  /**
   * @param group a consumer group
   * @return the ids of its live members, sorted
   */
  public List<String> memberIds(String group) {
    ConsumerGroup g = groups.get(group);
    if (g == null) {
      return List.of();
    }
    synchronized (g) {
      g.expire(clock.millis() - memberTimeout.toMillis());
      return g.members().stream().map(Member::clientId).toList();
    }
  }

  /**
   * @param group a consumer group
   * @return member id to its queues (empty when the group is unknown)
   */
  public Map<String, List<MessageQueue>> assignment(String group) {
    ConsumerGroup g = groups.get(group);
    if (g == null) {
      return Map.of();
    }
    synchronized (g) {
      return assignment(g).queues();
    }
  }

  /**
   * @param group a consumer group
   * @return the topics its live members subscribe to
   */
  public Set<String> subscribedTopics(String group) {
    ConsumerGroup g = groups.get(group);
    Set<String> out = new TreeSet<>();
    if (g != null) {
      synchronized (g) {
        g.expire(clock.millis() - memberTimeout.toMillis());
        for (Member m : g.members()) {
          out.addAll(m.filters().keySet());
        }
      }
    }
    return out;
  }

  /**
   * @param group a consumer group
   * @return whether an operator disabled its consumption
   */
  public boolean consumeDisabled(String group) {
    return table.consumeDisabled(group);
  }

  /**
   * @param group a group name
   * @return whether it is a consumer group with live members here
   */
  public boolean hasConsumers(String group) {
    return !memberIds(group).isEmpty();
  }

  /**
   * @return the producer groups with at least one live member, sorted
   */
  public List<String> producerGroups() {
    long deadline = clock.millis() - memberTimeout.toMillis();
    Set<String> out = new TreeSet<>();
    for (Map.Entry<String, Map<String, Long>> e : producers.entrySet()) {
      if (e.getValue().values().stream().anyMatch(t -> t >= deadline)) {
        out.add(e.getKey());
      }
    }
    return List.copyOf(out);
  }

  /**
   * The live members of a group as ListGroupMembers shows them: the consumers of the consumer group
   * of that name and the producers of the producer group of that name, ordered by client id.
   *
   * @param group a group name
   * @return the members (empty when none)
   */
  public List<GroupMember> members(String group) {
    long deadline = clock.millis() - memberTimeout.toMillis();
    TreeMap<String, List<GroupMember>> byId = new TreeMap<>();
    ConsumerGroup g = groups.get(group);
    if (g != null) {
      synchronized (g) {
        Assignment as = assignment(g);
        for (Member m : g.members()) {
          GroupMember.Builder b =
              GroupMember.newBuilder()
                  .setClient(m.client())
                  .setProducer(false)
                  .setConsumeMode(m.mode())
                  .addAllSubscriptions(m.subscriptions())
                  .addAllAssignedQueues(as.queues().getOrDefault(m.clientId(), List.of()))
                  .setLastHeartbeatMs(m.lastHeartbeatMs());
          if (m.peer() != null) {
            b.setPeerAddress(m.peer());
          }
          byId.computeIfAbsent(m.clientId(), k -> new ArrayList<>()).add(b.build());
        }
      }
    }
    Map<String, Long> ps = producers.get(group);
    if (ps != null) {
      for (Map.Entry<String, Long> e : ps.entrySet()) {
        if (e.getValue() >= deadline) {
          byId.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
              .add(
                  GroupMember.newBuilder()
                      .setClient(ClientInfo.newBuilder().setClientId(e.getKey()))
                      .setProducer(true)
                      .setLastHeartbeatMs(e.getValue())
                      .build());
        }
      }
    }
    List<GroupMember> out = new ArrayList<>();
    byId.values().forEach(out::addAll);
    return out;
  }

  /** Drops silent members of every group (also done whenever a group is looked at). */
  public void expireAll() {
    long deadline = clock.millis() - memberTimeout.toMillis();
    for (ConsumerGroup g : groups.values()) {
      g.expire(deadline);
    }
    for (Map<String, Long> m : producers.values()) {
      m.values().removeIf(t -> t < deadline);
    }
  }
}
