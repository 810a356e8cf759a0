package io.edgemq.nameserver.api;

import io.edgemq.protocol.Limits;
import io.edgemq.protocol.v1.NameServerGrpc;
import io.edgemq.protocol.v1.NameServerGrpc.NameServerBlockingStub;
import io.edgemq.testsupport.MutableClock;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A real nameserver on an ephemeral port with a hand-moved clock, and a client channel to it. */
final class RunningNameServer implements AutoCloseable {
  /** Short, so a test waits at most a few scans after moving the clock. */
  static final Duration SCAN_INTERVAL = Duration.ofMillis(20);

  final MutableClock clock;
  final NameServer server;
  final ManagedChannel channel;

  private RunningNameServer(MutableClock clock, NameServer server) {
    this.clock = clock;
    this.server = server;
    this.channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.port())
            .usePlaintext()
            .maxInboundMessageSize(Limits.MAX_RPC_MESSAGE_BYTES)
            .build();
  }

  static RunningNameServer start(MutableClock clock, Path kvFile) throws IOException {
    NameServerConfig config =
        NameServerConfig.builder()
            .port(0)
            .expiryScanInterval(SCAN_INTERVAL)
            .kvConfigFile(kvFile)
            .build();
    return new RunningNameServer(clock, NameServer.start(config, clock));
  }

  static RunningNameServer start() throws IOException {
    return start(new MutableClock(), null);
  }

  /** A fresh stub: each call gets its own deadline counted from now. */
  NameServerBlockingStub stub() {
    return NameServerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.close();
    }
  }
}
