package io.edgemq.gateway.link;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.ConsumeMode;
import io.edgemq.client.api.ConsumeResult;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.PullConsumer;
import io.edgemq.client.api.PushConsumer;
import io.edgemq.gateway.link.BrokerLink.FeedListener;
import io.edgemq.gateway.session.QueueRef;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's membership in a feed shared by all nodes: a clustering {@link PushConsumer} of the
 * share group, orderly (one message at a time per queue, in order), whose listener always answers
 * SUCCESS after the feed's listener returned (at least once; a failing listener must not block its
 * queue for ever).
 *
 * <p>Start: a push consumer starts a queue its group never committed at the queue's end only when
 * it gets the queue, which may be after messages arrived, and after another member took it over. So
 * before joining, the feed commits the current end of every existing queue the group never
 * committed; then all members agree on the start. A queue without a commit after that appeared
 * later, so the consumer reads such queues from their beginning. If the ends could not all be
 * committed (a broker did not answer), it falls back to reading uncommitted queues from their end.
 */
final class SharedFeed implements BrokerLink.Feed {
  private static final Logger LOG = LoggerFactory.getLogger(SharedFeed.class);
  private static final long POSITION_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  private final PushConsumer consumer;
  private final Consumer<BrokerLink.Feed> onClose;
  private boolean closed;

  private SharedFeed(PushConsumer consumer, Consumer<BrokerLink.Feed> onClose) {
    this.consumer = consumer;
    this.onClose = onClose;
  }

  /**
   * Fixes the group's start and joins it.
   *
   * @param config the client config
   * @param group the share group's consumer group
   * @param topic the broker topic
   * @param existing its queues on the brokers now
   * @param listener the listener
   * @param threads listener threads
   * @param startWait how long to wait for the brokers when fixing the start
   * @param onClose told once when the feed closes
   * @return the running feed
   */
  static SharedFeed start(
      ClientConfig config,
      String group,
      String topic,
      List<MessageQueue> existing,
      FeedListener listener,
      int threads,
      Duration startWait,
      Consumer<BrokerLink.Feed> onClose) {
    boolean fixed = fixStart(config, group, existing, startWait);
    PushConsumer consumer =
        PushConsumer.builder()
            .clientConfig(config)
            .consumerGroup(group)
            .subscribe(topic, "*")
            .consumeMode(ConsumeMode.CLUSTERING)
            .consumeFrom(fixed ? ConsumeFrom.EARLIEST : ConsumeFrom.LATEST)
            .orderly(true)
            .consumeThreads(threads)
            .shutdownTimeout(SHUTDOWN_TIMEOUT)
            .listener(
                m -> {
                  Deliveries.deliver(listener, m);
                  return ConsumeResult.SUCCESS;
                })
            .build();
    return new SharedFeed(consumer, onClose);
  }

  /**
   * Commits the end of every queue the group never committed.
   *
   * @return whether every queue now has a committed offset
   */
  private static boolean fixStart(
      ClientConfig config, String group, List<MessageQueue> existing, Duration wait) {
    if (existing.isEmpty()) {
      return true;
    }
    // a consumer without subscriptions: it joins no group, so it disturbs no member
    try (PullConsumer pc =
        PullConsumer.builder()
            .clientConfig(config)
            .consumerGroup(group)
            .consumeFrom(ConsumeFrom.LATEST)
            .build()) {
      pc.assign(existing);
      awaitPositions(pc, existing, wait);
      boolean all = true;
      for (MessageQueue q : existing) {
        OptionalLong end = pc.position(q);
        if (pc.committed(q).isPresent()) {
          continue;
        }
        if (end.isEmpty()) {
          all = false;
          continue;
        }
        pc.commit(q, end.getAsLong());
      }
      if (!all) {
        LOG.warn(
            "group {}: brokers did not answer for every queue; new queues start at end", group);
      }
      return all;
    } catch (ClientException e) {
      LOG.warn(
          "group {}: fixing the start failed: {}; new queues start at end", group, e.getMessage());
      return false;
    }
  }

  // the client tells no one when a queue's start is known, so look until it is
  private static void awaitPositions(PullConsumer pc, List<MessageQueue> queues, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (queues.stream().allMatch(q -> pc.position(q).isPresent())) {
        return;
      }
      LockSupport.parkNanos(POSITION_CHECK_NANOS);
    }
  }

  /**
   * @return the queues the brokers gave this member at the moment
   */
  Set<MessageQueue> assignedQueues() {
    return consumer.assignedQueues();
  }

  // a share group's position is kept by the brokers (the group's offsets), not by sessions
  @Override
  public long position(QueueRef queue) {
    return -1;
  }

  @Override
  public Set<QueueRef> queues() {
    return Set.of();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    consumer.close();
    onClose.accept(this);
  }
}
