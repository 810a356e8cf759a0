package io.edgemq.gateway.server;

import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.session.Outgoing;
import io.edgemq.gateway.session.Outlet;
import io.edgemq.gateway.session.Peer;
import io.edgemq.gateway.session.Session;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Outlet} a session writes to while its connection is established: PUBLISH and PUBREL
 * toward the device, and the kick of a takeover. Called from any thread; the writes hop onto the
 * channel's event loop.
 */
final class DeviceOutlet implements Outlet {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceOutlet.class);

  /**
   * Deliveries handed to the event loop and not yet written, above which QoS 0 ones are dropped.
   */
  static final int MAX_QUEUED_WRITES = 1024;

  private final GatewayContext gw;
  private final MqttConnection conn;
  private final ChannelHandlerContext ctx;
  private final Established est;
  private final Session session;
  private final OutboundAliases aliases;
  private final AtomicInteger queuedWrites = new AtomicInteger();

  DeviceOutlet(GatewayContext gw, MqttConnection conn, Established est) {
    this.gw = gw;
    this.conn = conn;
    this.ctx = conn.ctx();
    this.est = est;
    this.session = est.session();
    this.aliases = est.version() >= 5 ? new OutboundAliases(est.clientTopicAliases()) : null;
  }

  @Override
  public void publish(Outgoing m, int packetId, boolean dup) {
    if (!ctx.executor().inEventLoop()) {
      if (m.qos() == 0 && queuedWrites.get() >= MAX_QUEUED_WRITES) {
        // the event loop is behind: QoS 0 may be lost, memory may not grow without bound
        gw.events().dropped(DropReason.EVENT_LOOP_BEHIND);
        return;
      }
      queuedWrites.incrementAndGet();
      ctx.executor()
          .execute(
              () -> {
                queuedWrites.decrementAndGet();
                publish(m, packetId, dup);
              });
      return;
    }
    if (!ctx.channel().isActive()) {
      return;
    }
    if (m.qos() == 0 && !ctx.channel().isWritable()) {
      gw.events().dropped(DropReason.SLOW_READER); // rather than growing the buffer
      return;
    }
    MqttEnvelope e = m.message();
    long now = gw.clock().millis();
    if (e.expired(now)) {
      drop(packetId, DropReason.EXPIRED);
      return;
    }
    MqttProperties props =
        est.version() >= 5 ? Props.publish(m, now) : MqttProperties.NO_PROPERTIES;
    int size = 16 + e.topic().length() * 3 + e.payload().length + (est.version() >= 5 ? 512 : 0);
    if (size > est.clientMaxPacket()) {
      // the client said it cannot take this packet (MQTT-3.1.2-24)
      drop(packetId, DropReason.TOO_LARGE_FOR_CLIENT);
      return;
    }
    String topic = e.topic();
    if (aliases != null) {
      OutboundAliases.Use alias = aliases.use(topic);
      if (alias.alias() != 0) {
        props = Props.withTopicAlias(props, alias.alias());
        topic = alias.withTopic() ? topic : "";
      }
    }
    MqttFixedHeader fh =
        new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(m.qos()), m.retain(), 0);
    ctx.writeAndFlush(
        new MqttPublishMessage(
            fh,
            new MqttPublishVariableHeader(topic, packetId, props),
            Unpooled.wrappedBuffer(e.payload())));
  }

  private void drop(int packetId, DropReason reason) {
    if (packetId != 0) {
      session.completed(packetId);
    }
    gw.events().dropped(reason);
  }

  @Override
  public void release(int packetId) {
    if (!ctx.executor().inEventLoop()) {
      ctx.executor().execute(() -> release(packetId));
      return;
    }
    ctx.writeAndFlush(
        InboundPublishes.reply(est.version(), MqttMessageType.PUBREL, packetId, (byte) 0));
  }

  @Override
  public Peer peer() {
    return new Peer(conn.remote(), est.version(), est.username());
  }

  @Override
  public void kick(int reason) {
    if (!ctx.executor().inEventLoop()) {
      ctx.executor().execute(() -> kick(reason));
      return;
    }
    LOG.info("{} ({}): session taken over by a new connection", est.clientId(), conn.remote());
    conn.disconnect(reason, "session taken over");
  }
}
