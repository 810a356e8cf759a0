package io.edgemq.gateway.server;

import io.edgemq.gateway.auth.AuthResult;
import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.session.SessionRegistry;
import io.edgemq.gateway.session.SessionState;
import io.edgemq.gateway.topic.InvalidTopicException;
import io.edgemq.gateway.topic.Topics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT of one connection up to its CONNACK: client id, authentication (off the event loop), the
 * will, the negotiated limits, and the session (a stored one is read off the event loop). An
 * accepted CONNECT ends in {@link MqttConnection#established}; a refused one in a CONNACK with the
 * reason and a close. Runs on the channel's event loop, except where it says otherwise.
 */
final class ConnectHandshake {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectHandshake.class);

  private final GatewayContext gw;
  private final MqttConnection conn;
  private boolean started;
  private int version;
  private String clientId;
  private String username;
  private MqttEnvelope will;
  private long willDelayMillis;

  ConnectHandshake(GatewayContext gw, MqttConnection conn) {
    this.gw = gw;
    this.conn = conn;
  }

  /**
   * @return whether a CONNECT arrived (accepted or not yet answered)
   */
  boolean started() {
    return started;
  }

  void onConnect(MqttConnectMessage m) {
    if (started) {
      conn.protocolError("second CONNECT");
      return;
    }
    started = true;
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
    ChannelHandlerContext ctx = conn.ctx();
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
    ChannelHandlerContext ctx = conn.ctx();
    ctx.channel().config().setAutoRead(true);
    if (!ctx.channel().isActive()) {
      return;
    }
    switch (auth.outcome()) {
      case BAD_CREDENTIALS -> {
        LOG.info("{} ({}) refused: bad user name or password", id, conn.remote());
        refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, null);
        return;
      }
      case NOT_AUTHORIZED -> {
        LOG.info("{} ({}) refused: not authorized", id, conn.remote());
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
    negotiate(m, assigned);
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

  /** What CONNECT worked out before its session was opened. */
  private record Plan(
      long sessionExpiryMillis,
      boolean expiryCapped,
      int clientMaxPacket,
      int clientTopicAliases,
      int window,
      int keepAlive,
      boolean keepAliveChanged,
      boolean assigned,
      boolean cleanStart) {}

  private void negotiate(MqttConnectMessage m, boolean assigned) {
    MqttProperties in = m.variableHeader().properties();
    boolean clean = m.variableHeader().isCleanSession();
    long maxExpiry = gw.config().sessionExpiryMax().toMillis();
    long expiry;
    boolean expiryCapped = false;
    int maxPacket = Integer.MAX_VALUE;
    int topicAliases = 0;
    if (version >= 5) {
      Integer e = Props.intValue(in, MqttPropertyType.SESSION_EXPIRY_INTERVAL);
      long asked = e == null ? 0 : (e == -1 ? Long.MAX_VALUE : (e & 0xFFFF_FFFFL) * 1000);
      expiry = Math.min(asked, maxExpiry);
      expiryCapped = asked > maxExpiry;
      Integer max = Props.intValue(in, MqttPropertyType.MAXIMUM_PACKET_SIZE);
      maxPacket = max == null ? Integer.MAX_VALUE : max;
      Integer aliases = Props.intValue(in, MqttPropertyType.TOPIC_ALIAS_MAXIMUM);
      topicAliases = aliases == null ? 0 : aliases;
    } else {
      expiry = clean ? 0 : maxExpiry;
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
    Plan plan =
        new Plan(
            expiry,
            expiryCapped,
            maxPacket,
            topicAliases,
            window,
            keepAlive,
            keepAliveChanged,
            assigned,
            clean);
    boolean persistent = expiry > 0;
    if (clean || !gw.checkpoints().enabled()) {
      SessionRegistry.Opened opened =
          gw.sessions().open(clientId, clean, persistent, Optional.empty());
      if (clean && !persistent) {
        gw.checkpoints().end(opened.session()); // no node may resume an older session of this id
      }
      accept(opened, plan);
      return;
    }
    // the stored session is read (and its subscriptions fed) off the event loop; read nothing
    ChannelHandlerContext ctx = conn.ctx();
    ctx.channel().config().setAutoRead(false);
    String id = clientId;
    gw.blocking().execute(() -> openStored(id, persistent, plan));
  }

  /** Runs off the event loop. */
  private void openStored(String id, boolean persistent, Plan plan) {
    ChannelHandlerContext ctx = conn.ctx();
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
      LOG.warn("{} ({}): its stored session cannot be read: {}", id, conn.remote(), e.toString());
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
                accept(opened, plan);
              }
            });
  }

  private void accept(SessionRegistry.Opened opened, Plan plan) {
    if (opened.discarded() != null && !opened.restored()) {
      gw.router().removeAll(opened.discarded());
    }
    MqttProperties out = new MqttProperties();
    if (version >= 5) {
      addInt(out, MqttPropertyType.RECEIVE_MAXIMUM, gw.config().receiveMaximum());
      addInt(out, MqttPropertyType.MAXIMUM_PACKET_SIZE, gw.config().maxPacketBytes());
      addInt(out, MqttPropertyType.TOPIC_ALIAS_MAXIMUM, gw.config().topicAliasMaximum());
      addInt(out, MqttPropertyType.RETAIN_AVAILABLE, 1);
      addInt(out, MqttPropertyType.WILDCARD_SUBSCRIPTION_AVAILABLE, 1);
      addInt(out, MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1);
      addInt(out, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE, 1);
      if (plan.assigned()) {
        out.add(
            new MqttProperties.StringProperty(
                MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), clientId));
      }
      if (plan.keepAliveChanged()) {
        addInt(out, MqttPropertyType.SERVER_KEEP_ALIVE, plan.keepAlive());
      }
      if (plan.expiryCapped()) {
        addInt(
            out,
            MqttPropertyType.SESSION_EXPIRY_INTERVAL,
            (int) (plan.sessionExpiryMillis() / 1000));
      }
    }
    MqttConnAckMessage ack =
        MqttMessageBuilders.connAck()
            .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
            .sessionPresent(opened.present())
            .properties(out)
            .build();
    conn.established(
        new Established(
            version,
            clientId,
            username,
            opened,
            plan.sessionExpiryMillis(),
            will,
            willDelayMillis,
            plan.clientMaxPacket(),
            plan.clientTopicAliases(),
            plan.window(),
            plan.keepAlive(),
            plan.cleanStart()),
        ack);
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
    conn.closeAfter(b.build(), CloseReason.CONNECT_REFUSED);
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
}
