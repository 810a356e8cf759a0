package io.edgemq.nameserver.api;

import io.edgemq.nameserver.grpc.NameServerService;
import io.edgemq.nameserver.kv.KvConfigStore;
import io.edgemq.nameserver.metrics.NameServerMetrics;
import io.edgemq.nameserver.route.ExpiryScheduler;
import io.edgemq.nameserver.route.RouteTable;
import io.edgemq.protocol.Limits;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running nameserver: the gRPC service {@code edgemq.v1.NameServer} on one port, its route table,
 * the broker expiry scan and the KV config. Nameservers share nothing with each other; run several
 * and let every broker register with all of them.
 */
public final class NameServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NameServer.class);

  /** How long {@link #close()} lets calls in flight finish before cancelling them. */
  private static final long GRACE_MILLIS = 5_000;

  private final Server server;
  // kept: gRPC refuses getPort() once the server has terminated
  private final int port;
  private final ExpiryScheduler expiry;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NameServer(Server server, ExpiryScheduler expiry) {
    this.server = server;
    this.port = server.getPort();
    this.expiry = expiry;
  }

  /**
   * Loads the KV file (if configured), binds the port and starts serving and scanning for silent
   * brokers.
   *
   * @param config the configuration
   * @param clock the time of registrations, heartbeats and expiry; tests pass one they move by hand
   * @return the running nameserver
   * @throws IOException if the port cannot be bound, or the KV file cannot be read or is malformed
   */
  public static NameServer start(NameServerConfig config, Clock clock) throws IOException {
    return start(config, clock, null);
  }

  /**
   * Starts a nameserver whose meters (see {@link NameServerMetrics}) go to a registry.
   *
   * @param config the configuration
   * @param clock the time of registrations, heartbeats and expiry
   * @param registry where the meters go, or null for none
   * @return the running nameserver
   * @throws IOException if the port cannot be bound, or the KV file cannot be read or is malformed
   */
  public static NameServer start(NameServerConfig config, Clock clock, MeterRegistry registry)
      throws IOException {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    KvConfigStore kv = KvConfigStore.open(config.kvConfigFile());
    RouteTable table = new RouteTable(clock, config.brokerExpiry());
    if (registry != null) {
      NameServerMetrics.bind(registry, table);
    }
    Server server =
        Grpc.newServerBuilderForPort(config.port(), InsecureServerCredentials.create())
            .maxInboundMessageSize(Limits.MAX_RPC_MESSAGE_BYTES)
            .addService(new NameServerService(table, kv))
            .build()
            .start();
    ExpiryScheduler expiry = ExpiryScheduler.start(table, config.expiryScanInterval());
    LOG.info(
        "nameserver serving on port {} (broker expiry {}, scan every {}, KV file {})",
        server.getPort(),
        config.brokerExpiry(),
        config.expiryScanInterval(),
        config.kvConfigFile() == null ? "none" : config.kvConfigFile());
    return new NameServer(server, expiry);
  }

  /**
   * The port the server is bound to.
   *
   * @return the configured port, or the one chosen by the system for port 0
   */
  public int port() {
    return port;
  }

  /**
   * Stops accepting calls, lets calls in flight finish for up to 5 s, then cancels the rest and
   * stops the expiry scan. Calling it again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    expiry.close();
    server.shutdown();
    try {
      if (!server.awaitTermination(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    LOG.info("nameserver on port {} stopped", port);
  }
}
