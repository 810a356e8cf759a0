package io.edgemq.gateway.link;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.ConsumeFrom;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.MessageView;
import io.edgemq.client.api.PullConsumer;
import io.edgemq.gateway.link.BrokerLink.FeedListener;
import io.edgemq.gateway.session.QueueRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's feed of a topic: a {@link PullConsumer} that holds every queue of the topic (queues
 * chosen by the feed, not by the brokers) and one thread that polls it and calls the listener, so
 * each queue's messages reach the listener one at a time, in order.
 *
 * <p>Start: the queues that exist when the feed starts are read from their end. The feed seeks past
 * the end, and the broker's OFFSET_OVERFLOW answer moves it to the end, instead of relying on
 * {@link ConsumeFrom#LATEST}: LATEST applies only to a queue the group never committed, and a pull
 * consumer commits every position once a day, so after a restart LATEST could start at a stale
 * offset. Queues that appear later (a topic created after the feed started, queues added) are read
 * from their beginning: everything in them was stored after the start. The feed never commits and
 * never gives a queue up, so its group's offsets mean nothing.
 */
final class NodeFeed implements BrokerLink.Feed {
  private static final Logger LOG = LoggerFactory.getLogger(NodeFeed.class);
  private static final long POSITION_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long CLOSE_WAIT_MILLIS = 5_000;

  private final String topic;
  private final PullConsumer consumer;
  private final TopicAdmin topics;
  private final FeedListener listener;
  private final long discoveryNanos;
  private final Consumer<BrokerLink.Feed> onClose;
  private final Set<MessageQueue> known = new HashSet<>();
  private final Map<QueueRef, Long> positions = new ConcurrentHashMap<>();
  private final Thread thread;
  private boolean inListener;
  private volatile boolean closed;

  private NodeFeed(
      String topic,
      PullConsumer consumer,
      TopicAdmin topics,
      FeedListener listener,
      Duration discovery,
      Consumer<BrokerLink.Feed> onClose) {
    this.topic = topic;
    this.consumer = consumer;
    this.topics = topics;
    this.listener = listener;
    this.discoveryNanos = discovery.toNanos();
    this.onClose = onClose;
    this.thread = new Thread(this::run, "edgemq-gw-feed-" + topic);
    thread.setDaemon(true);
  }

  /**
   * Starts a feed once the start of each existing queue is fixed (or {@code startWait} passed: then
   * a queue whose broker did not answer starts at its end when it does).
   *
   * @param config the client config
   * @param group the consumer group
   * @param topic the broker topic
   * @param existing its queues on the brokers now
   * @param topics finds queues that appear later
   * @param listener the listener
   * @param discovery how often to look for new queues
   * @param startWait how long to wait for the start
   * @param fromStart read the existing queues from their first message instead of their end
   * @param onClose told once when the feed closes
   * @return the running feed
   * @throws ClientException when the queues cannot be assigned
   */
  static NodeFeed start(
      ClientConfig config,
      String group,
      String topic,
      List<MessageQueue> existing,
      TopicAdmin topics,
      FeedListener listener,
      Duration discovery,
      Duration startWait,
      boolean fromStart,
      Consumer<BrokerLink.Feed> onClose) {
    PullConsumer consumer =
        PullConsumer.builder()
            .clientConfig(config)
            .consumerGroup(group)
            .consumeFrom(ConsumeFrom.LATEST)
            .build();
    NodeFeed feed = new NodeFeed(topic, consumer, topics, listener, discovery, onClose);
    try {
      feed.hold(existing, fromStart ? 0 : Long.MAX_VALUE);
      feed.awaitStart(existing, startWait);
      for (MessageQueue q : existing) {
        OptionalLong p = consumer.position(q);
        if (p.isPresent() && p.getAsLong() != Long.MAX_VALUE) {
          feed.positions.putIfAbsent(Deliveries.queueRef(q), p.getAsLong());
        }
      }
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    feed.thread.start();
    return feed;
  }

  private void hold(List<MessageQueue> fresh, long startOffset) {
    if (fresh.isEmpty()) {
      return;
    }
    Set<MessageQueue> all = new HashSet<>(known);
    all.addAll(fresh);
    // assign names the whole set: a queue left out would be given up (and committed)
    consumer.assign(all);
    known.addAll(fresh);
    for (MessageQueue q : fresh) {
      consumer.seek(q, startOffset);
      if (startOffset != Long.MAX_VALUE) {
        positions.put(Deliveries.queueRef(q), startOffset);
      }
    }
  }

  // the client tells no one when a queue's start is known, so look until every position is real
  private void awaitStart(List<MessageQueue> queues, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    List<MessageQueue> waiting = new ArrayList<>(queues);
    while (true) {
      waiting.removeIf(this::positioned);
      if (waiting.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        LOG.warn(
            "feed of {}: no broker answer for {} yet; they start at their end when it comes",
            topic,
            waiting);
        return;
      }
      LockSupport.parkNanos(POSITION_CHECK_NANOS);
    }
  }

  private boolean positioned(MessageQueue q) {
    OptionalLong p = consumer.position(q);
    return p.isPresent() && p.getAsLong() != Long.MAX_VALUE;
  }

  private void run() {
    long nextDiscovery = System.nanoTime() + discoveryNanos;
    while (!closed) {
      long now = System.nanoTime();
      if (now - nextDiscovery >= 0) {
        discover();
        nextDiscovery = now + discoveryNanos;
      }
      List<MessageView> batch;
      try {
        batch = consumer.poll(Duration.ofNanos(Math.max(1, nextDiscovery - now)));
      } catch (IllegalStateException consumerClosed) {
        return;
      }
      for (MessageView m : batch) {
        if (!enterListener()) {
          return;
        }
        try {
          Deliveries.deliver(listener, m);
          positions.put(Deliveries.queueRef(m.queue()), m.queueOffset() + 1);
        } finally {
          leaveListener();
        }
      }
    }
  }

  private void discover() {
    try {
      if (known.containsAll(consumer.queues(topic))) {
        return;
      }
      // the route may be the nameserver's provisional one for a topic not created yet: only
      // queues the brokers really have are taken
      List<MessageQueue> fresh = new ArrayList<>(topics.existingQueues(topic));
      fresh.removeAll(known);
      if (!fresh.isEmpty()) {
        LOG.info("feed of {}: new queues {}, read from their beginning", topic, fresh);
        hold(fresh, 0);
      }
    } catch (ClientException e) {
      // no route yet (topic missing) or nameserver unreachable: look again next time
      LOG.debug("feed of {}: looking for new queues failed: {}", topic, e.getMessage());
    }
  }

  private synchronized boolean enterListener() {
    if (closed) {
      return false;
    }
    inListener = true;
    return true;
  }

  private synchronized void leaveListener() {
    inListener = false;
  }

  @Override
  public long position(QueueRef queue) {
    return positions.getOrDefault(queue, -1L);
  }

  @Override
  public Set<QueueRef> queues() {
    return Set.copyOf(positions.keySet());
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      // wakes a waiting poll; a running listener is not interrupted, it finishes first
      if (!inListener) {
        thread.interrupt();
      }
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join(CLOSE_WAIT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    consumer.close();
    onClose.accept(this);
  }
}
