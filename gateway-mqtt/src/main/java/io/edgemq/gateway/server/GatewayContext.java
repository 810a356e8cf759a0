package io.edgemq.gateway.server;

import io.edgemq.gateway.api.GatewayConfig;
import io.edgemq.gateway.auth.Acl;
import io.edgemq.gateway.auth.Authenticator;
import io.edgemq.gateway.delivery.Checkpoints;
import io.edgemq.gateway.delivery.Replays;
import io.edgemq.gateway.delivery.RetainedLog;
import io.edgemq.gateway.delivery.RetainedStore;
import io.edgemq.gateway.delivery.Router;
import io.edgemq.gateway.delivery.WillLog;
import io.edgemq.gateway.link.BrokerLink;
import io.edgemq.gateway.mapping.MappingTable;
import io.edgemq.gateway.session.SessionRegistry;
import io.netty.channel.ChannelHandler;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every connection shares.
 *
 * @param config the config
 * @param clock the clock
 * @param link the brokers
 * @param mapping topic mapping
 * @param sessions sessions by client id
 * @param router broker → device delivery
 * @param checkpoints writes persistent sessions to the brokers
 * @param replays reads again what resumed sessions missed
 * @param retained retained messages as this node knows them
 * @param retainedLog stores retained messages in the brokers
 * @param wills the will log
 * @param authenticator checks credentials
 * @param acl publish/subscribe permissions
 * @param blocking runs work that may block (password hashing, opening broker feeds), never on an
 *     event loop
 * @param connections connections open now
 * @param packetObserver a sharable handler placed after the MQTT codec (metrics), or null
 * @param events what connections report (closes and drops, for the metrics)
 */
public record GatewayContext(
    GatewayConfig config,
    Clock clock,
    BrokerLink link,
    MappingTable mapping,
    SessionRegistry sessions,
    Router router,
    Checkpoints checkpoints,
    Replays replays,
    RetainedStore retained,
    RetainedLog retainedLog,
    WillLog wills,
    Authenticator authenticator,
    Acl acl,
    ExecutorService blocking,
    AtomicInteger connections,
    ChannelHandler packetObserver,
    ConnectionEvents events) {}
