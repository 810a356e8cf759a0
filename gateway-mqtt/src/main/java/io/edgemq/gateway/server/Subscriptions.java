package io.edgemq.gateway.server;

import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.session.Outgoing;
import io.edgemq.gateway.session.Session;
import io.edgemq.gateway.session.Subscription;
import io.edgemq.gateway.topic.InvalidTopicException;
import io.edgemq.gateway.topic.SharedFilter;
import io.edgemq.gateway.topic.Topics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUBSCRIBE and UNSUBSCRIBE of one connection. The broker feeds a new subscription needs are opened
 * off the event loop, and SUBACK goes out only after, so a message stored after the SUBACK reaches
 * the subscriber; retained messages follow the SUBACK.
 */
final class Subscriptions {
  private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

  private final GatewayContext gw;
  private final MqttConnection conn;

  Subscriptions(GatewayContext gw, MqttConnection conn) {
    this.gw = gw;
    this.conn = conn;
  }

  /** A filter checked and ready to add, or refused with a reason code. */
  private record Request(String raw, Subscription sub, int code, boolean existed) {}

  void onSubscribe(MqttMessage msg) {
    MqttSubscribeMessage m = (MqttSubscribeMessage) msg;
    if (m.payload().topicSubscriptions().isEmpty()) {
      conn.protocolError("SUBSCRIBE without a topic filter"); // MQTT-3.8.3-3
      return;
    }
    int packetId = m.idAndPropertiesVariableHeader().messageId();
    MqttProperties props = m.idAndPropertiesVariableHeader().properties();
    Integer subId = Props.intValue(props, MqttPropertyType.SUBSCRIPTION_IDENTIFIER);
    Session session = conn.session();
    List<Request> requests = new ArrayList<>();
    for (MqttTopicSubscription t : m.payload().topicSubscriptions()) {
      requests.add(check(t, subId == null ? 0 : subId, session));
    }
    ChannelHandlerContext ctx = conn.ctx();
    gw.blocking()
        .execute(
            () -> {
              List<Request> done = new ArrayList<>();
              for (Request r : requests) {
                done.add(add(r));
              }
              ctx.executor().execute(() -> answer(ctx, packetId, done, session));
            });
  }

  private Request check(MqttTopicSubscription t, int subId, Session session) {
    String raw = t.topicFilter();
    MqttSubscriptionOption o = t.option();
    int version = conn.version();
    try {
      Optional<SharedFilter> shared = SharedFilter.parse(raw);
      String filter = shared.map(SharedFilter::filter).orElse(raw);
      Topics.validateFilter(filter);
      if (!gw.acl().canSubscribe(conn.clientId(), conn.username(), filter)) {
        LOG.info("{} may not subscribe to {}", conn.clientId(), raw);
        return new Request(raw, null, version >= 5 ? 0x87 : 0x80, false);
      }
      Subscription s =
          new Subscription(
              conn.clientId(),
              filter,
              shared.map(SharedFilter::shareName).orElse(null),
              o.qos().value(),
              o.isNoLocal(),
              o.isRetainAsPublished(),
              o.retainHandling().value(),
              subId);
      return new Request(raw, s, o.qos().value(), session.subscriptions().containsKey(raw));
    } catch (InvalidTopicException e) {
      LOG.info("{} sent an invalid filter: {}", conn.clientId(), e.getMessage());
      return new Request(raw, null, version >= 5 ? 0x8F : 0x80, false);
    }
  }

  private Request add(Request r) {
    if (r.sub() == null) {
      return r;
    }
    try {
      gw.router().subscribe(r.sub());
      return r;
    } catch (RuntimeException e) {
      LOG.warn("subscription {} of {} failed: {}", r.raw(), conn.clientId(), e.toString());
      return new Request(r.raw(), null, 0x80, false);
    }
  }

  private void answer(ChannelHandlerContext ctx, int packetId, List<Request> done, Session s) {
    List<Integer> codes = new ArrayList<>();
    for (Request r : done) {
      codes.add(r.code());
      if (r.sub() != null) {
        Subscription old = s.subscriptions().put(r.raw(), r.sub());
        if (old != null && !old.filter().equals(r.sub().filter())) {
          gw.router().unsubscribe(old);
        }
      }
    }
    MqttSubAckMessage ack =
        new MqttSubAckMessage(
            new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
            new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
            new MqttSubAckPayload(codes));
    // a persistent session's subscriptions are stored before SUBACK, so any node resumes them
    gw.checkpoints()
        .save(s)
        .whenComplete(
            (v, e) ->
                ctx.executor()
                    .execute(
                        () -> {
                          ctx.writeAndFlush(ack);
                          for (Request r : done) {
                            if (r.sub() != null) {
                              sendRetained(r, s);
                            }
                          }
                        }));
  }

  private void sendRetained(Request r, Session s) {
    Subscription sub = r.sub();
    boolean wanted =
        sub.shareGroup() == null
            && (sub.retainHandling() == 0 || (sub.retainHandling() == 1 && !r.existed()));
    if (!wanted) {
      return;
    }
    List<Integer> ids = sub.subscriptionId() == 0 ? List.of() : List.of(sub.subscriptionId());
    for (MqttEnvelope m : gw.retained().matching(sub.filter())) {
      // a retained message sent because of a new subscription keeps its retain flag
      s.offer(new Outgoing(m, Math.min(m.qos(), sub.qos()), true, ids));
    }
  }

  void onUnsubscribe(MqttMessage msg) {
    MqttUnsubscribeMessage m = (MqttUnsubscribeMessage) msg;
    if (m.payload().topics().isEmpty()) {
      conn.protocolError("UNSUBSCRIBE without a topic filter"); // MQTT-3.10.3-2
      return;
    }
    int packetId = m.idAndPropertiesVariableHeader().messageId();
    Session s = conn.session();
    List<Short> codes = new ArrayList<>();
    for (String raw : m.payload().topics()) {
      Subscription old = s.subscriptions().remove(raw);
      if (old != null) {
        gw.router().unsubscribe(old);
      }
      codes.add((short) (old != null ? 0x00 : 0x11));
    }
    MqttUnsubAckMessage ack =
        new MqttUnsubAckMessage(
            new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
            new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
            conn.version() >= 5 ? new MqttUnsubAckPayload(codes) : null);
    ChannelHandlerContext ctx = conn.ctx();
    gw.checkpoints()
        .save(s)
        .whenComplete((v, e) -> ctx.executor().execute(() -> ctx.writeAndFlush(ack)));
  }
}
