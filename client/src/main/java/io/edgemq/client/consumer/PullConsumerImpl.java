package io.edgemq.client.consumer;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeMode;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.PullConsumer;
import io.edgemq.client.route.RouteCache;
import io.edgemq.client.route.TopicRouteView;
import io.edgemq.client.rpc.Calls;
import io.edgemq.client.rpc.Endpoint;
import io.edgemq.client.rpc.Rpc;
import io.edgemq.client.trace.Tracer;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.QueryOffsetRequest;
import io.edgemq.protocol.v1.QueryOffsetResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** The {@link PullConsumer}: a {@link ConsumerCore} feeding a {@link PollBuffer}. */
public final class PullConsumerImpl implements PullConsumer {
  private final Rpc rpc;
  private final RouteCache routes;
  private final ConsumerCore core;
  private final PollBuffer buffer;
  private final int maxPollMessages;
  private final Tracer tracer;
  private volatile boolean closed;

  private PullConsumerImpl(Rpc rpc, ConsumerSettings settings, int maxPollMessages, boolean trace) {
    this.rpc = rpc;
    this.tracer =
        trace ? Tracer.start(rpc.config(), rpc.clientId(), settings.group()) : Tracer.off();
    this.routes = new RouteCache(rpc);
    this.buffer = new PollBuffer();
    this.core = new ConsumerCore(rpc, routes, settings, buffer);
    this.maxPollMessages = maxPollMessages;
    buffer.bind(core);
  }

  /**
   * Starts a pull consumer; the builder has validated every value.
   *
   * @param config client config
   * @param group consumer group
   * @param mode consume mode (with subscriptions)
   * @param subscriptions topic to tag expression; empty: the application assigns queues
   * @param from start without committed offset
   * @param batch messages per pull
   * @param longPoll long-poll wait
   * @param maxBuffered per queue
   * @param maxPollMessages per poll
   * @return the running consumer
   */
  public static PullConsumer start(
      ClientConfig config,
      String group,
      ConsumeMode mode,
      Map<String, String> subscriptions,
      ConsumeFrom from,
      int batch,
      Duration longPoll,
      int maxBuffered,
      int maxPollMessages) {
    return start(
        config,
        group,
        mode,
        subscriptions,
        from,
        batch,
        longPoll,
        maxBuffered,
        maxPollMessages,
        false);
  }

  /**
   * Starts a pull consumer that may trace what {@code poll} hands out.
   *
   * @param config client config
   * @param group consumer group
   * @param mode consume mode (with subscriptions)
   * @param subscriptions topic to tag expression; empty: the application assigns queues
   * @param from start without committed offset
   * @param batch messages per pull
   * @param longPoll long-poll wait
   * @param maxBuffered per queue
   * @param maxPollMessages per poll
   * @param trace whether to write a DELIVER trace event per polled message
   * @return the running consumer
   */
  public static PullConsumer start(
      ClientConfig config,
      String group,
      ConsumeMode mode,
      Map<String, String> subscriptions,
      ConsumeFrom from,
      int batch,
      Duration longPoll,
      int maxBuffered,
      int maxPollMessages,
      boolean trace) {
    ConsumerSettings settings =
        new ConsumerSettings(
            group,
            mode,
            subscriptions,
            from,
            batch,
            longPoll,
            maxBuffered,
            Duration.ofDays(1),
            Duration.ofSeconds(1));
    PullConsumerImpl c =
        new PullConsumerImpl(new Rpc(config, "pull-" + group), settings, maxPollMessages, trace);
    c.core.start();
    return c;
  }

  @Override
  public List<MessageQueue> queues(String topic) {
    return Calls.join(routes.route(topic)).readableQueues();
  }

  @Override
  public void assign(Collection<MessageQueue> queues) {
    if (!core.settings().subscriptions().isEmpty()) {
      throw new IllegalStateException("this consumer subscribes; the brokers assign its queues");
    }
    Map<MessageQueue, Endpoint> wanted = new HashMap<>();
    Map<String, TopicRouteView> byTopic = new HashMap<>();
    for (MessageQueue q : queues) {
      TopicRouteView route = byTopic.computeIfAbsent(q.topic(), t -> Calls.join(routes.route(t)));
      Endpoint ep =
          route
              .broker(q.brokerName())
              .orElseThrow(
                  () ->
                      new ClientException(
                          Code.QUEUE_NOT_FOUND_VALUE, q + " is not in the route " + route))
              .endpoint();
      wanted.put(q, ep);
    }
    core.assign(wanted);
  }

  @Override
  public Set<MessageQueue> assignment() {
    return core.assigned();
  }

  @Override
  public void seek(MessageQueue queue, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, was " + offset);
    }
    core.seek(queue, offset);
  }

  @Override
  public OptionalLong position(MessageQueue queue) {
    QueueState s = held(queue);
    return s.started ? OptionalLong.of(s.tracker.committable()) : OptionalLong.empty();
  }

  @Override
  public List<MessageView> poll(Duration timeout) {
    if (closed) {
      throw new IllegalStateException("consumer closed");
    }
    try {
      List<MessageView> polled = buffer.poll(PollBuffer.nanos(timeout), maxPollMessages);
      tracer.polled(polled);
      return polled;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  @Override
  public void commit() {
    Calls.join(core.commitAll());
  }

  @Override
  public void commit(MessageQueue queue, long offset) {
    QueueState s = core.state(queue);
    Endpoint ep = s != null ? s.endpoint : endpoint(queue);
    Calls.join(core.commitOffset(queue, ep, offset, s != null ? s.epoch : 0));
    if (s != null) {
      s.lastCommitted = offset;
    }
  }

  @Override
  public OptionalLong committed(MessageQueue queue) {
    QueueState s = core.state(queue);
    Endpoint ep = s != null ? s.endpoint : endpoint(queue);
    QueryOffsetRequest req =
        QueryOffsetRequest.newBuilder()
            .setConsumerGroup(core.settings().group())
            .setClientId(rpc.clientId())
            .setTopic(queue.topic())
            .setQueueId(queue.queueId())
            .build();
    QueryOffsetResponse r =
        Calls.join(Calls.<QueryOffsetResponse>unary(o -> rpc.broker(ep).queryOffset(req, o)));
    if (r.getStatus().getCode() == Code.OFFSET_NOT_FOUND) {
      return OptionalLong.empty();
    }
    Calls.check(r.getStatus(), "query offset of " + queue);
    return OptionalLong.of(r.getOffset());
  }

  private Endpoint endpoint(MessageQueue queue) {
    return Calls.join(routes.route(queue.topic()))
        .broker(queue.brokerName())
        .orElseThrow(
            () -> new ClientException(Code.QUEUE_NOT_FOUND_VALUE, queue + " is not in the route"))
        .endpoint();
  }

  private QueueState held(MessageQueue queue) {
    QueueState s = core.state(queue);
    if (s == null) {
      throw new IllegalStateException(queue + " is not assigned to this consumer");
    }
    return s;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    core.stopPulling();
    try {
      core.unregister()
          .get(
              rpc.config().requestTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // leaving is best effort: the brokers drop a silent member after their timeout
    }
    tracer.close();
    routes.close();
    rpc.close();
  }
}
