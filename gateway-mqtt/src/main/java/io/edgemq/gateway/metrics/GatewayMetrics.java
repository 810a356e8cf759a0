package io.edgemq.gateway.metrics;

import io.edgemq.gateway.api.Gateway;
import io.edgemq.gateway.link.BrokerLink;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.ChannelHandler;

/** The meters of one gateway node, all tagged {@code node=<nodeId>}. */
public final class GatewayMetrics {
  private final MeterRegistry registry;
  private final Tags tags;
  private final PacketMeter packets;

  private GatewayMetrics(MeterRegistry registry, String nodeId) {
    this.registry = registry;
    this.tags = Tags.of("node", nodeId);
    this.packets = new PacketMeter(registry, tags);
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
  }
}
