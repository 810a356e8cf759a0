package io.edgemq.nameserver.route;

import io.edgemq.protocol.v1.BrokerGroup;
import io.edgemq.protocol.v1.TopicConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** One broker group inside a snapshot: its members and which of them speaks for the group. */
final class GroupView {

  /**
   * Masters first, the latest registration first among them (during a failover the old master may
   * still be registered as master for a moment; the newest claim is the one to believe), then the
   * other members by id.
   */
  private static final Comparator<RegisteredBroker> PREFERENCE =
      Comparator.comparing((RegisteredBroker b) -> !b.registration().isMaster())
          .thenComparing(
              (RegisteredBroker b) -> b.registration().isMaster() ? -b.registeredAtMs() : 0L)
          .thenComparingLong(b -> b.key().brokerId());

  private final String clusterName;
  private final String brokerName;
  private final List<RegisteredBroker> membersById;
  private final List<RegisteredBroker> byPreference;
  private final BrokerGroup routeGroup;

  GroupView(String clusterName, String brokerName, List<RegisteredBroker> members) {
    this.clusterName = clusterName;
    this.brokerName = brokerName;
    List<RegisteredBroker> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparingLong(b -> b.key().brokerId()));
    this.membersById = List.copyOf(sorted);
    sorted.sort(PREFERENCE);
    this.byPreference = List.copyOf(sorted);
    BrokerGroup.Builder group =
        BrokerGroup.newBuilder().setClusterName(clusterName).setBrokerName(brokerName);
    membersById.forEach(m -> group.addMembers(m.toRouteMember()));
    this.routeGroup = group.build();
  }

  String clusterName() {
    return clusterName;
  }

  String brokerName() {
    return brokerName;
  }

  List<RegisteredBroker> members() {
    return membersById;
  }

  /** The group as routes show it: members by id, no heartbeat times. */
  BrokerGroup routeGroup() {
    return routeGroup;
  }

  /** The group as listings show it: with each member's last heartbeat, read now. */
  BrokerGroup listedGroup() {
    BrokerGroup.Builder group =
        BrokerGroup.newBuilder().setClusterName(clusterName).setBrokerName(brokerName);
    membersById.forEach(m -> group.addMembers(m.toListedMember()));
    return group.build();
  }

  /** The member taking writes, if one is registered. */
  Optional<RegisteredBroker> master() {
    RegisteredBroker first = byPreference.get(0);
    return first.registration().isMaster() ? Optional.of(first) : Optional.empty();
  }

  /**
   * The topic's configuration on this group: the master's when it has the topic, otherwise that of
   * the first replica holding it (a group without a master can still be pulled).
   */
  Optional<TopicConfig> topic(String topic) {
    for (RegisteredBroker member : byPreference) {
      TopicConfig config = member.registration().topics().get(topic);
      if (config != null) {
        return Optional.of(config);
      }
    }
    return Optional.empty();
  }
}
