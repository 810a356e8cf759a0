package io.edgemq.nameserver.route;

import io.edgemq.protocol.v1.ClusterInfo;
import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.RouteEntry;
import io.edgemq.protocol.v1.TopicConfig;
import io.edgemq.protocol.v1.TopicRoute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything route queries read, derived once per change of the registrations and never modified
 * afterwards, so readers need no lock. Built in O(total topics of all brokers).
 */
final class RouteSnapshot {

  static final RouteSnapshot EMPTY = new RouteSnapshot(Map.of());

  private final Map<BrokerKey, RegisteredBroker> brokers;
  private final SortedMap<String, GroupView> groupsByName;
  private final SortedMap<String, List<GroupView>> groupsByCluster;
  private final Map<String, TopicRoute> routes;
  private final List<GroupView> autoCreatingGroups;

  RouteSnapshot(Map<BrokerKey, RegisteredBroker> brokers) {
    this.brokers = Map.copyOf(brokers);
    this.groupsByName = groups(this.brokers.values());
    SortedMap<String, List<GroupView>> byCluster = new TreeMap<>();
    for (GroupView group : groupsByName.values()) {
      byCluster.computeIfAbsent(group.clusterName(), c -> new ArrayList<>()).add(group);
    }
    this.groupsByCluster = byCluster;
    this.routes = routes(groupsByName.values());
    this.autoCreatingGroups =
        groupsByName.values().stream()
            .filter(g -> g.master().map(m -> m.registration().autoCreateTopics()).orElse(false))
            .toList();
  }

  private static SortedMap<String, GroupView> groups(Collection<RegisteredBroker> brokers) {
    Map<String, List<RegisteredBroker>> members = new HashMap<>();
    for (RegisteredBroker broker : brokers) {
      members.computeIfAbsent(broker.key().brokerName(), n -> new ArrayList<>()).add(broker);
    }
    SortedMap<String, GroupView> groups = new TreeMap<>();
    members.forEach(
        (name, list) ->
            groups.put(name, new GroupView(list.get(0).key().clusterName(), name, list)));
    return groups;
  }

  private static Map<String, TopicRoute> routes(Collection<GroupView> groups) {
    Map<String, TopicRoute.Builder> routes = new HashMap<>();
    // groups come sorted by broker name, so every route's entries do too
    for (GroupView group : groups) {
      TreeSet<String> topics = new TreeSet<>();
      group.members().forEach(m -> topics.addAll(m.registration().topics().keySet()));
      for (String topic : topics) {
        TopicConfig config = group.topic(topic).orElseThrow();
        routes
            .computeIfAbsent(topic, t -> TopicRoute.newBuilder().setTopic(t))
            .addEntries(
                RouteEntry.newBuilder()
                    .setBroker(group.routeGroup())
                    .setWriteQueueCount(config.getWriteQueueCount())
                    .setReadQueueCount(config.getReadQueueCount())
                    .setPermission(config.getPermission()));
      }
    }
    Map<String, TopicRoute> built = new HashMap<>();
    routes.forEach((topic, route) -> built.put(topic, route.build()));
    return built;
  }

  Map<BrokerKey, RegisteredBroker> brokers() {
    return brokers;
  }

  Optional<GroupView> group(String brokerName) {
    return Optional.ofNullable(groupsByName.get(brokerName));
  }

  Optional<TopicRoute> route(String topic) {
    return Optional.ofNullable(routes.get(topic));
  }

  /**
   * A route naming every group whose master creates unknown topics, with that master's default
   * queue count; empty when no group does.
   */
  Optional<TopicRoute> provisionalRoute(String topic) {
    if (autoCreatingGroups.isEmpty()) {
      return Optional.empty();
    }
    TopicRoute.Builder route = TopicRoute.newBuilder().setTopic(topic).setProvisional(true);
    for (GroupView group : autoCreatingGroups) {
      int queues = group.master().orElseThrow().registration().defaultQueueCount();
      route.addEntries(
          RouteEntry.newBuilder()
              .setBroker(group.routeGroup())
              .setWriteQueueCount(queues)
              .setReadQueueCount(queues)
              .setPermission(Permission.PERMISSION_READ_WRITE));
    }
    return Optional.of(route.build());
  }

  List<ClusterInfo> clusters() {
    List<ClusterInfo> clusters = new ArrayList<>();
    groupsByCluster.forEach(
        (cluster, groups) ->
            clusters.add(
                ClusterInfo.newBuilder()
                    .setClusterName(cluster)
                    .addAllBrokerNames(groups.stream().map(GroupView::brokerName).toList())
                    .build()));
    return clusters;
  }

  /** The groups of one cluster (all for ""), sorted by cluster then name; empty if none. */
  List<GroupView> groupsOf(String cluster) {
    if (cluster.isEmpty()) {
      List<GroupView> all = new ArrayList<>();
      groupsByCluster.values().forEach(all::addAll);
      return all;
    }
    return groupsByCluster.getOrDefault(cluster, List.of());
  }
}
