package io.edgemq.client.rpc;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.protocol.Limits;
import io.edgemq.protocol.v1.AdminGrpc;
import io.edgemq.protocol.v1.BrokerGrpc;
import io.edgemq.protocol.v1.NameServerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One client instance's connections and shared threads: one {@link ManagedChannel} per endpoint
 * (created on first use, closed by {@link #close()}), the gRPC callback executor and a scheduler
 * for periodic work. Stubs get the configured deadline.
 */
public final class Rpc implements AutoCloseable {
  /** The margin added to a long poll's wait for its gRPC deadline. */
  public static final Duration LONG_POLL_MARGIN = Duration.ofSeconds(5);

  /** Ping interval on a connection with calls open; servers must permit at least this often. */
  public static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

  private final ClientConfig config;
  private final String name;
  private final String clientId;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final ExecutorService callbacks;
  private final ScheduledExecutorService scheduler;
  private volatile boolean closed;

  /**
   * @param config the client config
   * @param name a short name for thread names ({@code edgemq-<name>-...})
   */
  public Rpc(ClientConfig config, String name) {
    this.config = config;
    this.name = name;
    this.clientId = config.clientId().orElseGet(ClientConfig::newClientId);
    this.callbacks = Executors.newCachedThreadPool(Threads.daemon("edgemq-" + name + "-grpc"));
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(1, Threads.daemon("edgemq-" + name + "-scheduler"));
    s.setRemoveOnCancelPolicy(true);
    s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.scheduler = s;
  }

  /**
   * @return the client config
   */
  public ClientConfig config() {
    return config;
  }

  /**
   * @return this client instance's id: the configured one, or a new one per instance
   */
  public String clientId() {
    return clientId;
  }

  /**
   * @return the short name given at construction
   */
  public String name() {
    return name;
  }

  /**
   * @return the scheduler for periodic and delayed work (one thread; keep tasks short)
   */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * @return the executor gRPC callbacks run on
   */
  public ExecutorService callbacks() {
    return callbacks;
  }

  /**
   * @return whether {@link #close()} was called
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * The shared channel to an endpoint.
   *
   * @param host the host
   * @param port the port
   * @return the channel, created on first use
   */
  public ManagedChannel channel(String host, int port) {
    if (closed) {
      throw new IllegalStateException("client closed");
    }
    return channels.computeIfAbsent(
        host + ":" + port,
        k ->
            NettyChannelBuilder.forAddress(host, port)
                .usePlaintext()
                .maxInboundMessageSize(Limits.MAX_RPC_MESSAGE_BYTES)
                // a broker that vanished without a reset must still fail the open send streams
                .keepAliveTime(KEEP_ALIVE.toSeconds(), TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .executor(callbacks)
                .build());
  }

  /**
   * @param address a nameserver
   * @return its async stub with the request deadline
   */
  public NameServerGrpc.NameServerStub nameServer(InetSocketAddress address) {
    return NameServerGrpc.newStub(channel(address.getHostString(), address.getPort()))
        .withDeadlineAfter(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * @param endpoint a broker's {@code host:port}
   * @return its async stub with the request deadline
   */
  public BrokerGrpc.BrokerStub broker(Endpoint endpoint) {
    return broker(endpoint, config.requestTimeout());
  }

  /**
   * @param endpoint a broker's {@code host:port}
   * @param deadline the call's deadline
   * @return its async stub with that deadline
   */
  public BrokerGrpc.BrokerStub broker(Endpoint endpoint, Duration deadline) {
    return BrokerGrpc.newStub(channel(endpoint.host(), endpoint.port()))
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * @param endpoint a broker's {@code host:port}
   * @return its async stub without a deadline, for long-lived streams
   */
  public BrokerGrpc.BrokerStub brokerForStreams(Endpoint endpoint) {
    return BrokerGrpc.newStub(channel(endpoint.host(), endpoint.port()));
  }

  /**
   * @param endpoint a broker's {@code host:port}
   * @return its admin async stub with the request deadline
   */
  public AdminGrpc.AdminStub admin(Endpoint endpoint) {
    return AdminGrpc.newStub(channel(endpoint.host(), endpoint.port()))
        .withDeadlineAfter(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the scheduler, closes every channel (waiting up to 5 s) and the callback threads. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    scheduler.shutdownNow();
    List<ManagedChannel> all = new ArrayList<>(channels.values());
    channels.clear();
    for (ManagedChannel c : all) {
      c.shutdown();
    }
    for (ManagedChannel c : all) {
      try {
        if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
          c.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.shutdownNow();
      }
    }
    Threads.shutdown(callbacks, 5000);
  }
}
