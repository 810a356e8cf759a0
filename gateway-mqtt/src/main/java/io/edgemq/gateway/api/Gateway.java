package io.edgemq.gateway.api;

import io.edgemq.gateway.auth.Acl;
import io.edgemq.gateway.auth.Authenticator;
import io.edgemq.gateway.delivery.RetainedStore;
import io.edgemq.gateway.delivery.Router;
import io.edgemq.gateway.link.BrokerLink;
import io.edgemq.gateway.mapping.MappingTable;
import io.edgemq.gateway.metrics.GatewayMetrics;
import io.edgemq.gateway.server.GatewayContext;
import io.edgemq.gateway.server.MqttServer;
import io.edgemq.gateway.session.SessionRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running MQTT gateway node: listeners, sessions, delivery, over a {@link BrokerLink} it does not
 * own (the caller closes the link after the gateway).
 *
 * <pre>{@code
 * try (BrokerLink link = ClientBrokerLink.start(...);
 *     Gateway gw = Gateway.start(GatewayConfig.builder().build(), link, Clock.systemUTC())) {
 *   ...
 * }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final GatewayContext context;
  private final MqttServer server;
  private final ScheduledExecutorService housekeeping;

  private Gateway(GatewayContext context, MqttServer server, ScheduledExecutorService hk) {
    this.context = context;
    this.server = server;
    this.housekeeping = hk;
  }

  /**
   * Starts a gateway.
   *
   * @param config the config
   * @param link the brokers
   * @param clock the clock (session and message expiry)
   * @return the running gateway
   * @throws IOException when a port cannot be bound or an auth/ACL/TLS file cannot be read
   */
  public static Gateway start(GatewayConfig config, BrokerLink link, Clock clock)
      throws IOException {
    return start(config, link, clock, null);
  }

  /**
   * Starts a gateway whose meters (see {@link GatewayMetrics}) go to a registry.
   *
   * @param config the config
   * @param brokers the brokers
   * @param clock the clock (session and message expiry)
   * @param registry where the meters go, or null for none
   * @return the running gateway
   * @throws IOException when a port cannot be bound or an auth/ACL/TLS file cannot be read
   */
  public static Gateway start(
      GatewayConfig config, BrokerLink brokers, Clock clock, MeterRegistry registry)
      throws IOException {
    GatewayMetrics metrics =
        registry == null ? null : GatewayMetrics.create(registry, config.nodeId());
    BrokerLink link = metrics == null ? brokers : metrics.wrap(brokers);
    MappingTable mapping = config.mappingTable();
    SessionRegistry sessions = new SessionRegistry(clock, config.maxQueuedPerSession());
    Router router = new Router(sessions, link, mapping, clock);
    Authenticator auth = Authenticator.create(config.auth());
    Acl acl =
        config.aclFile() == null
            ? Acl.allowAll()
            : Acl.load(config.aclFile(), config.aclDefaultAllow(), Acl.DEFAULT_CACHE_MAX_SIZE);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService blocking =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "gateway-blocking-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    GatewayContext ctx =
        new GatewayContext(
            config,
            clock,
            link,
            mapping,
            sessions,
            router,
            new RetainedStore(clock),
            auth,
            acl,
            blocking,
            new AtomicInteger(),
            metrics == null ? null : metrics.packetHandler());
    MqttServer server;
    try {
      server = MqttServer.start(ctx);
    } catch (IOException e) {
      blocking.shutdownNow();
      router.close();
      throw e;
    }
    ScheduledExecutorService hk =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gateway-housekeeping");
              t.setDaemon(true);
              return t;
            });
    hk.scheduleWithFixedDelay(() -> sessions.expire(router::removeAll), 1, 1, TimeUnit.SECONDS);
    Gateway g = new Gateway(ctx, server, hk);
    if (metrics != null) {
      metrics.bindGauges(g);
    }
    LOG.info(
        "gateway {} listening: mqtt {}, ws {}, tls {}, wss {}",
        config.nodeId(),
        g.port("mqtt"),
        g.port("ws"),
        g.port("tls"),
        g.port("wss"));
    return g;
  }

  /**
   * @param listener mqtt, ws, tls or wss
   * @return its bound port, or -1 when off
   */
  public int port(String listener) {
    return server.port(listener);
  }

  /**
   * @return connections open now
   */
  public int connections() {
    return context.connections().get();
  }

  /**
   * @return sessions held now (connected and offline persistent ones)
   */
  public int sessions() {
    return context.sessions().all().size();
  }

  /**
   * @return subscriptions held now, over every session (counted once their SUBACK is sent)
   */
  public int subscriptions() {
    int n = 0;
    for (var s : context.sessions().all()) {
      n += s.subscriptions().size();
    }
    return n;
  }

  /** Closes the listeners and every connection, then the feeds. */
  @Override
  public void close() {
    housekeeping.shutdownNow();
    server.close();
    context.router().close();
    context.blocking().shutdownNow();
    LOG.info("gateway {} stopped", context.config().nodeId());
  }
}
