package io.edgemq.broker.command;

import io.edgemq.protocol.v1.CommandStreamResponse;
import io.grpc.stub.StreamObserver;
import java.util.Set;

/** One client's open command stream on this broker. */
final class CommandChannel {
  private final String clientId;
  private final StreamObserver<CommandStreamResponse> out;
  private volatile Set<String> producerGroups;
  private boolean ended;

  CommandChannel(
      String clientId, Set<String> producerGroups, StreamObserver<CommandStreamResponse> out) {
    this.clientId = clientId;
    this.producerGroups = Set.copyOf(producerGroups);
    this.out = out;
  }

  String clientId() {
    return clientId;
  }

  boolean serves(String producerGroup) {
    return producerGroups.contains(producerGroup);
  }

  void producerGroups(Set<String> groups) {
    this.producerGroups = Set.copyOf(groups);
  }

  /**
   * Writes one command; gRPC observers are not thread-safe, so writes are serialized here.
   *
   * @return false when the stream has ended or the write failed (the client is gone)
   */
  synchronized boolean push(CommandStreamResponse command) {
    if (ended) {
      return false;
    }
    try {
      out.onNext(command);
      return true;
    } catch (RuntimeException e) {
      ended = true;
      return false;
    }
  }

  /** Ends the stream with OK (broker stop, or replaced by a newer channel of the same client). */
  synchronized void end() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      out.onCompleted();
    } catch (RuntimeException e) {
      // already cancelled by the client
    }
  }

  synchronized void markEnded() {
    ended = true;
  }
}
