package io.edgemq.broker.registry;

import io.edgemq.protocol.Limits;
import io.edgemq.protocol.v1.BrokerHeartbeatRequest;
import io.edgemq.protocol.v1.BrokerHeartbeatResponse;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.NameServerGrpc;
import io.edgemq.protocol.v1.RegisterBrokerRequest;
import io.edgemq.protocol.v1.RegisterBrokerResponse;
import io.edgemq.protocol.v1.UnregisterBrokerRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker's connection to one nameserver and what that nameserver has been told. */
final class NameServerLink {
  private static final Logger LOG = LoggerFactory.getLogger(NameServerLink.class);

  private final InetSocketAddress address;
  private final ManagedChannel channel;
  private final Duration callTimeout;
  private long registeredVersion = -1;
  private boolean failing;

  NameServerLink(InetSocketAddress address, Executor executor, Duration callTimeout) {
    this.address = address;
    this.callTimeout = callTimeout;
    this.channel =
        NettyChannelBuilder.forAddress(address.getHostString(), address.getPort())
            .usePlaintext()
            .executor(executor)
            .maxInboundMessageSize(Limits.MAX_RPC_MESSAGE_BYTES)
            .build();
  }

  private NameServerGrpc.NameServerBlockingStub stub() {
    return NameServerGrpc.newBlockingStub(channel)
        .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One round: register when needed, otherwise heartbeat. Never throws. */
  void round(long dataVersion, Supplier<RegisterBrokerRequest> registration) {
    try {
      if (registeredVersion != dataVersion) {
        register(registration.get());
        return;
      }
      RegisterBrokerRequest r = registration.get();
      BrokerHeartbeatResponse hb =
          stub()
              .brokerHeartbeat(
                  BrokerHeartbeatRequest.newBuilder()
                      .setClusterName(r.getClusterName())
                      .setBrokerName(r.getBrokerName())
                      .setBrokerId(r.getBrokerId())
                      .setDataVersion(dataVersion)
                      .build());
      if (hb.getRegisterRequired() || hb.getStatus().getCode() == Code.BROKER_NOT_FOUND) {
        register(r);
      } else if (hb.getStatus().getCode() != Code.OK) {
        warn("heartbeat refused: " + hb.getStatus().getCode() + " " + hb.getStatus().getMessage());
      } else {
        recovered();
      }
    } catch (RuntimeException e) {
      registeredVersion = -1;
      warn("unreachable (" + e.getMessage() + "); retrying next round");
    }
  }

  private void register(RegisterBrokerRequest r) {
    RegisterBrokerResponse resp = stub().registerBroker(r);
    if (resp.getStatus().getCode() == Code.OK) {
      registeredVersion = r.getDataVersion();
      recovered();
      LOG.info("registered with nameserver {} ({} topics)", address, r.getTopicsCount());
    } else {
      registeredVersion = -1;
      warn(
          "registration refused: "
              + resp.getStatus().getCode()
              + " "
              + resp.getStatus().getMessage());
    }
  }

  void unregister(UnregisterBrokerRequest r) {
    try {
      stub().unregisterBroker(r);
    } catch (RuntimeException e) {
      LOG.warn("could not unregister from nameserver {}: {}", address, e.getMessage());
    }
  }

  private void warn(String what) {
    if (!failing) {
      LOG.warn("nameserver {}: {}", address, what);
    }
    failing = true;
  }

  private void recovered() {
    if (failing) {
      LOG.info("nameserver {} is reachable again", address);
    }
    failing = false;
  }

  void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
