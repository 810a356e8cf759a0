package io.edgemq.client.route;

import io.edgemq.client.api.ClientException;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.NameServerGrpc;
import io.edgemq.protocol.v1.QueryRouteRequest;
import io.edgemq.protocol.v1.QueryRouteResponse;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic routes from the nameservers, cached per topic and queried again every {@code
 * routeRefreshInterval} and on demand (after NOT_LEADER, TOPIC_NOT_FOUND, QUEUE_NOT_FOUND or a
 * broker that does not answer). A query tries the nameservers in turn, starting with the last one
 * that answered, until one answers OK; so one nameserver that is down or has not yet heard of a
 * broker does not stop the client. A failed refresh keeps the cached route.
 */
public final class RouteCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RouteCache.class);

  private final Rpc rpc;
  private final List<InetSocketAddress> nameServers;
  private final Map<String, TopicRouteView> routes = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<TopicRouteView>> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger preferred = new AtomicInteger();
  private final Map<String, Queue<CompletableFuture<TopicRouteView>>> waiters = new HashMap<>();
  private final ScheduledFuture<?> refresher;

  /**
   * Starts the periodic refresh on the client's scheduler.
   *
   * @param rpc the client's connections
   */
  public RouteCache(Rpc rpc) {
    this.rpc = rpc;
    this.nameServers = rpc.config().nameServers();
    long every = rpc.config().routeRefreshInterval().toMillis();
    this.refresher =
        rpc.scheduler()
            .scheduleWithFixedDelay(this::refreshAll, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * The cached route, or a query when there is none.
   *
   * @param topic the topic
   * @return completes with the route, or with a {@link ClientException} (e.g. TOPIC_NOT_FOUND)
   */
  public CompletableFuture<TopicRouteView> route(String topic) {
    CompletableFuture<TopicRouteView> mine;
    synchronized (waiters) {
      TopicRouteView cached = routes.get(topic);
      if (cached != null && !waiters.containsKey(topic)) {
        return CompletableFuture.completedFuture(cached);
      }
      // Callers that wait for a route get it in the order they asked: the dependents of one
      // shared future would run in reverse order, and a producer's sends with them.
      mine = new CompletableFuture<>();
      waiters.computeIfAbsent(topic, t -> new ArrayDeque<>()).add(mine);
    }
    refresh(topic).whenComplete((r, e) -> releaseWaiters(topic, r, e));
    return mine;
  }

  private void releaseWaiters(String topic, TopicRouteView route, Throwable error) {
    // completed under the lock, so a later caller cannot find the route cached and overtake them
    synchronized (waiters) {
      Queue<CompletableFuture<TopicRouteView>> q = waiters.remove(topic);
      if (q == null) {
        return;
      }
      for (CompletableFuture<TopicRouteView> w : q) {
        if (error == null) {
          w.complete(route);
        } else {
          w.completeExceptionally(error);
        }
      }
    }
  }

  /**
   * @param topic the topic
   * @return the cached route, without querying
   */
  public Optional<TopicRouteView> cached(String topic) {
    return Optional.ofNullable(routes.get(topic));
  }

  /**
   * @return the topics with a cached route
   */
  public Set<String> topics() {
    return Set.copyOf(routes.keySet());
  }

  /**
   * Queries the route now (joining a query already running) and caches the answer.
   *
   * @param topic the topic
   * @return completes with the new route; on failure the old one stays cached
   */
  public CompletableFuture<TopicRouteView> refresh(String topic) {
    CompletableFuture<TopicRouteView> mine = new CompletableFuture<>();
    CompletableFuture<TopicRouteView> running = inFlight.putIfAbsent(topic, mine);
    if (running != null) {
      return running;
    }
    query(topic, 0, null)
        .whenComplete(
            (route, error) -> {
              inFlight.remove(topic, mine);
              if (error == null) {
                TopicRouteView old = routes.put(topic, route);
                if (!route.equals(old)) {
                  LOG.debug("route of {} is now {}", topic, route);
                }
                mine.complete(route);
              } else {
                mine.completeExceptionally(Calls.unwrap(error));
              }
            });
    return mine;
  }

  private CompletableFuture<TopicRouteView> query(String topic, int tried, ClientException last) {
    if (tried >= nameServers.size()) {
      return CompletableFuture.failedFuture(last);
    }
    int index = Math.floorMod(preferred.get() + tried, nameServers.size());
    InetSocketAddress ns = nameServers.get(index);
    NameServerGrpc.NameServerStub stub;
    try {
      stub = rpc.nameServer(ns);
    } catch (IllegalStateException closed) {
      return CompletableFuture.failedFuture(
          new ClientException(Code.SERVICE_UNAVAILABLE_VALUE, "client closed"));
    }
    QueryRouteRequest req = QueryRouteRequest.newBuilder().setTopic(topic).build();
    CompletableFuture<QueryRouteResponse> call = Calls.unary(o -> stub.queryRoute(req, o));
    return call.handle(
            (resp, error) -> {
              if (error == null && Codes.isOk(resp.getStatus())) {
                preferred.set(index);
                return CompletableFuture.completedFuture(TopicRouteView.of(resp.getRoute()));
              }
              ClientException e =
                  error != null
                      ? Calls.unwrap(error)
                      : Calls.failure(resp.getStatus(), "route of " + topic + " from " + ns);
              // an illegal name gets the same answer everywhere
              if (e.code() == Code.ILLEGAL_TOPIC) {
                return CompletableFuture.<TopicRouteView>failedFuture(e);
              }
              return query(topic, tried + 1, e);
            })
        .thenCompose(Function.identity());
  }

  private void refreshAll() {
    for (String topic : routes.keySet()) {
      refresh(topic)
          .exceptionally(
              e -> {
                LOG.warn("refreshing the route of {} failed: {}", topic, e.getMessage());
                return null;
              });
    }
  }

  /** Stops the periodic refresh. */
  @Override
  public void close() {
    refresher.cancel(false);
  }
}
