package io.edgemq.gateway.server;

import io.edgemq.gateway.auth.AuthResult;
import io.edgemq.gateway.link.LinkException;
import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.session.Outgoing;
import io.edgemq.gateway.session.Outlet;
import io.edgemq.gateway.session.Session;
import io.edgemq.gateway.session.SessionRegistry;
import io.edgemq.gateway.session.SessionState;
import io.edgemq.gateway.topic.InvalidTopicException;
import io.edgemq.gateway.topic.Topics;
import io.netty.buffer.ByteBufUtil;
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
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection: CONNECT and authentication, keep-alive, the QoS flows of inbound PUBLISHes
 * (acknowledged only once the broker stored the message), and the {@link Outlet} a session writes
 * to. Every method runs on the channel's event loop, except the {@link Outlet} methods, which hop
 * onto it.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter implements Outlet {
  private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

  private final GatewayContext gw;

  /**
   * PUBLISHes sent to the broker and not yet answered, above which the connection stops reading:
   * QoS 0 has no acknowledgement to slow a device down, so TCP does it, and the gateway's memory
   * stays bounded however fast devices publish.
   */
  static final int MAX_STORING = 32;

  /**
   * Deliveries handed to the event loop and not yet written, above which QoS 0 ones are dropped.
   */
  static final int MAX_QUEUED_WRITES = 1024;

  private final InboundAcks acks = new InboundAcks();
  private final java.util.concurrent.atomic.AtomicInteger queuedWrites =
      new java.util.concurrent.atomic.AtomicInteger();
  private int storing;
  private PublishRate rate;
  private long pausedUntil;
  private final java.util.ArrayDeque<Object> held = new java.util.ArrayDeque<>();
  private final Map<Integer, String> aliases = new HashMap<>();
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> connectTimer;
  private boolean connecting;
  private boolean connected;
  private boolean closing;
  private int version;
  private String clientId;
  private String username;
  private Session session;
  private long sessionExpiryMillis;
  private int clientMaxPacket = Integer.MAX_VALUE;
  private OutboundAliases outboundAliases;
  private MqttEnvelope will;
  private long willDelayMillis;
  private long willConnectionId;
  private final Subscriptions subscriptions;

  MqttConnection(GatewayContext gw) {
    this.gw = gw;
    this.subscriptions = new Subscriptions(gw, this);
  }

  // ---- lifecycle ----

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (gw.connections().incrementAndGet() > gw.config().maxConnections()) {
      LOG.warn("refusing {}: {} connections already", remote(), gw.config().maxConnections());
      ctx.close();
      return;
    }
    connectTimer =
        ctx.executor()
            .schedule(
                () -> {
                  if (!connected) {
                    LOG.info("closing {}: no CONNECT within the connect timeout", remote());
                    ctx.close();
                  }
                },
                gw.config().connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    gw.connections().decrementAndGet();
    while (!held.isEmpty()) {
      ReferenceCountUtil.release(held.poll());
    }
    if (connectTimer != null) {
      connectTimer.cancel(false);
    }
    if (connected) {
      connected = false;
      // a normal DISCONNECT cleared the will; otherwise it is published (after its delay)
      gw.wills()
          .ended(
              clientId,
              willConnectionId,
              username,
              will,
              Math.min(willDelayMillis, sessionExpiryMillis));
      will = null;
      if (session.detach(this)) {
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
      LOG.debug("{} disconnected", clientId);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent e && e.state() == IdleState.READER_IDLE) {
      LOG.info("{} ({}) missed its keep-alive; closing", clientId, remote());
      disconnect(0x8D, "keep alive timeout");
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException || isTooLong(cause)) {
      LOG.info("{} ({}) sent a packet above the maximum size", clientId, remote());
      disconnect(0x95, "packet too large");
    } else {
      LOG.debug("{} ({}) connection error: {}", clientId, remote(), cause.toString());
      ctx.close();
    }
  }

  private static boolean isTooLong(Throwable t) {
    return t instanceof DecoderException && t.getCause() instanceof TooLongFrameException;
  }

  // ---- inbound packets ----

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!held.isEmpty() || (rate != null && gw.clock().millis() < pausedUntil)) {
      // over its publish rate: packets already read wait their turn, in order
      held.add(msg);
      return;
    }
    process(msg);
  }

  private void process(Object msg) {
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
        onConnect((MqttConnectMessage) m);
        return;
      }
      if (!connected) {
        // nothing but CONNECT may come first (MQTT-3.1.0-1)
        LOG.info("closing {}: {} before CONNECT", remote(), type);
        ctx.close();
        return;
      }
      switch (type) {
        case PUBLISH -> onPublish((MqttPublishMessage) m);
        case PUBACK, PUBCOMP -> session.completed(packetId(m));
        case PUBREC -> onPubRec(m);
        case PUBREL -> onPubRel(m);
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
    if (!connected && !connecting) {
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
        ctx.writeAndFlush(refusal).addListener(f -> ctx.close());
      } else {
        ctx.close();
      }
      return;
    }
    LOG.info("closing {} ({}): malformed packet: {}", clientId, remote(), cause.getMessage());
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

  // ---- CONNECT ----

  private void onConnect(MqttConnectMessage m) {
    if (connected || connecting) {
      protocolError("second CONNECT");
      return;
    }
    connecting = true;
    version = m.variableHeader().version();
    String id = m.payload().clientIdentifier();
    boolean assigned = false;
    if (id == null || id.isEmpty()) {
      if (version < 5 && !m.variableHeader().isCleanSession()) {
        refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "empty client id");
        return;
      }
      id = "auto-" + UUID.randomUUID();
      assigned = true;
    }
    String clientIdFinal = id;
    boolean assignedFinal = assigned;
    String user = m.payload().userName();
    byte[] password = m.payload().passwordInBytes();
    // password hashing may take milliseconds: never on the event loop; read nothing meanwhile
    ctx.channel().config().setAutoRead(false);
    gw.blocking()
        .execute(
            () -> {
              AuthResult r;
              try {
                r = gw.authenticator().authenticate(clientIdFinal, user, password);
              } catch (RuntimeException e) {
                LOG.error("authentication of {} failed", clientIdFinal, e);
                r = new AuthResult(AuthResult.Outcome.NOT_AUTHORIZED, null);
              }
              AuthResult result = r;
              ctx.executor().execute(() -> afterAuth(m, clientIdFinal, assignedFinal, result));
            });
  }

  private void afterAuth(MqttConnectMessage m, String id, boolean assigned, AuthResult auth) {
    ctx.channel().config().setAutoRead(true);
    if (!ctx.channel().isActive()) {
      return;
    }
    switch (auth.outcome()) {
      case BAD_CREDENTIALS -> {
        LOG.info("{} ({}) refused: bad user name or password", id, remote());
        refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, null);
        return;
      }
      case NOT_AUTHORIZED -> {
        LOG.info("{} ({}) refused: not authorized", id, remote());
        refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, null);
        return;
      }
      default -> {}
    }
    clientId = id;
    username = auth.username();
    if (!prepareWill(m)) {
      return;
    }
    completeConnect(m, assigned);
  }

  private boolean prepareWill(MqttConnectMessage m) {
    if (!m.variableHeader().isWillFlag()) {
      return true;
    }
    String topic = m.payload().willTopic();
    try {
      Topics.validateName(topic);
    } catch (InvalidTopicException e) {
      refuse(MqttConnectReturnCode.CONNECTION_REFUSED_TOPIC_NAME_INVALID, e.getMessage());
      return false;
    }
    MqttProperties wp = m.payload().willProperties();
    will =
        Props.envelope(
            topic,
            m.variableHeader().willQos(),
            m.variableHeader().isWillRetain(),
            clientId,
            m.payload().willMessageInBytes() == null
                ? new byte[0]
                : m.payload().willMessageInBytes(),
            wp,
            gw.clock().millis());
    Integer delay = wp == null ? null : Props.intValue(wp, MqttPropertyType.WILL_DELAY_INTERVAL);
    willDelayMillis = delay == null ? 0 : (delay & 0xFFFF_FFFFL) * 1000;
    return true;
  }

  private void completeConnect(MqttConnectMessage m, boolean assigned) {
    MqttProperties in = m.variableHeader().properties();
    boolean clean = m.variableHeader().isCleanSession();
    long maxExpiry = gw.config().sessionExpiryMax().toMillis();
    boolean expiryCapped = false;
    if (version >= 5) {
      Integer e = Props.intValue(in, MqttPropertyType.SESSION_EXPIRY_INTERVAL);
      long asked = e == null ? 0 : (e == -1 ? Long.MAX_VALUE : (e & 0xFFFF_FFFFL) * 1000);
      sessionExpiryMillis = Math.min(asked, maxExpiry);
      expiryCapped = asked > maxExpiry;
      Integer max = Props.intValue(in, MqttPropertyType.MAXIMUM_PACKET_SIZE);
      clientMaxPacket = max == null ? Integer.MAX_VALUE : max;
      Integer aliases = Props.intValue(in, MqttPropertyType.TOPIC_ALIAS_MAXIMUM);
      outboundAliases = new OutboundAliases(aliases == null ? 0 : aliases);
    } else {
      sessionExpiryMillis = clean ? 0 : maxExpiry;
    }
    int window = gw.config().maxInflight();
    Integer rm = version >= 5 ? Props.intValue(in, MqttPropertyType.RECEIVE_MAXIMUM) : null;
    if (rm != null) {
      window = Math.min(window, rm);
    }
    int keepAlive = m.variableHeader().keepAliveTimeSeconds();
    int max = gw.config().maxKeepAlive();
    boolean keepAliveChanged = false;
    if (version >= 5 && max > 0 && (keepAlive == 0 || keepAlive > max)) {
      keepAlive = max;
      keepAliveChanged = true;
    }
    ConnectPlan plan =
        new ConnectPlan(window, keepAlive, keepAliveChanged, expiryCapped, assigned, clean);
    boolean persistent = sessionExpiryMillis > 0;
    if (clean || !gw.checkpoints().enabled()) {
      SessionRegistry.Opened opened =
          gw.sessions().open(clientId, clean, persistent, Optional.empty());
      if (clean && !persistent) {
        gw.checkpoints().end(opened.session()); // no node may resume an older session of this id
      }
      finishConnect(opened, plan);
      return;
    }
    // the stored session is read (and its subscriptions fed) off the event loop; read nothing
    ctx.channel().config().setAutoRead(false);
    String id = clientId;
    gw.blocking().execute(() -> openStored(id, persistent, plan));
  }

  private void openStored(String id, boolean persistent, ConnectPlan plan) {
    SessionRegistry.Opened opened;
    try {
      Optional<SessionState> stored = gw.checkpoints().store().load(id);
      opened = gw.sessions().open(id, false, persistent, stored);
      if (opened.discarded() != null) {
        gw.router().removeAll(opened.discarded());
      }
      if (opened.restored()) {
        gw.router().subscribeAll(opened.session());
      }
    } catch (RuntimeException e) {
      LOG.warn("{} ({}): its stored session cannot be read: {}", id, remote(), e.toString());
      ctx.executor()
          .execute(
              () ->
                  refuse(
                      MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                      "session store unavailable"));
      return;
    }
    ctx.executor()
        .execute(
            () -> {
              ctx.channel().config().setAutoRead(true);
              if (ctx.channel().isActive()) {
                finishConnect(opened, plan);
              }
            });
  }

  /** What CONNECT worked out before its session was opened. */
  private record ConnectPlan(
      int window,
      int keepAlive,
      boolean keepAliveChanged,
      boolean expiryCapped,
      boolean assigned,
      boolean cleanStart) {}

  private void finishConnect(SessionRegistry.Opened opened, ConnectPlan plan) {
    int window = plan.window();
    int keepAlive = plan.keepAlive();
    boolean keepAliveChanged = plan.keepAliveChanged();
    boolean expiryCapped = plan.expiryCapped();
    boolean assigned = plan.assigned();
    if (opened.discarded() != null && !opened.restored()) {
      gw.router().removeAll(opened.discarded());
    }
    session = opened.session();
    session.expiryInterval(sessionExpiryMillis);
    MqttProperties out = new MqttProperties();
    if (version >= 5) {
      addInt(out, MqttPropertyType.RECEIVE_MAXIMUM, gw.config().receiveMaximum());
      addInt(out, MqttPropertyType.MAXIMUM_PACKET_SIZE, gw.config().maxPacketBytes());
      addInt(out, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, gw.config().topicAliasMaximum());
      addInt(out, MqttPropertyType.RETAIN_AVAILABLE, 1);
      addInt(out, MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE, 1);
      addInt(out, MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1);
      addInt(out, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE, 1);
      if (assigned) {
        out.add(
            new MqttProperties.StringProperty(
                MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), clientId));
      }
      if (keepAliveChanged) {
        addInt(out, MqttPropertyType.SERVER_KEEP_ALIVE, keepAlive);
      }
      if (expiryCapped) {
        addInt(out, MqttPropertyType.SESSION_EXPIRY_INTERVAL, (int) (sessionExpiryMillis / 1000));
      }
    }
    if (keepAlive > 0) {
      // MQTT: close after one and a half keep-alive periods without a packet
      ctx.pipeline()
          .addBefore(
              ctx.name(),
              "keepAlive",
              new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
    }
    if (gw.config().publishRatePerClient() > 0) {
      rate = new PublishRate(gw.config().publishRatePerClient(), gw.clock().millis());
    }
    connecting = false;
    connected = true;
    connectTimer.cancel(false);
    MqttConnAckMessage ack =
        MqttMessageBuilders.connAck()
            .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
            .sessionPresent(opened.present())
            .properties(out)
            .build();
    ctx.writeAndFlush(ack);
    LOG.debug(
        "{} connected from {} (MQTT {}, session {})",
        clientId,
        remote(),
        version == 5 ? "5" : "3.1.1",
        opened.present() ? "resumed" : "new");
    willConnectionId = gw.wills().connected(clientId, username, will, !plan.cleanStart());
    session.attach(this, window);
    gw.replays().start(session);
    gw.checkpoints().save(session);
  }

  private static void addInt(MqttProperties p, MqttPropertyType t, int v) {
    p.add(new MqttProperties.IntegerProperty(t.value(), v));
  }

  private void refuse(MqttConnectReturnCode v3, String reason) {
    MqttConnectReturnCode code = version >= 5 ? v5(v3) : v3;
    MqttMessageBuilders.ConnAckBuilder b = MqttMessageBuilders.connAck().returnCode(code);
    if (version >= 5) {
      b.properties(Props.reason(reason));
    }
    closing = true;
    ctx.writeAndFlush(b.build()).addListener(f -> ctx.close());
  }

  private static MqttConnectReturnCode v5(MqttConnectReturnCode v3) {
    return switch (v3) {
      case CONNECTION_REFUSED_IDENTIFIER_REJECTED ->
          MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID;
      case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD ->
          MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
      case CONNECTION_REFUSED_NOT_AUTHORIZED ->
          MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
      case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION ->
          MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION;
      default -> v3;
    };
  }

  // ---- PUBLISH from the device ----

  private void onPublish(MqttPublishMessage m) {
    int qos = m.fixedHeader().qosLevel().value();
    int packetId = m.variableHeader().packetId();
    String topic = m.variableHeader().topicName();
    MqttProperties props = m.variableHeader().properties();
    if (version >= 5) {
      Integer alias = Props.intValue(props, MqttPropertyType.TOPIC_ALIAS);
      if (alias != null) {
        if (alias == 0 || alias > gw.config().topicAliasMaximum()) {
          disconnect(0x94, "topic alias " + alias + " out of range");
          return;
        }
        if (topic.isEmpty()) {
          topic = aliases.get(alias);
          if (topic == null) {
            protocolError("unknown topic alias " + alias);
            return;
          }
        } else {
          aliases.put(alias, topic);
        }
      }
    }
    try {
      Topics.validateName(topic);
    } catch (InvalidTopicException e) {
      LOG.info("closing {}: {}", clientId, e.getMessage());
      disconnect(0x90, e.getMessage());
      return;
    }
    if (qos > 0 && acks.size() >= gw.config().receiveMaximum()) {
      LOG.info("closing {}: more than {} unacknowledged PUBLISHes", clientId, acks.size());
      disconnect(0x93, "receive maximum exceeded");
      return;
    }
    if (!gw.acl().canPublish(clientId, username, topic)) {
      LOG.info("{} may not publish to {}; dropped", clientId, topic);
      if (qos > 0) {
        acks.immediate(packetId, qos, 0x87, this::sendAck);
      }
      return;
    }
    if (qos == 2 && !acks.storing(packetId, qos)) {
      CompletableFuture<?> earlier = session.storingQos2(packetId);
      if (earlier != null) {
        // resent on this connection while a dropped one is still storing it: answer when that
        // store is answered, store nothing
        InboundAcks.Pending p = acks.add(packetId, qos);
        earlier.whenComplete(
            (v, e) ->
                ctx.executor()
                    .execute(
                        () -> acks.done(p, e == null, e == null ? 0 : reasonOf(e), this::sendAck)));
        return;
      }
    }
    if (qos == 2 && (session.awaitingRelease().contains(packetId) || acks.storing(packetId, qos))) {
      // a resent QoS 2 PUBLISH already stored, or still being stored: acknowledge again, store
      // nothing
      acks.immediate(packetId, qos, 0, this::sendAck);
      return;
    }
    byte[] payload = ByteBufUtil.getBytes(m.payload());
    MqttEnvelope env =
        Props.envelope(
            topic, qos, m.fixedHeader().isRetain(), clientId, payload, props, gw.clock().millis());
    InboundAcks.Pending pending = qos > 0 ? acks.add(packetId, qos) : null;
    storing();
    throttle();
    CompletableFuture<String> store = forward(env);
    if (qos == 2) {
      store = session.storingQos2(packetId, store);
    }
    store.whenComplete(
        (id, e) ->
            ctx.executor()
                .execute(
                    () -> {
                      stored();
                      if (pending != null) {
                        int reason = e == null ? 0 : reasonOf(e);
                        acks.done(pending, e == null, reason, this::sendAck);
                      } else if (e != null) {
                        LOG.debug("QoS 0 message of {} not stored: {}", clientId, e.toString());
                      }
                    }));
  }

  private void storing() {
    if (++storing == MAX_STORING) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  private void stored() {
    // reading stopped at MAX_STORING; it resumes once half of those were answered
    if (--storing == MAX_STORING / 2) {
      resumeReading();
    }
  }

  /** Over its publish rate, a connection is not read until the bucket covers what it sent. */
  private void throttle() {
    if (rate == null) {
      return;
    }
    long now = gw.clock().millis();
    long wait = rate.take(now);
    if (wait > 0) {
      pausedUntil = Math.max(pausedUntil, now + wait);
      ctx.channel().config().setAutoRead(false);
      ctx.executor().schedule(this::releaseHeld, wait, TimeUnit.MILLISECONDS);
    }
  }

  /** Processes held packets while the rate allows, then reads the socket again. */
  private void releaseHeld() {
    while (!held.isEmpty() && ctx.channel().isActive()) {
      long now = gw.clock().millis();
      if (now < pausedUntil) {
        ctx.executor().schedule(this::releaseHeld, pausedUntil - now, TimeUnit.MILLISECONDS);
        return;
      }
      process(held.poll());
    }
    resumeReading();
  }

  private void resumeReading() {
    if (storing < MAX_STORING
        && gw.clock().millis() >= pausedUntil
        && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private CompletableFuture<String> forward(MqttEnvelope env) {
    return Forwarding.forward(gw, env, username);
  }

  private static int reasonOf(Throwable e) {
    Throwable c =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    if (c instanceof LinkException le && le.refused()) {
      return 0x97; // quota exceeded: the broker refused this message
    }
    return 0x80;
  }

  private void sendAck(InboundAcks.Pending p) {
    if (p.qos == 2 && p.stored) {
      // also when the connection is gone: the client resends it on its next connection
      session.awaitingRelease().add(p.packetId);
    }
    if (!ctx.channel().isActive()) {
      return;
    }
    if (!p.stored && p.reason == 0x80 && version < 5) {
      // MQTT 3 has no failure acknowledgement: closing makes the client send it again
      LOG.info("closing {}: the broker did not store its message {}", clientId, p.packetId);
      ctx.close();
      return;
    }
    byte reason = (byte) (version >= 5 ? p.reason : 0);
    MqttMessageType type = p.qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
    ctx.writeAndFlush(reply(type, p.packetId, reason));
  }

  private MqttMessage reply(MqttMessageType type, int packetId, byte reason) {
    MqttQoS q = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
    return new MqttMessage(
        new MqttFixedHeader(type, false, q, false, 0),
        version >= 5
            ? new MqttPubReplyMessageVariableHeader(packetId, reason, MqttProperties.NO_PROPERTIES)
            : MqttMessageIdVariableHeader.from(packetId));
  }

  private void onPubRel(MqttMessage m) {
    int id = packetId(m);
    boolean known = session.awaitingRelease().remove(id);
    ctx.writeAndFlush(reply(MqttMessageType.PUBCOMP, id, (byte) (known ? 0 : 0x92)));
  }

  private void onPubRec(MqttMessage m) {
    int id = packetId(m);
    if (version >= 5
        && m.variableHeader() instanceof MqttPubReplyMessageVariableHeader h
        && (h.reasonCode() & 0xFF) >= 0x80) {
      session.completed(id); // the client refused it: the flow ends here
      return;
    }
    if (!session.received(id)) {
      ctx.writeAndFlush(reply(MqttMessageType.PUBREL, id, (byte) 0x92));
    }
  }

  // ---- DISCONNECT and will ----

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
    closing = true;
    ctx.close();
  }

  // ---- errors ----

  void protocolError(String what) {
    LOG.info("closing {} ({}): protocol error: {}", clientId, remote(), what);
    disconnect(0x82, what);
  }

  /** Closes with an MQTT 5 DISCONNECT carrying the reason; MQTT 3 just closes. */
  void disconnect(int reason, String text) {
    if (closing) {
      return;
    }
    closing = true;
    if (version >= 5 && connected) {
      ctx.writeAndFlush(
              MqttMessageBuilders.disconnect()
                  .reasonCode((byte) reason)
                  .properties(Props.reason(text))
                  .build())
          .addListener(f -> ctx.close());
    } else {
      ctx.close();
    }
  }

  String remote() {
    SocketAddress a = ctx == null ? null : ctx.channel().remoteAddress();
    return String.valueOf(a);
  }

  // ---- state read by Subscriptions ----

  ChannelHandlerContext ctx() {
    return ctx;
  }

  int version() {
    return version;
  }

  String clientId() {
    return clientId;
  }

  String username() {
    return username;
  }

  Session session() {
    return session;
  }

  // ---- Outlet: the session writes here, from any thread ----

  @Override
  public void publish(Outgoing m, int packetId, boolean dup) {
    if (!ctx.executor().inEventLoop()) {
      if (m.qos() == 0 && queuedWrites.get() >= MAX_QUEUED_WRITES) {
        return; // the event loop is behind: QoS 0 may be lost, memory may not grow without bound
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
      return; // a slow reader loses QoS 0 messages rather than growing the buffer
    }
    MqttEnvelope e = m.message();
    long now = gw.clock().millis();
    if (e.expired(now)) {
      if (packetId != 0) {
        session.completed(packetId);
      }
      return;
    }
    MqttProperties props = version >= 5 ? Props.publish(m, now) : MqttProperties.NO_PROPERTIES;
    int size = 16 + e.topic().length() * 3 + e.payload().length + (version >= 5 ? 512 : 0);
    if (size > clientMaxPacket) {
      // the client said it cannot take this packet (MQTT-3.1.2-24): it is dropped
      if (packetId != 0) {
        session.completed(packetId);
      }
      return;
    }
    String topic = e.topic();
    if (outboundAliases != null) {
      OutboundAliases.Use alias = outboundAliases.use(topic);
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
            new io.netty.handler.codec.mqtt.MqttPublishVariableHeader(topic, packetId, props),
            Unpooled.wrappedBuffer(e.payload())));
  }

  @Override
  public void release(int packetId) {
    if (!ctx.executor().inEventLoop()) {
      ctx.executor().execute(() -> release(packetId));
      return;
    }
    ctx.writeAndFlush(reply(MqttMessageType.PUBREL, packetId, (byte) 0));
  }

  @Override
  public void kick(int reason) {
    if (!ctx.executor().inEventLoop()) {
      ctx.executor().execute(() -> kick(reason));
      return;
    }
    LOG.info("{} ({}): session taken over by a new connection", clientId, remote());
    disconnect(reason, "session taken over");
  }
}
