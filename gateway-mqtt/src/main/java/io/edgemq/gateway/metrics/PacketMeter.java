package io.edgemq.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts MQTT packets by type each way, and connections opened and closed. One instance serves
 * every channel; it sits between the codec and the connection handler and passes everything on.
 */
@Sharable
final class PacketMeter extends ChannelDuplexHandler {
  private final Map<MqttMessageType, Counter> in = new EnumMap<>(MqttMessageType.class);
  private final Map<MqttMessageType, Counter> out = new EnumMap<>(MqttMessageType.class);
  private final Map<MqttConnectReturnCode, Counter> connects =
      new EnumMap<>(MqttConnectReturnCode.class);
  private final Counter opened;
  private final Counter closed;

  PacketMeter(MeterRegistry registry, Tags tags) {
    for (MqttMessageType t : MqttMessageType.values()) {
      in.put(t, packets(registry, tags, "in", t));
      out.put(t, packets(registry, tags, "out", t));
    }
    for (MqttConnectReturnCode c : MqttConnectReturnCode.values()) {
      connects.put(
          c,
          Counter.builder("edgemq.gateway.connects")
              .description("CONNECTs answered, by outcome (accepted or the refusal)")
              .tags(tags)
              .tag("result", result(c))
              .register(registry));
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

  /** CONNECTION_REFUSED_NOT_AUTHORIZED_5 → not_authorized: MQTT 3 and 5 codes count together. */
  static String result(MqttConnectReturnCode c) {
    if (c == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
      return "accepted";
    }
    return c.name()
        .toLowerCase(Locale.ROOT)
        .replace("connection_refused_", "")
        .replaceAll("_5$", "")
        .replace("bad_user_name_or_password", "bad_username_or_password")
        .replace("identifier_rejected", "client_identifier_not_valid")
        .replace("unacceptable_protocol_version", "unsupported_protocol_version");
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
      if (m instanceof MqttConnAckMessage ack) {
        connects.get(ack.variableHeader().connectReturnCode()).increment();
      }
    }
    super.write(ctx, msg, promise);
  }
}
