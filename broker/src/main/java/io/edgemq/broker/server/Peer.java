package io.edgemq.broker.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Puts the caller's socket address into the gRPC context. */
public final class Peer implements ServerInterceptor {
  static final Context.Key<InetSocketAddress> ADDRESS = Context.key("edgemq-peer");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress a = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (a instanceof InetSocketAddress isa) {
      return Contexts.interceptCall(Context.current().withValue(ADDRESS, isa), call, headers, next);
    }
    return next.startCall(call, headers);
  }

  /**
   * @return the current call's peer address, or null
   */
  static InetSocketAddress current() {
    return ADDRESS.get();
  }
}
