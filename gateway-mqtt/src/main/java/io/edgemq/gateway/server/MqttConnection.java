package io.edgemq.gateway.server;

import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.session.Session;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection's handler: its lifecycle (connect timeout, keep-alive, close and what a close
 * does to the session and the will), the dispatch of packets, and protocol errors. CONNECT is
 * worked out by {@link ConnectHandshake}; once established, device PUBLISHes go through {@link
 * InboundPublishes}, SUBSCRIBE/UNSUBSCRIBE through {@link Subscriptions}, and the session writes
 * through a {@link DeviceOutlet}. Every method runs on the channel's event loop.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

  private final GatewayContext gw;
  private final ConnectHandshake handshake;
  private final Subscriptions subscriptions;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> connectTimer;
  private boolean closing;
  private CloseReason closeReason;
  // set once CONNECT was accepted
  private Established est;
  private Session session;
  private InboundPublishes publishes;
  private DeviceOutlet outlet;
  private long sessionExpiryMillis;
  private MqttEnvelope will;
  private long willConnectionId;

  MqttConnection(GatewayContext gw) {
    this.gw = gw;
    this.handshake = new ConnectHandshake(gw, this);
    this.subscriptions = new Subscriptions(gw, this);
  }

  // ---- lifecycle ----

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (gw.connections().incrementAndGet() > gw.config().maxConnections()) {
      LOG.warn("refusing {}: {} connections already", remote(), gw.config().maxConnections());
      close(CloseReason.SERVER_BUSY);
      return;
    }
    connectTimer =
        ctx.executor()
            .schedule(
                () -> {
                  if (est == null) {
                    LOG.info("closing {}: no CONNECT within the connect timeout", remote());
                    close(CloseReason.CONNECT_TIMEOUT);
                  }
                },
                gw.config().connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  /** Called by {@link ConnectHandshake} once CONNECT is accepted: sends the CONNACK. */
  void established(Established e, MqttConnAckMessage ack) {
    est = e;
    session = e.session();
    sessionExpiryMillis = e.sessionExpiryMillis();
    will = e.will();
    session.expiryInterval(sessionExpiryMillis);
    publishes = new InboundPublishes(gw, this, e);
    outlet = new DeviceOutlet(gw, this, e);
    if (e.keepAliveSeconds() > 0) {
      // MQTT: close after one and a half keep-alive periods without a packet
      ctx.pipeline()
          .addBefore(
              ctx.name(),
              "keepAlive",
              new IdleStateHandler(e.keepAliveSeconds() * 1500L, 0, 0, TimeUnit.MILLISECONDS));
    }
    connectTimer.cancel(false);
    ctx.writeAndFlush(ack);
    LOG.debug(
        "{} connected from {} (MQTT {}, session {})",
        e.clientId(),
        remote(),
        e.version() == 5 ? "5" : "3.1.1",
        e.opened().present() ? "resumed" : "new");
    willConnectionId = gw.wills().connected(e.clientId(), e.username(), will, !e.cleanStart());
    session.attach(outlet, e.window());
    gw.replays().start(session);
    gw.checkpoints().save(session);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    gw.connections().decrementAndGet();
    gw.events().closed(closeReason == null ? CloseReason.CONNECTION_LOST : closeReason);
    if (connectTimer != null) {
      connectTimer.cancel(false);
    }
    if (est != null) {
      publishes.discardHeld();
      ended();
    }
    ctx.fireChannelInactive();
  }

  /** What the end of an established connection does to its will and session. */
  private void ended() {
    // a normal DISCONNECT cleared the will; otherwise it is published (after its delay)
    gw.wills()
        .ended(
            est.clientId(),
            willConnectionId,
            est.username(),
            will,
            Math.min(est.willDelayMillis(), sessionExpiryMillis));
    will = null;
    if (session.detach(outlet)) {
      if (gw.sessions().closed(session, sessionExpiryMillis) && !session.online()) {
        gw.router().removeAll(session);
        if (session.persistent()) {
          gw.checkpoints().end(session); // expiry set to 0 at DISCONNECT
        }
      } else {
        session.expiryInterval(sessionExpiryMillis);
        gw.checkpoints().save(session);
      }
    }
    LOG.debug("{} disconnected", est.clientId());
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
      LOG.info("{} ({}) missed its keep-alive; closing", clientId(), remote());
      disconnect(0x8D, "keep alive timeout");
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException || isTooLong(cause)) {
      LOG.info("{} ({}) sent a packet above the maximum size", clientId(), remote());
      disconnect(0x95, "packet too large");
    } else {
      LOG.debug("{} ({}) connection error: {}", clientId(), remote(), cause.toString());
      ctx.close();
    }
  }

  private static boolean isTooLong(Throwable t) {
    return t instanceof DecoderException && t.getCause() instanceof TooLongFrameException;
  }

  // ---- inbound packets ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (publishes != null && publishes.holding()) {
      // over its publish rate: packets already read wait their turn, in order
      publishes.hold(msg);
      return;
    }
    process(msg);
  }

  void process(Object msg) {
    try {
      if (!(msg instanceof MqttMessage m)) {
        return;
      }
      if (m.decoderResult().isFailure()) {
        malformed(m);
        return;
      }
      if (closing) {
        return;
      }
      MqttMessageType type = m.fixedHeader().messageType();
      if (type == MqttMessageType.CONNECT) {
        handshake.onConnect((MqttConnectMessage) m);
        return;
      }
      if (est == null) {
        // nothing but CONNECT may come first (MQTT-3.1.0-1)
        LOG.info("closing {}: {} before CONNECT", remote(), type);
        close(CloseReason.PROTOCOL_ERROR);
        return;
      }
      switch (type) {
        case PUBLISH -> publishes.onPublish((MqttPublishMessage) m);
        case PUBACK, PUBCOMP -> session.completed(packetId(m));
        case PUBREC -> publishes.onPubRec(m, packetId(m));
        case PUBREL -> publishes.onPubRel(packetId(m));
        case SUBSCRIBE -> subscriptions.onSubscribe(m);
        case UNSUBSCRIBE -> subscriptions.onUnsubscribe(m);
        case PINGREQ ->
            ctx.writeAndFlush(
                new MqttMessage(
                    new MqttFixedHeader(
                        MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0)));
        case DISCONNECT -> onDisconnect(m);
        default -> protocolError("unexpected " + type);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void malformed(MqttMessage m) {
    Throwable cause = m.decoderResult().cause();
    if (est == null && !handshake.started()) {
      Object refusal = null;
      if (cause instanceof MqttUnacceptableProtocolVersionException) {
        refusal = versionRefusal();
      } else if (cause instanceof MqttIdentifierRejectedException) {
        refusal =
            MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED)
                .build();
      }
      LOG.info("closing {}: bad CONNECT: {}", remote(), cause.getMessage());
      if (refusal != null) {
        closeAfter(refusal, CloseReason.CONNECT_REFUSED);
      } else {
        close(CloseReason.MALFORMED_PACKET);
      }
      return;
    }
    LOG.info("closing {} ({}): malformed packet: {}", clientId(), remote(), cause.getMessage());
    if (cause instanceof TooLongFrameException) {
      disconnect(0x95, "packet too large");
    } else if (isWildcardTopicName(m, cause)) {
      // well-formed, but a topic name may not hold wildcards (MQTT-3.3.2-2)
      disconnect(0x90, "wildcard in a topic name");
    } else {
      disconnect(0x81, "malformed packet");
    }
  }

  private static boolean isWildcardTopicName(MqttMessage m, Throwable cause) {
    // the codec refuses these itself and says so only in its message
    return m.fixedHeader() != null
        && m.fixedHeader().messageType() == MqttMessageType.PUBLISH
        && String.valueOf(cause.getMessage()).startsWith("invalid publish topic name");
  }

  /**
   * The CONNACK for an unknown protocol level: 0x84 in MQTT 5's format for a level above 5 (a newer
   * client reads that format), 3.1.1's return code 0x01 for any other.
   */
  private Object versionRefusal() {
    Integer level = ctx.channel().attr(ProtocolLevel.KEY).get();
    if (level != null && level > 5) {
      // as bytes: the encoder writes the 3.1.1 format until a CONNECT was accepted
      return Unpooled.wrappedBuffer(new byte[] {0x20, 0x03, 0x00, (byte) 0x84, 0x00});
    }
    return MqttMessageBuilders.connAck()
        .returnCode(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION)
        .build();
  }

  private static int packetId(MqttMessage m) {
    return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
  }

  // ---- DISCONNECT and errors ----

  private void onDisconnect(MqttMessage m) {
    int reason = 0;
    if (m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
      reason = h.reasonCode() & 0xFF;
      Integer expiry = Props.intValue(h.properties(), MqttPropertyType.SESSION_EXPIRY_INTERVAL);
      if (expiry != null) {
        if (sessionExpiryMillis == 0 && expiry != 0) {
          protocolError("session expiry set at DISCONNECT after 0 at CONNECT");
          return;
        }
        sessionExpiryMillis =
            Math.min((expiry & 0xFFFF_FFFFL) * 1000, gw.config().sessionExpiryMax().toMillis());
      }
    }
    if (reason != 0x04) {
      will = null; // a normal DISCONNECT discards the will (0x04: disconnect with will)
    }
    close(CloseReason.CLIENT_DISCONNECT);
  }

  void protocolError(String what) {
    LOG.info("closing {} ({}): protocol error: {}", clientId(), remote(), what);
    disconnect(0x82, what);
  }

  /** Closes with an MQTT 5 DISCONNECT carrying the reason; MQTT 3 just closes. */
  void disconnect(int reason, String text) {
    if (closing) {
      return;
    }
    CloseReason why = CloseReason.ofDisconnectCode(reason);
    if (est != null && est.version() >= 5) {
      closeAfter(
          MqttMessageBuilders.disconnect()
              .reasonCode((byte) reason)
              .properties(Props.reason(text))
              .build(),
          why);
    } else {
      close(why);
    }
  }

  /** Closes the connection now; the first reason given is the one counted. */
  void close(CloseReason why) {
    markClosing(why);
    ctx.close();
  }

  /** Writes a last packet (a refusing CONNACK, a DISCONNECT), then closes. */
  void closeAfter(Object last, CloseReason why) {
    markClosing(why);
    ctx.writeAndFlush(last).addListener(f -> ctx.close());
  }

  private void markClosing(CloseReason why) {
    closing = true;
    if (closeReason == null) {
      closeReason = why;
    }
  }

  String remote() {
    SocketAddress a = ctx == null ? null : ctx.channel().remoteAddress();
    return String.valueOf(a);
  }

  // ---- state read by the connection's parts ----

  ChannelHandlerContext ctx() {
    return ctx;
  }

  int version() {
    return est.version();
  }

  String clientId() {
    return est == null ? null : est.clientId();
  }

  String username() {
    return est.username();
  }

  Session session() {
    return session;
  }
}
