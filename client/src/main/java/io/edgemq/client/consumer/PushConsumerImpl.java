package io.edgemq.client.consumer;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeMode;
import io.edgemq.client.api.MessageListener;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.client.route.RouteCache;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.client.trace.Tracer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link PushConsumer}: a {@link ConsumerCore} feeding a {@link ConsumeService}. */
public final class PushConsumerImpl implements PushConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(PushConsumerImpl.class);

  private final Rpc rpc;
  private final RouteCache routes;
  private final ConsumerCore core;
  private final ConsumeService consume;
  private final Duration shutdownTimeout;
  private final Tracer tracer;
  private boolean closed;

  private PushConsumerImpl(
      Rpc rpc,
      ConsumerSettings settings,
      ConsumeService consume,
      Duration shutdownTimeout,
      Tracer tracer) {
    this.rpc = rpc;
    this.tracer = tracer;
    this.routes = new RouteCache(rpc);
    this.consume = consume;
    this.core = new ConsumerCore(rpc, routes, settings, consume);
    this.shutdownTimeout = shutdownTimeout;
    consume.bind(core);
  }

  /**
   * Starts a push consumer; the builder has validated every value.
   *
   * @param config client config
   * @param group consumer group
   * @param mode consume mode
   * @param subscriptions topic to tag expression
   * @param listener the listener
   * @param from start without committed offset
   * @param threads consume threads
   * @param orderly one message at a time per queue
   * @param batch messages per pull
   * @param longPoll long-poll wait
   * @param maxInFlight per queue
   * @param commitInterval commit period
   * @param backoff redelivery and pull-retry pause
   * @param shutdownTimeout close's wait for listeners
   * @param consumeTimeout how long a listener may run before it counts as failed
   * @param trace whether to write DELIVER and CONSUME_OK / CONSUME_FAIL trace events
   * @return the running consumer
   */
  public static PushConsumer start(
      ClientConfig config,
      String group,
      ConsumeMode mode,
      Map<String, String> subscriptions,
      MessageListener listener,
      ConsumeFrom from,
      int threads,
      boolean orderly,
      int batch,
      Duration longPoll,
      int maxInFlight,
      Duration commitInterval,
      Duration backoff,
      Duration shutdownTimeout,
      Duration consumeTimeout,
      boolean trace) {
    Rpc rpc = new Rpc(config, "push-" + group);
    Tracer tracer = trace ? Tracer.start(config, rpc.clientId(), group) : Tracer.off();
    ConsumerSettings settings =
        new ConsumerSettings(
            group,
            mode,
            subscriptions,
            from,
            batch,
            longPoll,
            maxInFlight,
            commitInterval,
            backoff,
            mode == ConsumeMode.CLUSTERING);
    ConsumeService consume =
        new ConsumeService(
            tracer.wrap(listener),
            orderly,
            mode == ConsumeMode.CLUSTERING,
            threads,
            backoff.toMillis(),
            consumeTimeout.toMillis(),
            rpc.scheduler());
    PushConsumerImpl c = new PushConsumerImpl(rpc, settings, consume, shutdownTimeout, tracer);
    c.core.start();
    return c;
  }

  @Override
  public String consumerGroup() {
    return core.settings().group();
  }

  @Override
  public Set<MessageQueue> assignedQueues() {
    // the group's retry queues are internal: list the subscribed topics' queues only
    String retry = core.settings().retryTopicName();
    return core.assigned().stream()
        .filter(q -> !q.topic().equals(retry))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    core.stopPulling();
    consume.pool().shutdown();
    try {
      if (!consume.pool().awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("listeners still running after {}; interrupting them", shutdownTimeout);
        consume.pool().shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      consume.pool().shutdownNow();
    }
    await(core.commitAll(), "final commit");
    await(core.unregister(), "unregister");
    tracer.close(); // after the listeners stopped: their last events are queued
    routes.close();
    rpc.close();
  }

  private void await(CompletableFuture<Void> f, String what) {
    try {
      f.get(rpc.config().requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("{} on close failed: {}", what, e.getMessage());
    }
  }
}
