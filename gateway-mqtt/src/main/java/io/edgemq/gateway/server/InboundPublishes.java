package io.edgemq.gateway.server;

import io.edgemq.gateway.link.LinkException;
import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.session.Session;
import io.edgemq.gateway.topic.InvalidTopicException;
import io.edgemq.gateway.topic.Topics;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QoS flows of one connection's PUBLISHes from the device (acknowledged only once the broker
 * stored the message), their back-pressure (reading stops while {@link #MAX_STORING} are unanswered
 * or the publish rate is used up), and the PUBREL/PUBREC of the QoS 2 flows. Runs on the channel's
 * event loop.
 */
final class InboundPublishes {
  private static final Logger LOG = LoggerFactory.getLogger(InboundPublishes.class);

  /**
   * PUBLISHes sent to the broker and not yet answered, above which the connection stops reading:
   * QoS 0 has no acknowledgement to slow a device down, so TCP does it, and the gateway's memory
   * stays bounded however fast devices publish.
   */
  static final int MAX_STORING = 32;

  private final GatewayContext gw;
  private final MqttConnection conn;
  private final ChannelHandlerContext ctx;
  private final Established est;
  private final Session session;
  private final InboundAcks acks = new InboundAcks();
  private final Map<Integer, String> aliases = new HashMap<>();
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private final PublishRate rate;
  private int storing;
  private long pausedUntil;

  InboundPublishes(GatewayContext gw, MqttConnection conn, Established est) {
    this.gw = gw;
    this.conn = conn;
    this.ctx = conn.ctx();
    this.est = est;
    this.session = est.session();
    this.rate =
        gw.config().publishRatePerClient() > 0
            ? new PublishRate(gw.config().publishRatePerClient(), gw.clock().millis())
            : null;
  }

  /**
   * @return whether packets read now must wait behind held ones (over the publish rate)
   */
  boolean holding() {
    return !held.isEmpty() || (rate != null && gw.clock().millis() < pausedUntil);
  }

  /**
   * @param msg a packet read while {@link #holding()}; processed in order once the rate allows
   */
  void hold(Object msg) {
    held.add(msg);
  }

  /** Releases the held packets of a closed connection. */
  void discardHeld() {
    while (!held.isEmpty()) {
      ReferenceCountUtil.release(held.poll());
    }
  }

  void onPublish(MqttPublishMessage m) {
    int qos = m.fixedHeader().qosLevel().value();
    int packetId = m.variableHeader().packetId();
    MqttProperties props = m.variableHeader().properties();
    String topic = topicOf(m.variableHeader().topicName(), props);
    if (topic == null) {
      return;
    }
    if (qos > 0 && acks.size() >= gw.config().receiveMaximum()) {
      LOG.info("closing {}: more than {} unacknowledged PUBLISHes", est.clientId(), acks.size());
      conn.disconnect(0x93, "receive maximum exceeded");
      return;
    }
    if (!gw.acl().canPublish(est.clientId(), est.username(), topic)) {
      LOG.info("{} may not publish to {}; dropped", est.clientId(), topic);
      gw.events().dropped(DropReason.PUBLISH_DENIED);
      if (qos > 0) {
        acks.immediate(packetId, qos, 0x87, this::sendAck);
      }
      return;
    }
    if (qos == 2 && answeredQos2Again(packetId)) {
      return;
    }
    byte[] payload = ByteBufUtil.getBytes(m.payload());
    MqttEnvelope env =
        Props.envelope(
            topic,
            qos,
            m.fixedHeader().isRetain(),
            est.clientId(),
            payload,
            props,
            gw.clock().millis());
    InboundAcks.Pending pending = qos > 0 ? acks.add(packetId, qos) : null;
    storing();
    throttle();
    CompletableFuture<String> store = Forwarding.forward(gw, env, est.username());
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
                        LOG.debug(
                            "QoS 0 message of {} not stored: {}", est.clientId(), e.toString());
                      }
                    }));
  }

  /**
   * @return the topic name after resolving an MQTT 5 topic alias, or null when the connection was
   *     closed for a bad one
   */
  private String topicOf(String name, MqttProperties props) {
    String topic = name;
    if (est.version() >= 5) {
      Integer alias = Props.intValue(props, MqttPropertyType.TOPIC_ALIAS);
      if (alias != null) {
        if (alias == 0 || alias > gw.config().topicAliasMaximum()) {
          conn.disconnect(0x94, "topic alias " + alias + " out of range");
          return null;
        }
        if (topic.isEmpty()) {
          topic = aliases.get(alias);
          if (topic == null) {
            conn.protocolError("unknown topic alias " + alias);
            return null;
          }
        } else {
          aliases.put(alias, topic);
        }
      }
    }
    try {
      Topics.validateName(topic);
    } catch (InvalidTopicException e) {
      LOG.info("closing {}: {}", est.clientId(), e.getMessage());
      conn.disconnect(0x90, e.getMessage());
      return null;
    }
    return topic;
  }

  /**
   * A QoS 2 PUBLISH sent again: stored already, or still being stored (on this connection or on one
   * that dropped meanwhile) is acknowledged without storing it twice.
   *
   * @return true if it was answered here
   */
  private boolean answeredQos2Again(int packetId) {
    if (!acks.storing(packetId, 2)) {
      CompletableFuture<?> earlier = session.storingQos2(packetId);
      if (earlier != null) {
        // resent on this connection while a dropped one is still storing it: answer when that
        // store is answered, store nothing
        InboundAcks.Pending p = acks.add(packetId, 2);
        earlier.whenComplete(
            (v, e) ->
                ctx.executor()
                    .execute(
                        () -> acks.done(p, e == null, e == null ? 0 : reasonOf(e), this::sendAck)));
        return true;
      }
    }
    if (session.awaitingRelease().contains(packetId) || acks.storing(packetId, 2)) {
      acks.immediate(packetId, 2, 0, this::sendAck);
      return true;
    }
    return false;
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
      conn.process(held.poll());
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

  private static int reasonOf(Throwable e) {
    Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
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
    if (!p.stored && p.reason == 0x80 && est.version() < 5) {
      // MQTT 3 has no failure acknowledgement: closing makes the client send it again
      LOG.info("closing {}: the broker did not store its message {}", est.clientId(), p.packetId);
      conn.close(CloseReason.NOT_STORED);
      return;
    }
    byte reason = (byte) (est.version() >= 5 ? p.reason : 0);
    MqttMessageType type = p.qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC;
    ctx.writeAndFlush(reply(est.version(), type, p.packetId, reason));
  }

  /**
   * @return a PUBACK, PUBREC, PUBREL or PUBCOMP in the connection's protocol version
   */
  static MqttMessage reply(int version, MqttMessageType type, int packetId, byte reason) {
    MqttQoS q = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
    return new MqttMessage(
        new MqttFixedHeader(type, false, q, false, 0),
        version >= 5
            ? new MqttPubReplyMessageVariableHeader(packetId, reason, MqttProperties.NO_PROPERTIES)
            : MqttMessageIdVariableHeader.from(packetId));
  }

  void onPubRel(int packetId) {
    boolean known = session.awaitingRelease().remove(packetId);
    ctx.writeAndFlush(
        reply(est.version(), MqttMessageType.PUBCOMP, packetId, (byte) (known ? 0 : 0x92)));
  }

  void onPubRec(MqttMessage m, int packetId) {
    if (est.version() >= 5
        && m.variableHeader() instanceof MqttPubReplyMessageVariableHeader h
        && (h.reasonCode() & 0xFF) >= 0x80) {
      session.completed(packetId); // the client refused it: the flow ends here
      return;
    }
    if (!session.received(packetId)) {
      ctx.writeAndFlush(reply(est.version(), MqttMessageType.PUBREL, packetId, (byte) 0x92));
    }
  }
}
