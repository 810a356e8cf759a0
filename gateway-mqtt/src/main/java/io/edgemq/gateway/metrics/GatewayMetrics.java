package io.edgemq.gateway.metrics;

import io.edgemq.gateway.api.Gateway;
import io.edgemq.gateway.link.BrokerLink;
import io.edgemq.gateway.server.ConnectionEvents;
import io.edgemq.gateway.session.SessionDrops;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.ChannelHandler;

/** The meters of one gateway node, all tagged {@code node=<nodeId>}. */
public final class GatewayMetrics {
  private final MeterRegistry registry;
  private final Tags tags;
  private final PacketMeter packets;
  private final ConnectionMeter connections;

  private GatewayMetrics(MeterRegistry registry, String nodeId) {
    this.registry = registry;
    this.tags = Tags.of("node", nodeId);
    this.packets = new PacketMeter(registry, tags);
    this.connections = new ConnectionMeter(registry, tags);
  }

  /**
   * @param registry where the meters go
   * @param nodeId the gateway node's id
   * @return the meters, registered
   */
  public static GatewayMetrics create(MeterRegistry registry, String nodeId) {
    return new GatewayMetrics(registry, nodeId);
  }

  /**
   * @param link the gateway's broker link
   * @return the same link, timing every send
   */
  public BrokerLink wrap(BrokerLink link) {
    return new MeteredBrokerLink(link, registry, tags);
  }

  /**
   * @return the handler every channel's pipeline gets after the MQTT codec
   */
  public ChannelHandler packetHandler() {
    return packets;
  }

  /**
   * @return what connections report closes and drops to
   */
  public ConnectionEvents events() {
    return connections;
  }

  /**
   * Registers the gauges read from the running gateway.
   *
   * @param gateway the gateway
   */
  public void bindGauges(Gateway gateway) {
    Gauge.builder("edgemq.gateway.connections", gateway, Gateway::connections)
        .description("MQTT connections open now")
        .tags(tags)
        .register(registry);
    Gauge.builder("edgemq.gateway.sessions", gateway, Gateway::sessions)
        .description("sessions held: connected and offline persistent ones")
        .tags(tags)
        .register(registry);
    Gauge.builder("edgemq.gateway.subscriptions", gateway, Gateway::subscriptions)
        .description("subscriptions over every session")
        .tags(tags)
        .register(registry);
    // one series per session would be unbounded (a fleet has millions of client ids): the total
    // and the deepest queue tell an operator whether devices keep up; `admin gateway sessions`
    // lists each session's depth
    Gauge.builder("edgemq.gateway.session.queued.messages", gateway, Gateway::queuedMessages)
        .description("messages queued or in flight toward devices, over every session")
        .tags(tags)
        .register(registry);
    Gauge.builder(
            "edgemq.gateway.session.queued.messages.max", gateway, Gateway::deepestSessionQueue)
        .description("the most messages queued or in flight in one session")
        .tags(tags)
        .register(registry);
    SessionDrops drops = gateway.sessionDrops();
    FunctionCounter.builder(ConnectionMeter.DROPPED, drops, SessionDrops::queueFull)
        .description(ConnectionMeter.DROPPED_DESCRIPTION)
        .tags(tags)
        .tag("reason", "session_queue_full")
        .register(registry);
    FunctionCounter.builder(ConnectionMeter.DROPPED, drops, SessionDrops::offline)
        .description(ConnectionMeter.DROPPED_DESCRIPTION)
        .tags(tags)
        .tag("reason", "session_offline")
        .register(registry);
  }
}
