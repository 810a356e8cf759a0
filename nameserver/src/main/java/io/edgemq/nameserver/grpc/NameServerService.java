package io.edgemq.nameserver.grpc;

import io.edgemq.nameserver.kv.KvConfigStore;
import io.edgemq.nameserver.route.RouteTable;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.BrokerHeartbeatRequest;
import io.edgemq.protocol.v1.BrokerHeartbeatResponse;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.DeleteKvConfigRequest;
import io.edgemq.protocol.v1.DeleteKvConfigResponse;
import io.edgemq.protocol.v1.GetKvConfigRequest;
import io.edgemq.protocol.v1.GetKvConfigResponse;
import io.edgemq.protocol.v1.ListBrokersRequest;
import io.edgemq.protocol.v1.ListBrokersResponse;
import io.edgemq.protocol.v1.ListClustersRequest;
import io.edgemq.protocol.v1.ListClustersResponse;
import io.edgemq.protocol.v1.ListKvConfigRequest;
import io.edgemq.protocol.v1.ListKvConfigResponse;
import io.edgemq.protocol.v1.ListTopicNamesRequest;
import io.edgemq.protocol.v1.ListTopicNamesResponse;
import io.edgemq.protocol.v1.NameServerGrpc;
import io.edgemq.protocol.v1.PutKvConfigRequest;
import io.edgemq.protocol.v1.PutKvConfigResponse;
import io.edgemq.protocol.v1.QueryRouteRequest;
import io.edgemq.protocol.v1.QueryRouteResponse;
import io.edgemq.protocol.v1.RegisterBrokerRequest;
import io.edgemq.protocol.v1.RegisterBrokerResponse;
import io.edgemq.protocol.v1.Status;
import io.edgemq.protocol.v1.UnregisterBrokerRequest;
import io.edgemq.protocol.v1.UnregisterBrokerResponse;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code edgemq.v1.NameServer}: hands each call to its handler and sends one answer. */
public final class NameServerService extends NameServerGrpc.NameServerImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(NameServerService.class);

  private final RouteRpcs routes;
  private final KvRpcs kv;

  /**
   * Serves a route table and a KV store.
   *
   * @param table the routes
   * @param store the KV config
   */
  public NameServerService(RouteTable table, KvConfigStore store) {
    this.routes = new RouteRpcs(table);
    this.kv = new KvRpcs(store);
  }

  @Override
  public void registerBroker(RegisterBrokerRequest r, StreamObserver<RegisterBrokerResponse> out) {
    answer(
        out,
        () -> routes.register(r),
        s -> RegisterBrokerResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public void brokerHeartbeat(
      BrokerHeartbeatRequest r, StreamObserver<BrokerHeartbeatResponse> out) {
    answer(
        out,
        () -> routes.heartbeat(r),
        s -> BrokerHeartbeatResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public void unregisterBroker(
      UnregisterBrokerRequest r, StreamObserver<UnregisterBrokerResponse> out) {
    answer(
        out,
        () -> routes.unregister(r),
        s -> UnregisterBrokerResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public void queryRoute(QueryRouteRequest r, StreamObserver<QueryRouteResponse> out) {
    answer(
        out, () -> routes.queryRoute(r), s -> QueryRouteResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public void listClusters(ListClustersRequest r, StreamObserver<ListClustersResponse> out) {
    answer(out, routes::listClusters, s -> ListClustersResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public void listBrokers(ListBrokersRequest r, StreamObserver<ListBrokersResponse> out) {
    answer(
        out,
        () -> routes.listBrokers(r),
        s -> ListBrokersResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public void listTopicNames(ListTopicNamesRequest r, StreamObserver<ListTopicNamesResponse> out) {
    answer(
        out,
        () -> routes.listTopicNames(r),
        s -> ListTopicNamesResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public void putKvConfig(PutKvConfigRequest r, StreamObserver<PutKvConfigResponse> out) {
    answer(out, () -> kv.put(r), s -> PutKvConfigResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public void getKvConfig(GetKvConfigRequest r, StreamObserver<GetKvConfigResponse> out) {
    answer(out, () -> kv.get(r), s -> GetKvConfigResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public void deleteKvConfig(DeleteKvConfigRequest r, StreamObserver<DeleteKvConfigResponse> out) {
    answer(out, () -> kv.delete(r), s -> DeleteKvConfigResponse.newBuilder().setStatus(s).build());
  }

  @Override
  public void listKvConfig(ListKvConfigRequest r, StreamObserver<ListKvConfigResponse> out) {
    answer(out, () -> kv.list(r), s -> ListKvConfigResponse.newBuilder().setStatus(s).build());
  }

  /**
   * Sends the handler's answer. A bug in a handler still gets an answer (INTERNAL in the body, as
   * the contract wants for a call that reached the server), and is logged once here.
   */
  private static <T> void answer(
      StreamObserver<T> out, Supplier<T> handler, Function<Status, T> onFailure) {
    T response;
    try {
      response = handler.get();
    } catch (RuntimeException e) {
      LOG.error("nameserver call failed unexpectedly", e);
      response = onFailure.apply(Codes.status(Code.INTERNAL, String.valueOf(e)));
    }
    out.onNext(response);
    out.onCompleted();
  }
}
