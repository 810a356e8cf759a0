package io.edgemq.client.consumer;

import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.ConsumeMode;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.producer.RetryPolicy;
import io.edgemq.client.route.BrokerView;
import io.edgemq.client.route.RouteCache;
import io.edgemq.client.route.TopicRouteView;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.protocol.Codes;
import io.edgemq.protocol.v1.ClientInfo;
import io.edgemq.protocol.v1.ConsumerAssignment;
import io.edgemq.protocol.v1.ConsumerRegistration;
import io.edgemq.protocol.v1.FilterExpression;
import io.edgemq.protocol.v1.FilterType;
import io.edgemq.protocol.v1.HeartbeatRequest;
import io.edgemq.protocol.v1.HeartbeatResponse;
import io.edgemq.protocol.v1.Subscription;
import io.edgemq.protocol.v1.UnregisterClientRequest;
import io.edgemq.protocol.v1.UnregisterClientResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broker-assigned rebalance: heartbeats to the master of every broker group in the subscribed
 * topics' routes (at start, every {@code heartbeat_interval_ms} the brokers ask for, and at once
 * after QUEUE_NOT_ASSIGNED) and applies each answer's queues to the {@link ConsumerCore}. Answers
 * are applied in round order, so a late answer never undoes a newer one. A broker that does not
 * answer keeps its queues (their pulls fail and retry); a broker group gone from every route loses
 * them.
 */
final class Rebalancer {
  private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);
  private static final long DEFAULT_INTERVAL_MS = 10_000;
  private static final String CLIENT_VERSION = "edgemq-java/0.1.0";

  private final Rpc rpc;
  private final RouteCache routes;
  private final ConsumerSettings settings;
  private final ConsumerCore core;
  private final AtomicLong rounds = new AtomicLong();
  private final Map<String, Long> appliedRound = new ConcurrentHashMap<>();
  private final Map<String, Endpoint> brokers = new ConcurrentHashMap<>();
  private final Map<String, String> lastProblem = new ConcurrentHashMap<>();
  private final AtomicBoolean soonPending = new AtomicBoolean();
  private volatile long intervalMs = DEFAULT_INTERVAL_MS;
  private volatile boolean stopped;

  Rebalancer(Rpc rpc, RouteCache routes, ConsumerSettings settings, ConsumerCore core) {
    this.rpc = rpc;
    this.routes = routes;
    this.settings = settings;
    this.core = core;
  }

  void start() {
    schedule(0, true);
  }

  void stop() {
    stopped = true;
  }

  /** Runs a round now (at most one extra round is pending at a time). */
  void heartbeatSoon() {
    if (soonPending.compareAndSet(false, true)) {
      schedule(0, false);
    }
  }

  private void schedule(long delayMs, boolean periodic) {
    if (stopped) {
      return;
    }
    try {
      rpc.scheduler()
          .schedule(
              () -> {
                if (!periodic) {
                  soonPending.set(false);
                }
                round()
                    .whenComplete(
                        (v, e) -> {
                          if (e != null) {
                            LOG.warn("heartbeat round failed: {}", e.getMessage());
                          }
                          if (periodic) {
                            schedule(intervalMs, true);
                          }
                        });
              },
              delayMs,
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // the client is closing
    }
  }

  private CompletableFuture<Void> round() {
    long round = rounds.incrementAndGet();
    List<CompletableFuture<TopicRouteView>> lookups = new ArrayList<>();
    for (String topic : settings.subscriptions().keySet()) {
      lookups.add(routes.route(topic));
    }
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .handle((v, e) -> e)
        .thenCompose(
            failure -> {
              Map<String, Endpoint> targets = new TreeMap<>();
              boolean allKnown = true;
              for (CompletableFuture<TopicRouteView> l : lookups) {
                if (l.isCompletedExceptionally()) {
                  allKnown = false;
                  continue;
                }
                for (BrokerView b : l.join().brokers().values()) {
                  if (b.hasMaster()) {
                    targets.put(b.brokerName(), b.endpoint());
                  }
                }
              }
              if (failure != null) {
                LOG.debug("route lookup failed: {}", failure.getMessage());
              }
              if (allKnown) {
                core.retainBrokers(targets.keySet());
              }
              brokers.putAll(targets);
              List<CompletableFuture<Void>> beats = new ArrayList<>();
              targets.forEach((name, ep) -> beats.add(heartbeat(round, name, ep)));
              return CompletableFuture.allOf(beats.toArray(CompletableFuture[]::new));
            });
  }

  private HeartbeatRequest request() {
    ConsumerRegistration.Builder reg =
        ConsumerRegistration.newBuilder()
            .setGroup(settings.group())
            .setConsumeMode(
                settings.mode() == ConsumeMode.BROADCASTING
                    ? io.edgemq.protocol.v1.ConsumeMode.CONSUME_MODE_BROADCASTING
                    : io.edgemq.protocol.v1.ConsumeMode.CONSUME_MODE_CLUSTERING);
    new TreeMap<>(settings.subscriptions())
        .forEach(
            (topic, expr) ->
                reg.addSubscriptions(
                    Subscription.newBuilder()
                        .setTopic(topic)
                        .setFilter(
                            FilterExpression.newBuilder()
                                .setType(FilterType.FILTER_TYPE_TAG)
                                .setExpression(expr))));
    if (settings.retryTopic()) {
      reg.addSubscriptions(Subscription.newBuilder().setTopic(settings.retryTopicName()));
    }
    return HeartbeatRequest.newBuilder()
        .setClient(
            ClientInfo.newBuilder().setClientId(rpc.clientId()).setClientVersion(CLIENT_VERSION))
        .addConsumers(reg)
        .build();
  }

  private CompletableFuture<Void> heartbeat(long round, String brokerName, Endpoint endpoint) {
    HeartbeatRequest req = request();
    CompletableFuture<HeartbeatResponse> f;
    try {
      f = Calls.unary(o -> rpc.broker(endpoint).heartbeat(req, o));
    } catch (IllegalStateException closed) {
      return CompletableFuture.completedFuture(null);
    }
    return f.handle(
        (r, e) -> {
          ClientException failure =
              e != null
                  ? Calls.unwrap(e)
                  : Codes.isOk(r.getStatus())
                      ? null
                      : Calls.failure(r.getStatus(), "heartbeat to " + brokerName);
          if (failure != null) {
            LOG.debug("heartbeat to {} failed: {}", brokerName, failure.getMessage());
            if (RetryPolicy.refreshesRoute(failure)) {
              settings
                  .subscriptions()
                  .keySet()
                  .forEach(t -> routes.refresh(t).exceptionally(x -> null));
            }
            return null;
          }
          if (r.getHeartbeatIntervalMs() > 0) {
            intervalMs = Math.min(r.getHeartbeatIntervalMs(), DEFAULT_INTERVAL_MS * 3);
          }
          apply(round, brokerName, endpoint, r);
          return null;
        });
  }

  private void apply(long round, String brokerName, Endpoint endpoint, HeartbeatResponse r) {
    if (stopped || r.getAssignmentsCount() == 0) {
      return;
    }
    ConsumerAssignment a = r.getAssignments(0);
    String problem = Codes.isOk(a.getStatus()) ? "" : a.getStatus().getMessage();
    if (!problem.equals(lastProblem.getOrDefault(brokerName, ""))) {
      if (!problem.isEmpty()) {
        LOG.warn(
            "broker {} refuses part of group {}'s subscription: {} {}",
            brokerName,
            settings.group(),
            a.getStatus().getCode(),
            problem);
      }
      lastProblem.put(brokerName, problem);
    }
    Set<MessageQueue> wanted = new HashSet<>();
    for (io.edgemq.protocol.v1.MessageQueue q : a.getQueuesList()) {
      if (q.getBrokerName().equals(brokerName) && settings.reads(q.getTopic())) {
        wanted.add(new MessageQueue(q.getTopic(), q.getBrokerName(), q.getQueueId()));
      }
    }
    synchronized (this) {
      if (appliedRound.getOrDefault(brokerName, 0L) > round) {
        return;
      }
      appliedRound.put(brokerName, round);
      core.reconcile(brokerName, endpoint, wanted);
    }
  }

  /**
   * Sends UnregisterClient to every broker group heartbeaten so far.
   *
   * @return completes when all answered (failures are logged)
   */
  CompletableFuture<Void> unregister() {
    UnregisterClientRequest req =
        UnregisterClientRequest.newBuilder()
            .setClientId(rpc.clientId())
            .addConsumerGroups(settings.group())
            .build();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    brokers.forEach(
        (name, ep) -> {
          CompletableFuture<UnregisterClientResponse> f;
          try {
            f = Calls.unary(o -> rpc.broker(ep).unregisterClient(req, o));
          } catch (IllegalStateException closed) {
            return;
          }
          all.add(
              f.handle(
                  (r, e) -> {
                    if (e != null) {
                      LOG.debug("unregister at {} failed: {}", name, e.getMessage());
                    }
                    return null;
                  }));
        });
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }
}
