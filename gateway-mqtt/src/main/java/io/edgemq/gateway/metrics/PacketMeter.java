package io.edgemq.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts MQTT packets by type each way, and connections opened and closed. One instance serves
 * every channel; it sits between the codec and the connection handler and passes everything on.
 */
@Sharable
final class PacketMeter extends ChannelDuplexHandler {
  private final Map<MqttMessageType, Counter> in = new EnumMap<>(MqttMessageType.class);
  private final Map<MqttMessageType, Counter> out = new EnumMap<>(MqttMessageType.class);
  private final Counter opened;
  private final Counter closed;

  PacketMeter(MeterRegistry registry, Tags tags) {
    for (MqttMessageType t : MqttMessageType.values()) {
      in.put(t, packets(registry, tags, "in", t));
      out.put(t, packets(registry, tags, "out", t));
    }
    opened =
        Counter.builder("edgemq.gateway.connections.opened")
            .description("TCP/WebSocket connections accepted")
            .tags(tags)
            .register(registry);
    closed =
        Counter.builder("edgemq.gateway.connections.closed")
            .description("connections closed, by either side")
            .tags(tags)
            .register(registry);
  }

  private static Counter packets(
      MeterRegistry registry, Tags tags, String direction, MqttMessageType type) {
    return Counter.builder("edgemq.gateway.packets." + direction)
        .description("MQTT packets " + (direction.equals("in") ? "received" : "sent"))
        .tags(tags)
        .tag("type", type.name())
        .register(registry);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    opened.increment();
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closed.increment();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof MqttMessage m && m.fixedHeader() != null) {
      in.get(m.fixedHeader().messageType()).increment();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof MqttMessage m && m.fixedHeader() != null) {
      out.get(m.fixedHeader().messageType()).increment();
    }
    super.write(ctx, msg, promise);
  }
}
