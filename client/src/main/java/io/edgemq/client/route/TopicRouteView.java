package io.edgemq.client.route;

import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.protocol.v1.BrokerMember;
import io.edgemq.protocol.v1.BrokerRole;
import io.edgemq.protocol.v1.RouteEntry;
import io.edgemq.protocol.v1.TopicRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable view of one topic's route: its broker groups (sorted by name) and the queues the
 * client may write and read.
 */
public final class TopicRouteView {
  private final String topic;
  private final boolean provisional;
  private final Map<String, BrokerView> brokers;
  private final List<MessageQueue> writableQueues;

  private TopicRouteView(String topic, boolean provisional, Map<String, BrokerView> brokers) {
    this.topic = topic;
    this.provisional = provisional;
    this.brokers = brokers;
    List<MessageQueue> w = new ArrayList<>();
    for (BrokerView b : brokers.values()) {
      if (b.writable()) {
        for (int q = 0; q < b.writeQueues(); q++) {
          w.add(new MessageQueue(topic, b.brokerName(), q));
        }
      }
    }
    this.writableQueues = List.copyOf(w);
  }

  /**
   * Builds the view of a nameserver's answer. Entries without any member are left out.
   *
   * @param route the route
   * @return the view
   */
  public static TopicRouteView of(TopicRoute route) {
    Map<String, BrokerView> brokers = new TreeMap<>();
    for (RouteEntry e : route.getEntriesList()) {
      Optional<BrokerMember> master =
          e.getBroker().getMembersList().stream()
              .filter(m -> m.getRole() == BrokerRole.BROKER_ROLE_MASTER)
              .reduce((a, b) -> b);
      Optional<BrokerMember> target =
          master.or(
              () ->
                  e.getBroker().getMembersList().stream()
                      .min(Comparator.comparingLong(BrokerMember::getBrokerId)));
      if (target.isEmpty()) {
        continue;
      }
      String name = e.getBroker().getBrokerName();
      brokers.put(
          name,
          new BrokerView(
              name,
              Endpoint.of(target.get().getAddress()),
              master.isPresent(),
              e.getWriteQueueCount(),
              e.getReadQueueCount(),
              e.getPermission()));
    }
    return new TopicRouteView(route.getTopic(), route.getProvisional(), brokers);
  }

  /**
   * @return the topic
   */
  public String topic() {
    return topic;
  }

  /**
   * @return whether the nameserver answered with a provisional route (topic to be auto-created)
   */
  public boolean provisional() {
    return provisional;
  }

  /**
   * @return the broker groups by name, sorted
   */
  public Map<String, BrokerView> brokers() {
    return brokers;
  }

  /**
   * @param brokerName a broker group
   * @return it, if in the route
   */
  public Optional<BrokerView> broker(String brokerName) {
    return Optional.ofNullable(brokers.get(brokerName));
  }

  /**
   * @return every queue sends may go to, ordered by broker name then queue id
   */
  public List<MessageQueue> writableQueues() {
    return writableQueues;
  }

  /**
   * @return every readable queue, ordered by broker name then queue id
   */
  public List<MessageQueue> readableQueues() {
    List<MessageQueue> r = new ArrayList<>();
    for (BrokerView b : brokers.values()) {
      if (b.readable()) {
        for (int q = 0; q < b.readQueues(); q++) {
          r.add(new MessageQueue(topic, b.brokerName(), q));
        }
      }
    }
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicRouteView v
        && v.topic.equals(topic)
        && v.provisional == provisional
        && v.brokers.equals(brokers);
  }

  @Override
  public int hashCode() {
    return topic.hashCode() * 31 + brokers.hashCode();
  }

  @Override
  public String toString() {
    return "Route{" + topic + (provisional ? " (provisional)" : "") + " " + brokers.values() + "}";
  }
}
