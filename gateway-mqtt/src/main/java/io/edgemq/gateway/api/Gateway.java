package io.edgemq.gateway.api;

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
import io.edgemq.gateway.metrics.GatewayMetrics;
import io.edgemq.gateway.server.ConnectionEvents;
import io.edgemq.gateway.server.Forwarding;
import io.edgemq.gateway.server.GatewayContext;
import io.edgemq.gateway.server.MqttServer;
import io.edgemq.gateway.session.Peer;
import io.edgemq.gateway.session.Session;
import io.edgemq.gateway.session.SessionDrops;
import io.edgemq.gateway.session.SessionRegistry;
import io.edgemq.gateway.session.SessionState;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  private final AutoCloseable sessionWatch;

  private static final int REPLAY_THREADS = 4;
  private static final long FINAL_SAVE_SECONDS = 10;

  private Gateway(
      GatewayContext context,
      MqttServer server,
      ScheduledExecutorService hk,
      AutoCloseable sessionWatch) {
    this.context = context;
    this.server = server;
    this.housekeeping = hk;
    this.sessionWatch = sessionWatch;
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
    // what started so far, closed in reverse if a later part fails
    Deque<AutoCloseable> started = new ArrayDeque<>();
    try {
      Gateway g = start(config, link, clock, metrics, started);
      if (metrics != null) {
        metrics.bindGauges(g);
      }
      return g;
    } catch (IOException | RuntimeException e) {
      while (!started.isEmpty()) {
        closeQuietly(started.pop());
      }
      throw e;
    }
  }

  private static Gateway start(
      GatewayConfig config,
      BrokerLink link,
      Clock clock,
      GatewayMetrics metrics,
      Deque<AutoCloseable> started)
      throws IOException {
    MappingTable mapping = config.mappingTable();
    SessionRegistry sessions = new SessionRegistry(clock, config.maxQueuedPerSession());
    Router router = new Router(sessions, link, mapping, clock);
    started.push(router);
    Checkpoints checkpoints = new Checkpoints(link.sessionStore(), router, clock);
    Replays replays = new Replays(link, router, sessions, REPLAY_THREADS);
    started.push(replays);
    RetainedStore retained = new RetainedStore(clock);
    RetainedLog retainedLog =
        new RetainedLog(
            link,
            config.retainedTopic(),
            retained,
            clock,
            config.retainedRefreshAfter(),
            config.nodeId());
    started.push(retainedLog);
    retainedLog.start();
    ScheduledExecutorService hk =
        Executors.newSingleThreadScheduledExecutor(daemon("housekeeping"));
    started.push(hk::shutdownNow);
    WillLog wills =
        new WillLog(link, config.willTopic(), config.nodeId(), clock, hk, config.willNodeTimeout());
    started.push(wills);
    ExecutorService blocking = Executors.newCachedThreadPool(daemon("blocking"));
    started.push(blocking::shutdownNow);
    GatewayContext ctx =
        new GatewayContext(
            config,
            clock,
            link,
            mapping,
            sessions,
            router,
            checkpoints,
            replays,
            retained,
            retainedLog,
            wills,
            Authenticator.create(config.auth()),
            config.aclFile() == null
                ? Acl.allowAll()
                : Acl.load(config.aclFile(), config.aclDefaultAllow(), Acl.DEFAULT_CACHE_MAX_SIZE),
            blocking,
            new AtomicInteger(),
            metrics == null ? null : metrics.packetHandler(),
            metrics == null ? ConnectionEvents.NONE : metrics.events());
    wills.start((w, user) -> Forwarding.publishWill(ctx, w, user));
    AutoCloseable watch = link.sessionStore().watch(record -> dropSuperseded(ctx, record));
    started.push(watch);
    MqttServer server = MqttServer.start(ctx);
    hk.scheduleWithFixedDelay(() -> sessions.expire(router::removeAll), 1, 1, TimeUnit.SECONDS);
    hk.scheduleWithFixedDelay(retainedLog::refresh, 1, 1, TimeUnit.MINUTES);
    Set<String> internal =
        new HashSet<>(
            List.of(link.sessionStore().topic(), config.retainedTopic(), config.willTopic()));
    hk.scheduleWithFixedDelay(() -> discoverTopics(router, internal), 2, 2, TimeUnit.SECONDS);
    long every = config.sessionCheckpointInterval().toMillis();
    hk.scheduleWithFixedDelay(
        () -> checkpoints.saveAll(sessions.all()), every, every, TimeUnit.MILLISECONDS);
    Gateway g = new Gateway(ctx, server, hk, watch);
    LOG.info(
        "gateway {} listening: mqtt {}, ws {}, tls {}, wss {}",
        config.nodeId(),
        g.port("mqtt"),
        g.port("ws"),
        g.port("tls"),
        g.port("wss"));
    return g;
  }

  // another node took a session over (or ended it): this node's copy goes
  private static void dropSuperseded(GatewayContext ctx, SessionState record) {
    Session gone = ctx.sessions().superseded(record);
    if (gone != null) {
      ctx.router().removeAll(gone);
    }
  }

  private static void discoverTopics(Router router, Set<String> internal) {
    try {
      router.discoverTopics(internal);
    } catch (RuntimeException e) {
      LOG.debug("looking for new broker topics failed: {}", e.toString());
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "gateway-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", c, e.toString());
    }
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
   * @return messages queued or in flight toward devices, over every session
   */
  public long queuedMessages() {
    long n = 0;
    for (var s : context.sessions().all()) {
      n += s.pending();
    }
    return n;
  }

  /**
   * @return the most messages queued or in flight in one session
   */
  public int deepestSessionQueue() {
    int max = 0;
    for (var s : context.sessions().all()) {
      max = Math.max(max, s.pending());
    }
    return max;
  }

  /**
   * @return every session of this node, sorted by client id
   */
  public List<SessionInfo> sessionInfos() {
    List<SessionInfo> out = new ArrayList<>();
    for (Session s : context.sessions().all()) {
      Peer p = s.peer();
      out.add(
          new SessionInfo(
              s.clientId(),
              p != null,
              p == null ? null : p.address(),
              p == null ? 0 : p.protocolVersion(),
              p == null ? null : p.username(),
              s.persistent(),
              s.subscriptions().size(),
              s.pending(),
              s.dropped(),
              s.createdAt(),
              p != null ? Long.MAX_VALUE : s.expiresAt()));
    }
    out.sort(java.util.Comparator.comparing(SessionInfo::clientId));
    return out;
  }

  /**
   * @return what the sessions dropped
   */
  public SessionDrops sessionDrops() {
    return context.sessions().drops();
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

  /**
   * Closes the listeners and every connection, writes every persistent session to the brokers (so
   * they resume elsewhere without messages sent twice), then closes the feeds.
   */
  @Override
  public void close() {
    housekeeping.shutdownNow();
    closeQuietly(sessionWatch);
    server.close();
    context.replays().close();
    List<CompletableFuture<Void>> saves = new ArrayList<>();
    for (Session s : context.sessions().all()) {
      saves.add(context.checkpoints().save(s));
    }
    try {
      CompletableFuture.allOf(saves.toArray(CompletableFuture[]::new))
          .get(FINAL_SAVE_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("not every session was stored before closing: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    context.wills().close();
    context.retainedLog().close();
    context.router().close();
    context.blocking().shutdownNow();
    LOG.info("gateway {} stopped", context.config().nodeId());
  }
}
