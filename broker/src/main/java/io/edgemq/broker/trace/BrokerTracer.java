package io.edgemq.broker.trace;

import io.edgemq.broker.common.SystemTopics;
import io.edgemq.broker.common.Threads;
import io.edgemq.protocol.v1.TraceEvent;
import io.edgemq.protocol.v1.TraceKind;
import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.BatchAppendResult;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.StoredMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the broker's trace events (STORE, RETRY, DEAD_LETTER) of traced messages to {@link
 * Traces#TOPIC}. Callers only build the event and offer it to a bounded queue, so the send and
 * SendBack paths never wait for a trace write; one thread appends the queued events in batches.
 * When the queue is full the event is dropped and counted: a trace is a diagnostic, it must not
 * hold back or fail the messages it describes.
 */
public final class BrokerTracer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerTracer.class);
  private static final int BATCH = 256;
  private static final BrokerTracer OFF = new BrokerTracer();

  private final String brokerName;
  private final String host;
  private final MessageStore store;
  private final Clock clock;
  private final BlockingQueue<TraceEvent> queue;
  private final Thread writer;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean closed;

  private BrokerTracer() {
    this.brokerName = "";
    this.host = "";
    this.store = null;
    this.clock = null;
    this.queue = null;
    this.writer = null;
    this.closed = true;
  }

  private BrokerTracer(
      String brokerName, String host, MessageStore store, Clock clock, int capacity) {
    this.brokerName = brokerName;
    this.host = host;
    this.store = store;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = Threads.daemon("broker-trace").newThread(this::run);
  }

  /**
   * A tracer that writes nothing (a replica, or a service built without tracing).
   *
   * @return the shared disabled tracer
   */
  public static BrokerTracer off() {
    return OFF;
  }

  /**
   * Starts the writer thread. The caller creates {@link Traces#TOPIC} on masters.
   *
   * @param brokerName this broker group's name, put in every event
   * @param host this broker's advertised host, put in every event
   * @param store where the events are appended
   * @param clock the broker's clock (event times)
   * @param capacity events queued before new ones are dropped
   * @return the running tracer
   */
  public static BrokerTracer start(
      String brokerName, String host, MessageStore store, Clock clock, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("trace queue capacity " + capacity + " must be >= 1");
    }
    BrokerTracer t = new BrokerTracer(brokerName, host, store, clock, capacity);
    t.writer.start();
    return t;
  }

  /**
   * Records the STORE event of a message just appended by a send, if it is traced.
   *
   * @param m the appended message (in {@code %TIMER%} when scheduled)
   * @param r the append's result
   * @param producerGroup the sender's producer group
   * @param clientId the sender's client id
   * @param costMs how long the append took
   */
  public void stored(
      Message m, AppendResult r, String producerGroup, String clientId, long costMs) {
    if (closed || !Traces.isTraced(m.properties())) {
      return;
    }
    String real = m.properties().get(SystemTopics.REAL_TOPIC);
    TraceEvent.Builder e =
        base(TraceKind.TRACE_KIND_STORE, idOf(m, r), real != null ? real : m.topic())
            .setTag(m.tags())
            .addAllKeys(m.keys())
            .setTimestampMs(r.storeTimestamp() > 0 ? r.storeTimestamp() : clock.millis())
            .setClientId(clientId)
            .setGroup(producerGroup)
            .setQueueId(m.queueId())
            .setQueueOffset(r.queueOffset())
            .setCostMs(costMs)
            .setStatus(Traces.cut(r.status() + (r.reason().isEmpty() ? "" : " " + r.reason())));
    if (real != null) {
      e.setTargetTopic(m.topic()); // scheduled: it waits in %TIMER% until due
    }
    offer(e.build());
  }

  /**
   * Records a RETRY event of a traced message given back by a consumer.
   *
   * @param s the failed message as stored
   * @param group the consumer group
   * @param clientId the consumer that gave it back
   * @param reason its reason
   * @param reconsumeTimes the count the next delivery carries
   * @param delayMs the back-off before that delivery
   * @param retryTopic the retry topic, or "" for a FIFO retry in place
   */
  public void retried(
      StoredMessage s,
      String group,
      String clientId,
      String reason,
      int reconsumeTimes,
      long delayMs,
      String retryTopic) {
    if (closed || !Traces.isTraced(s.properties())) {
      return;
    }
    offer(
        failure(TraceKind.TRACE_KIND_RETRY, s, group, clientId, reason, reconsumeTimes)
            .setQueueId(retryTopic.isEmpty() ? s.queueId() : 0)
            .setQueueOffset(-1)
            .setCostMs(delayMs)
            .setTargetTopic(retryTopic)
            .build());
  }

  /**
   * Records the DEAD_LETTER event of a traced message moved to its group's dead-letter topic.
   *
   * @param s the failed message as stored
   * @param group the consumer group
   * @param clientId the consumer that gave it back last
   * @param reason its last reason
   * @param reconsumeTimes the failed delivery's reconsume count
   * @param dlq the dead-letter topic
   * @param r the result of appending the dead-letter copy
   */
  public void deadLettered(
      StoredMessage s,
      String group,
      String clientId,
      String reason,
      int reconsumeTimes,
      String dlq,
      AppendResult r) {
    if (closed || !Traces.isTraced(s.properties())) {
      return;
    }
    offer(
        failure(TraceKind.TRACE_KIND_DEAD_LETTER, s, group, clientId, reason, reconsumeTimes)
            .setQueueId(0)
            .setQueueOffset(r.queueOffset())
            .setTargetTopic(dlq)
            .build());
  }

  private static String idOf(Message m, AppendResult r) {
    if (r.messageId() != null) {
      return r.messageId().toString();
    }
    return m.messageId() != null ? m.messageId().toString() : "";
  }

  private TraceEvent.Builder failure(
      TraceKind kind,
      StoredMessage s,
      String group,
      String clientId,
      String reason,
      int reconsumeTimes) {
    String original = s.properties().getOrDefault(SystemTopics.ORIGINAL_TOPIC, s.topic());
    return base(kind, s.messageId().toString(), original)
        .setTag(s.tags())
        .addAllKeys(s.keys())
        .setTimestampMs(clock.millis())
        .setClientId(clientId)
        .setGroup(group)
        .setStatus(Traces.cut(reason))
        .setReconsumeTimes(reconsumeTimes);
  }

  private TraceEvent.Builder base(TraceKind kind, String messageId, String topic) {
    return TraceEvent.newBuilder()
        .setKind(kind)
        .setMessageId(messageId)
        .setTopic(topic)
        .setHost(host)
        .setBrokerName(brokerName);
  }

  private void offer(TraceEvent e) {
    if (!queue.offer(e) && dropped.getAndIncrement() == 0) {
      LOG.warn("trace queue full ({} events): dropping trace events", queue.size());
    }
  }

  private void run() {
    List<TraceEvent> batch = new ArrayList<>(BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        TraceEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<TraceEvent> events) {
    long now = clock.millis();
    List<Message> messages = new ArrayList<>(events.size());
    for (TraceEvent e : events) {
      messages.add(Traces.toStore(e, now));
    }
    try {
      // one batch in flight: under SYNC flush this waits for its force, which paces the writer
      BatchAppendResult r = store.appendBatch(messages).get(30, TimeUnit.SECONDS);
      if (r.isOk()) {
        written.addAndGet(events.size());
        return;
      }
      countFailure(events.size(), r.status() + " " + r.reason());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      countFailure(events.size(), "interrupted");
    } catch (Exception e) {
      countFailure(events.size(), e.toString());
    }
  }

  private void countFailure(int n, String why) {
    if (failed.getAndAdd(n) == 0) {
      LOG.warn("writing {} trace events failed: {}", n, why);
    }
  }

  /**
   * @return events dropped because the queue was full
   */
  public long dropped() {
    return dropped.get();
  }

  /**
   * @return events appended to the trace topic
   */
  public long written() {
    return written.get();
  }

  /**
   * @return events whose append failed
   */
  public long failed() {
    return failed.get();
  }

  /** Writes what is queued (up to 5 s), then stops the writer; call before closing the store. */
  @Override
  public void close() {
    if (writer == null || closed) {
      return;
    }
    closed = true;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      writer.interrupt();
    }
  }
}
