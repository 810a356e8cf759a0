package io.edgemq.nameserver.metrics;

import io.edgemq.nameserver.route.RouteTable;
import io.edgemq.protocol.v1.BrokerGroup;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Gauges read from the route table at each scrape (an immutable snapshot: cheap). */
public final class NameServerMetrics {
  private NameServerMetrics() {}

  /**
   * @param registry where the meters go
   * @param table the route table
   */
  public static void bind(MeterRegistry registry, RouteTable table) {
    Gauge.builder("edgemq.nameserver.brokers", table, NameServerMetrics::brokers)
        .description("registered brokers (members of every broker group)")
        .register(registry);
    Gauge.builder("edgemq.nameserver.broker.groups", table, t -> t.brokers("").size())
        .description("registered broker groups")
        .register(registry);
    Gauge.builder("edgemq.nameserver.topics", table, t -> t.topicNames("", false).size())
        .description("topics held by registered brokers, system topics left out")
        .register(registry);
  }

  private static double brokers(RouteTable table) {
    int n = 0;
    for (BrokerGroup g : table.brokers("")) {
      n += g.getMembersCount();
    }
    return n;
  }
}
