package io.edgemq.broker.api;

import io.edgemq.broker.command.CommandChannels;
import io.edgemq.broker.command.Replies;
import io.edgemq.broker.common.Threads;
import io.edgemq.broker.group.GroupAdmin;
import io.edgemq.broker.group.GroupManager;
import io.edgemq.broker.group.GroupTable;
import io.edgemq.broker.metrics.BrokerMetrics;
import io.edgemq.broker.offset.OffsetReset;
import io.edgemq.broker.offset.OffsetService;
import io.edgemq.broker.offset.OffsetTable;
import io.edgemq.broker.pop.PopService;
import io.edgemq.broker.pull.PullObserver;
import io.edgemq.broker.pull.PullService;
import io.edgemq.broker.query.ConsumerLag;
import io.edgemq.broker.query.MessageQueries;
import io.edgemq.broker.registry.Registrar;
import io.edgemq.broker.retry.DeadLetters;
import io.edgemq.broker.retry.RetryObserver;
import io.edgemq.broker.retry.RetryService;
import io.edgemq.broker.send.SendObserver;
import io.edgemq.broker.send.SendService;
import io.edgemq.broker.server.AdminRpc;
import io.edgemq.broker.server.BrokerRpc;
import io.edgemq.broker.server.Peer;
import io.edgemq.broker.server.PopRpc;
import io.edgemq.broker.server.TransactionRpc;
import io.edgemq.broker.timer.DelayRules;
import io.edgemq.broker.timer.TimerService;
import io.edgemq.broker.topic.TopicAdmin;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.broker.trace.BrokerTracer;
import io.edgemq.broker.trace.Traces;
import io.edgemq.broker.transaction.TransactionService;
import io.edgemq.protocol.Limits;
import io.edgemq.store.api.MessageStore;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running broker: one store, the topic and offset tables, and a gRPC server serving {@code
 * edgemq.v1.Broker}, {@code edgemq.v1.Admin} and {@code edgemq.v1.SimpleConsumption}, registered
 * with the configured nameservers.
 *
 * <pre>{@code
 * try (Broker b = Broker.start(BrokerConfig.builder(dir).port(0).build(), Clock.systemUTC())) {
 *   int port = b.port();
 * }
 * }</pre>
 */
public final class Broker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
  private static final int TRACE_QUEUE = 10_000;

  private final BrokerConfig config;
  private final Parts parts;
  private final Server server;
  private final BrokerRpc rpc;
  private final Registrar registrar;
  private final CommandChannels channels;
  private final TransactionService transactions;
  private boolean closed;

  private Broker(
      BrokerConfig config,
      Parts parts,
      Server server,
      Registrar registrar,
      BrokerRpc rpc,
      CommandChannels channels,
      TransactionService transactions) {
    this.rpc = rpc;
    this.channels = channels;
    this.transactions = transactions;
    this.config = config;
    this.parts = parts;
    this.server = server;
    this.registrar = registrar;
  }

  /** What close() has to stop, in one place. */
  private record Parts(
      MessageStore store,
      BrokerTracer tracer,
      TimerService timer,
      OffsetTable offsets,
      PullService pull,
      PopService pop,
      ExecutorService worker,
      ExecutorService grpc,
      ScheduledExecutorService scheduler) {}

  /**
   * Opens the store, loads topics and offsets, starts the gRPC server and registers with the
   * nameservers.
   *
   * @param config the validated config
   * @param clock the clock for store times, member expiry and queries
   * @return the running broker
   * @throws IOException when the data directory or store cannot be opened or the port bound
   */
  public static Broker start(BrokerConfig config, Clock clock) throws IOException {
    return start(config, clock, null);
  }

  /**
   * Starts a broker whose meters (see {@link BrokerMetrics}) go to a registry.
   *
   * @param config the validated config
   * @param clock the clock for store times, member expiry and queries
   * @param registry where the meters go, or null for none
   * @return the running broker
   * @throws IOException when the data directory or store cannot be opened or the port bound
   */
  public static Broker start(BrokerConfig config, Clock clock, MeterRegistry registry)
      throws IOException {
    Files.createDirectories(config.dataDir());
    TopicTable topics =
        TopicTable.load(config.dataDir(), config.defaultQueueCount(), clock.millis());
    OffsetTable offsets = OffsetTable.load(config.dataDir());
    GroupTable groupTable = GroupTable.load(config.dataDir());
    MessageStore store = MessageStore.open(config.storeConfig(), clock);
    TimerService timer;
    try {
      timer =
          TimerService.start(
              config.dataDir().resolve("timer"),
              store,
              topics,
              clock,
              config.delivery().timerRollWindow());
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    int cpus = Runtime.getRuntime().availableProcessors();
    ExecutorService worker =
        Executors.newFixedThreadPool(Math.max(2, cpus), Threads.daemon("broker-worker"));
    ExecutorService grpc =
        Executors.newFixedThreadPool(Math.max(4, 2 * cpus), Threads.daemon("broker-grpc"));
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(Threads.daemon("broker-scheduler"));
    String name = config.brokerName();
    boolean master = config.isMaster();
    GroupManager groups =
        new GroupManager(
            name,
            clock,
            config.memberTimeout(),
            config.clientHeartbeatInterval(),
            topics,
            groupTable);
    OffsetService offsetService =
        new OffsetService(master, offsets, topics, store, groups::isBroadcasting);
    BrokerMetrics metrics =
        registry == null
            ? null
            : BrokerMetrics.bind(registry, name, store, topics, offsets, scheduler);
    SendObserver observer = metrics == null ? SendObserver.NONE : metrics;
    BrokerTracer tracer = startTracer(config, topics, store, clock);
    SendService send =
        new SendService(
            name,
            master,
            config.autoCreateTopics(),
            store,
            topics,
            clock,
            worker,
            new DelayRules(config.delivery().delayLevels(), config.delivery().timerMaxDelay()),
            observer,
            tracer);
    RetryService retry =
        new RetryService(
            master,
            store,
            topics,
            groupTable,
            config.delivery(),
            clock,
            worker,
            metrics == null ? RetryObserver.NONE : metrics.delivery(),
            tracer);
    PullService pull =
        new PullService(
            name,
            store,
            topics,
            groups,
            offsetService,
            worker,
            scheduler,
            config.longPollMax(),
            metrics == null ? PullObserver.NONE : metrics.delivery());
    PopService pop;
    try {
      pop =
          PopService.start(
              config.dataDir().resolve("pop"),
              new PopService.Parts(
                  name,
                  master,
                  store,
                  topics,
                  groups,
                  retry,
                  clock,
                  worker,
                  scheduler,
                  config.longPollMax()));
    } catch (IOException | RuntimeException e) {
      tracer.close();
      timer.close();
      store.close();
      shutdown(scheduler);
      shutdown(worker);
      shutdown(grpc);
      throw e;
    }
    TopicAdmin topicAdmin = new TopicAdmin(master, topics, store, offsets::removeTopic);
    GroupAdmin groupAdmin = new GroupAdmin(master, groupTable, groups, offsets::removeGroup);
    OffsetReset reset =
        new OffsetReset(
            name,
            master,
            offsets,
            topics,
            store,
            g -> groupTable.find(g).isPresent() || groups.hasConsumers(g) || offsets.hasGroup(g),
            groups::isBroadcasting,
            groups::memberIds);
    Parts parts = new Parts(store, tracer, timer, offsets, pull, pop, worker, grpc, scheduler);
    BrokerRpc rpc = new BrokerRpc(master, send, pull, groups, offsetService, retry);
    CommandChannels channels = new CommandChannels(name);
    TransactionService transactions =
        TransactionService.start(
            new TransactionService.Parts(name, master, store, topics, send, channels, worker),
            config.transaction(),
            clock,
            scheduler);
    TransactionRpc transactionRpc =
        new TransactionRpc(
            transactions, channels, new Replies(channels, config.storeConfig().maxMessageBytes()));
    Server server;
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress(config.listenHost(), config.port()))
              .executor(grpc)
              // clients ping every 30 s on long-lived send streams and long polls
              .permitKeepAliveTime(10, TimeUnit.SECONDS)
              .maxInboundMessageSize(Limits.MAX_RPC_MESSAGE_BYTES)
              .addService(ServerInterceptors.intercept(rpc, new Peer()))
              .addService(ServerInterceptors.intercept(new PopRpc(pop), new Peer()))
              .addService(ServerInterceptors.intercept(transactionRpc, new Peer()))
              .addService(
                  ServerInterceptors.intercept(
                      new AdminRpc(
                          topicAdmin,
                          new MessageQueries(name, store, topics, clock),
                          new ConsumerLag(name, store, topics, groups, offsets),
                          groupAdmin,
                          reset,
                          new DeadLetters(name, master, store, topics, worker)),
                      new Peer()))
              .build()
              .start();
    } catch (IOException | RuntimeException e) {
      stopParts(parts);
      throw new IOException(
          "cannot listen on " + config.listenHost() + ":" + config.port() + ": " + e.getMessage(),
          e);
    }
    long flush = config.offsetFlushInterval().toMillis();
    scheduler.scheduleWithFixedDelay(
        () -> flushOffsets(offsets), flush, flush, TimeUnit.MILLISECONDS);
    long sweep = config.clientHeartbeatInterval().toMillis();
    scheduler.scheduleWithFixedDelay(groups::expireAll, sweep, sweep, TimeUnit.MILLISECONDS);
    Registrar registrar =
        new Registrar(
            config,
            server.getPort(),
            topics,
            Executors.newSingleThreadScheduledExecutor(Threads.daemon("broker-registry")),
            grpc);
    registrar.start();
    LOG.info(
        "broker {} (cluster {}, id {}) listening on {}:{}, {} topics",
        name,
        config.clusterName(),
        config.brokerId(),
        config.listenHost(),
        server.getPort(),
        topics.all().size());
    return new Broker(config, parts, server, registrar, rpc, channels, transactions);
  }

  /** Masters trace; the trace topic exists before the first traced send asks for its route. */
  private static BrokerTracer startTracer(
      BrokerConfig config, TopicTable topics, MessageStore store, Clock clock) {
    if (!config.isMaster()) {
      return BrokerTracer.off();
    }
    topics.createSystemIfAbsent(Traces.TOPIC, 1);
    return BrokerTracer.start(
        config.brokerName(), config.advertisedHost(), store, clock, TRACE_QUEUE);
  }

  private static void flushOffsets(OffsetTable offsets) {
    try {
      offsets.flush();
    } catch (IOException | RuntimeException e) {
      LOG.error("writing consumer offsets failed; retrying next period", e);
    }
  }

  /**
   * @return the bound gRPC port (the real one when the config asked for 0)
   */
  public int port() {
    return server.getPort();
  }

  /**
   * @return how many transactional half messages wait for their outcome (for operators and tests)
   */
  public int pendingTransactions() {
    return transactions.pendingCount();
  }

  /**
   * @return the config this broker runs with
   */
  public BrokerConfig config() {
    return config;
  }

  /**
   * Stops cleanly: unregisters from the nameservers, stops accepting calls, answers parked pulls,
   * lets calls in flight finish, writes the offsets and closes the store (so the next start needs
   * no recovery scan), then stops every thread.
   *
   * @throws IOException when the offsets or the store cannot be closed cleanly
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    registrar.close();
    server.shutdown();
    // send streams live as long as their producers: end them once their answers are out, or
    // shutdown would wait for them until the timeout
    rpc.endSendStreams();
    channels.endAll();
    parts.pull().close();
    parts.pop().endReceives();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("calls still running after 10 s; cancelling them");
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    stopParts(parts);
    LOG.info("broker {} closed", config.brokerName());
  }

  private static void stopParts(Parts p) throws IOException {
    shutdown(p.scheduler());
    IOException failure = null;
    try {
      p.offsets().flush();
    } catch (IOException e) {
      failure = e;
    }
    p.tracer().close(); // its last events need the store
    try {
      p.pop().close();
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    try {
      // before the store: the timer's last appends and checkpoint need it
      p.timer().close();
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    try {
      p.store().close();
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    shutdown(p.worker());
    shutdown(p.grpc());
    if (failure != null) {
      throw failure;
    }
  }

  private static void shutdown(ExecutorService ex) {
    ex.shutdown();
    try {
      if (!ex.awaitTermination(5, TimeUnit.SECONDS)) {
        ex.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ex.shutdownNow();
    }
  }
}
