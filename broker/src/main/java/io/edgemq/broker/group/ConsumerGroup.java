package io.edgemq.broker.group;

import io.edgemq.broker.topic.Topic;
import io.edgemq.protocol.v1.ConsumeMode;
import io.edgemq.protocol.v1.MessageQueue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** The live members of one consumer group and their assignment. Guarded by its own monitor. */
final class ConsumerGroup {
  private final String name;
  private final String brokerName;
  private final Map<String, Member> members = new HashMap<>();
  private ConsumeMode lastMode = ConsumeMode.CONSUME_MODE_CLUSTERING;
  private Map<String, List<MessageQueue>> lastQueues = Map.of();
  private long version;
  private boolean dirty = true;
  private long topicsVersion = -1;
  private Assignment cached;

  ConsumerGroup(String name, String brokerName) {
    this.name = name;
    this.brokerName = brokerName;
  }

  synchronized Optional<Member> member(String clientId) {
    return Optional.ofNullable(members.get(clientId));
  }

  synchronized void put(Member m) {
    Member old = members.put(m.clientId(), m);
    if (old == null || !old.mode().equals(m.mode()) || !old.filters().equals(m.filters())) {
      dirty = true;
    }
  }

  synchronized boolean remove(String clientId) {
    boolean removed = members.remove(clientId) != null;
    dirty |= removed;
    return removed;
  }

  /** Drops members silent since before {@code deadlineMs}. */
  synchronized void expire(long deadlineMs) {
    dirty |= members.values().removeIf(m -> m.lastHeartbeatMs() < deadlineMs);
  }

  synchronized boolean isEmpty() {
    return members.isEmpty();
  }

  synchronized List<Member> members() {
    List<Member> out = new ArrayList<>(members.values());
    out.sort(Comparator.comparing(Member::clientId));
    return out;
  }

  /** The mode of the earliest live member, or the last one seen when none is left. */
  synchronized ConsumeMode mode() {
    return members.values().stream()
        .min(Comparator.comparingLong(Member::joinSeq))
        .map(Member::mode)
        .orElse(lastMode);
  }

  synchronized Assignment assignment(long topicsVersion, Function<String, Optional<Topic>> topics) {
    if (!dirty && cached != null && this.topicsVersion == topicsVersion) {
      return cached;
    }
    cached = compute(topics);
    dirty = false;
    this.topicsVersion = topicsVersion;
    return cached;
  }

  private Assignment compute(Function<String, Optional<Topic>> topics) {
    List<Member> byJoin = new ArrayList<>(members.values());
    byJoin.sort(Comparator.comparingLong(Member::joinSeq).thenComparing(Member::clientId));
    ConsumeMode mode = byJoin.isEmpty() ? lastMode : byJoin.get(0).mode();
    lastMode = mode;
    Map<String, String> groupFilter = new TreeMap<>();
    for (Member m : byJoin) {
      if (m.mode() == mode) {
        m.filters().forEach(groupFilter::putIfAbsent);
      }
    }
    Map<String, Set<String>> conflicts = new TreeMap<>();
    Map<String, Set<String>> unreadable = new TreeMap<>();
    Map<String, List<MessageQueue>> queues = new TreeMap<>();
    for (Member m : byJoin) {
      queues.put(m.clientId(), new ArrayList<>());
      Set<String> bad = new TreeSet<>();
      for (Map.Entry<String, String> f : m.filters().entrySet()) {
        if (m.mode() != mode || !f.getValue().equals(groupFilter.get(f.getKey()))) {
          bad.add(f.getKey());
        }
      }
      if (!bad.isEmpty()) {
        conflicts.put(m.clientId(), bad);
      }
    }
    for (Map.Entry<String, String> t : groupFilter.entrySet()) {
      List<String> eligible = new ArrayList<>();
      for (Member m : byJoin) {
        if (m.mode() == mode && t.getValue().equals(m.filters().get(t.getKey()))) {
          eligible.add(m.clientId());
        }
      }
      eligible.sort(Comparator.naturalOrder());
      Optional<Topic> topic = topics.apply(t.getKey());
      if (topic.isEmpty()) {
        continue;
      }
      if (!topic.get().readable()) {
        for (String id : eligible) {
          unreadable.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(t.getKey());
        }
        continue;
      }
      int count = topic.get().readQueues();
      for (String id : eligible) {
        int[] r =
            mode == ConsumeMode.CONSUME_MODE_BROADCASTING
                ? new int[] {0, count}
                : Assignor.range(eligible, count, id);
        for (int q = r[0]; q < r[1]; q++) {
          queues.get(id).add(queue(t.getKey(), q));
        }
      }
    }
    if (!queues.equals(lastQueues)) {
      version++;
      lastQueues = queues;
    }
    return new Assignment(queues, conflicts, unreadable, version);
  }

  private MessageQueue queue(String topic, int q) {
    return MessageQueue.newBuilder()
        .setTopic(topic)
        .setBrokerName(brokerName)
        .setQueueId(q)
        .build();
  }

  String name() {
    return name;
  }
}
