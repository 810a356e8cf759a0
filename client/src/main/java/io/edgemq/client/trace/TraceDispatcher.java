package io.edgemq.client.trace;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.Message;
import io.edgemq.client.producer.ProducerImpl;
import io.edgemq.client.rpc.Threads;
import io.edgemq.protocol.v1.TraceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends trace events to the trace topic without ever holding up the traced work: {@link #offer}
 * only puts the event in a bounded queue (or drops and counts it when the queue is full), and one
 * thread sends what is queued as batches, one batch in flight at a time. A failed batch is counted
 * and not retried beyond the sender's own retries: a trace is a diagnostic.
 */
public final class TraceDispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TraceDispatcher.class);

  /** Events queued before new ones are dropped. */
  public static final int DEFAULT_CAPACITY = 10_000;

  /** Events per SendBatch. */
  public static final int DEFAULT_BATCH = 128;

  private final BlockingQueue<TraceEvent> queue;
  private final int maxBatch;
  private final Function<List<Message>, CompletableFuture<?>> sender;
  private final Duration sendTimeout;
  private final AutoCloseable resources;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param capacity events queued before new ones are dropped
   * @param maxBatch events per batch
   * @param sender sends one batch of trace-topic messages; its future completes when answered
   * @param sendTimeout how long the thread waits for one batch's answer
   * @param resources closed by {@link #close()} after the last batch
   */
  public TraceDispatcher(
      int capacity,
      int maxBatch,
      Function<List<Message>, CompletableFuture<?>> sender,
      Duration sendTimeout,
      AutoCloseable resources) {
    if (capacity < 1 || maxBatch < 1 || maxBatch > 1024) {
      throw new IllegalArgumentException(
          "trace capacity " + capacity + " must be >= 1 and batch " + maxBatch + " 1-1024");
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.maxBatch = maxBatch;
    this.sender = sender;
    this.sendTimeout = sendTimeout;
    this.resources = resources;
    this.thread = Threads.daemon("edgemq-trace").newThread(this::run);
    thread.start();
  }

  /**
   * A dispatcher sending with its own untraced producer.
   *
   * @param config the traced client's config (nameservers, timeouts)
   * @return the running dispatcher
   */
  public static TraceDispatcher start(ClientConfig config) {
    ProducerImpl producer =
        (ProducerImpl) ProducerImpl.start(config, "", 1, List.of(TraceMessages.TOPIC));
    return new TraceDispatcher(
        DEFAULT_CAPACITY,
        DEFAULT_BATCH,
        producer::sendBatchAsync,
        config.requestTimeout().multipliedBy(2),
        producer);
  }

  /**
   * Queues an event; never blocks.
   *
   * @param event the event
   * @return false when it was dropped (queue full or dispatcher closed)
   */
  public boolean offer(TraceEvent event) {
    if (!closed && queue.offer(event)) {
      return true;
    }
    if (dropped.getAndIncrement() == 0) {
      LOG.warn("trace queue full or closed: dropping trace events (counted in dropped())");
    }
    return false;
  }

  private void run() {
    List<TraceEvent> batch = new ArrayList<>(maxBatch);
    while (!closed || !queue.isEmpty()) {
      try {
        TraceEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        send(batch);
      } catch (InterruptedException e) {
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void send(List<TraceEvent> batch) throws InterruptedException {
    List<Message> messages = new ArrayList<>(batch.size());
    for (TraceEvent e : batch) {
      messages.add(TraceMessages.toMessage(e));
    }
    try {
      sender.apply(messages).get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
      sent.addAndGet(batch.size());
    } catch (InterruptedException e) {
      failed.addAndGet(batch.size());
      throw e;
    } catch (Exception e) {
      if (failed.getAndAdd(batch.size()) == 0) {
        LOG.warn("sending {} trace events failed: {}", batch.size(), e.toString());
      }
    }
  }

  /**
   * @return events dropped because the queue was full (or the dispatcher closed)
   */
  public long dropped() {
    return dropped.get();
  }

  /**
   * @return events the trace topic accepted
   */
  public long sent() {
    return sent.get();
  }

  /**
   * @return events whose batch failed
   */
  public long failed() {
    return failed.get();
  }

  /** Sends what is queued (waiting up to about one send timeout), then closes the sender. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      thread.join(sendTimeout.toMillis() + 500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
    try {
      resources.close();
    } catch (Exception e) {
      LOG.warn("closing the trace sender failed: {}", e.toString());
    }
  }
}
