package io.edgemq.broker.metrics;

import io.edgemq.broker.offset.OffsetEntry;
import io.edgemq.broker.offset.OffsetKey;
import io.edgemq.broker.offset.OffsetTable;
import io.edgemq.broker.send.SendObserver;
import io.edgemq.broker.topic.TopicTable;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.StoreStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of one broker, all tagged {@code broker=<name>}. Per-topic counters are made on a
 * topic's first send (those of pulls, retries and dead letters are in {@link DeliveryMetrics});
 * consumer lag is recomputed every {@link #LAG_REFRESH} on the broker's scheduler (from committed
 * offsets and queue ends, no disk reads), not at each scrape.
 */
public final class BrokerMetrics implements SendObserver {
  /** How often consumer lag is recomputed. */
  public static final Duration LAG_REFRESH = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(BrokerMetrics.class);

  private final MeterRegistry registry;
  private final Tags tags;
  private final MessageStore store;
  private final OffsetTable offsets;
  private final Map<String, Counter> messagesIn = new ConcurrentHashMap<>();
  private final Map<String, Counter> bytesIn = new ConcurrentHashMap<>();
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();
  private final Map<Map.Entry<String, String>, AtomicLong> lag = new ConcurrentHashMap<>();
  private final Timer send;
  private final Timer append;
  private final DeliveryMetrics delivery;

  private BrokerMetrics(
      MeterRegistry registry, String brokerName, MessageStore store, OffsetTable offsets) {
    this.registry = registry;
    this.tags = Tags.of("broker", brokerName);
    this.store = store;
    this.offsets = offsets;
    this.send = latency("edgemq.broker.send", "request received to store answer");
    this.append = latency("edgemq.store.append", "store append call to its answer (SYNC: flush)");
    this.delivery =
        new DeliveryMetrics(
            registry,
            tags,
            latency("edgemq.broker.pull", "store read to built answer of a pull with messages"));
  }

  /**
   * @return the meters of pulls, retries and dead letters, to give the pull and retry services
   */
  public DeliveryMetrics delivery() {
    return delivery;
  }

  /**
   * Registers the broker's meters.
   *
   * @param registry where
   * @param brokerName the broker group's name (tag {@code broker})
   * @param store its store
   * @param topics its topics
   * @param offsets its committed offsets
   * @param scheduler runs the lag refresh until the broker stops it
   * @return the send observer to give the send service
   */
  public static BrokerMetrics bind(
      MeterRegistry registry,
      String brokerName,
      MessageStore store,
      TopicTable topics,
      OffsetTable offsets,
      ScheduledExecutorService scheduler) {
    BrokerMetrics m = new BrokerMetrics(registry, brokerName, store, offsets);
    m.bindStore(topics);
    long every = LAG_REFRESH.toMillis();
    scheduler.scheduleWithFixedDelay(m::refreshLag, 0, every, TimeUnit.MILLISECONDS);
    return m;
  }

  private Timer latency(String name, String what) {
    return Timer.builder(name)
        .description(what)
        .tags(tags)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  private void bindStore(TopicTable topics) {
    Gauge.builder("edgemq.broker.topics", topics, t -> t.all().size())
        .description("topics of this broker")
        .tags(tags)
        .register(registry);
    gauge(
        "edgemq.store.commitlog.written", "bytes", "CommitLog end offset", s -> s.writtenOffset());
    gauge(
        "edgemq.store.flush.lag",
        "bytes",
        "CommitLog bytes written but not yet forced to disk",
        s -> s.writtenOffset() - s.flushedOffset());
    gauge(
        "edgemq.store.dispatch.lag",
        "bytes",
        "CommitLog bytes not yet in consume queues and index",
        s -> s.writtenOffset() - s.dispatchedOffset());
    FunctionTimer.builder(
            "edgemq.store.flush",
            store,
            s -> s.stats().flushCount(),
            s -> s.stats().flushNanos(),
            TimeUnit.NANOSECONDS)
        .description("CommitLog forces (fsync) and their total time")
        .tags(tags)
        .register(registry);
    gauge("edgemq.store.segments", null, "CommitLog segment files", StoreStats::segmentCount);
    gauge("edgemq.store.disk.full", null, "1 while appends are refused", s -> s.diskFull() ? 1 : 0);
    Gauge.builder("edgemq.store.disk.used.ratio", this, BrokerMetrics::diskUsedRatio)
        .description("used share of the store's file system")
        .tags(tags)
        .register(registry);
  }

  private void gauge(
      String name, String unit, String what, java.util.function.ToDoubleFunction<StoreStats> f) {
    Gauge.builder(name, store, s -> f.applyAsDouble(s.stats()))
        .description(what)
        .baseUnit(unit)
        .tags(tags)
        .register(registry);
  }

  private double diskUsedRatio() {
    try {
      FileStore fs = Files.getFileStore(store.config().storePath());
      double total = fs.getTotalSpace();
      return total <= 0 ? 0 : (total - fs.getUsableSpace()) / total;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  @Override
  public void appended(
      String topic,
      int messages,
      long bodyBytes,
      long sendNanos,
      long appendNanos,
      boolean written) {
    send.record(sendNanos, TimeUnit.NANOSECONDS);
    append.record(appendNanos, TimeUnit.NANOSECONDS);
    if (written) {
      counter(messagesIn, "edgemq.broker.messages.in", null, topic, "messages the store took")
          .increment(messages);
      counter(bytesIn, "edgemq.broker.message.body", "bytes", topic, "body bytes the store took")
          .increment(bodyBytes);
    } else {
      counter(refused, "edgemq.broker.messages.refused", null, topic, "messages the store refused")
          .increment(messages);
    }
  }

  private Counter counter(
      Map<String, Counter> byTopic, String name, String unit, String topic, String what) {
    Counter c = byTopic.get(topic);
    if (c != null) {
      return c; // the usual case: no capturing lambda allocated per send
    }
    return byTopic.computeIfAbsent(
        topic,
        t ->
            Counter.builder(name)
                .description(what)
                .baseUnit(unit)
                .tags(tags)
                .tag("topic", t)
                .register(registry));
  }

  /** Lag of each group on each topic: queue ends minus committed offsets, summed over queues. */
  void refreshLag() {
    try {
      Map<Map.Entry<String, String>, Long> now = new HashMap<>();
      for (String group : offsets.groups()) {
        for (Map.Entry<OffsetKey, OffsetEntry> e : offsets.ofGroup(group)) {
          OffsetKey k = e.getKey();
          long behind = store.maxQueueOffset(k.topic(), k.queueId()) - e.getValue().offset();
          now.merge(Map.entry(group, k.topic()), Math.max(0, behind), Long::sum);
        }
      }
      now.forEach((key, value) -> lagHolder(key).set(value));
      // a group or topic deleted since: its lag reads 0 rather than a stale figure
      lag.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> lag.get(k).set(0));
    } catch (RuntimeException e) {
      LOG.warn("consumer lag refresh failed; next try in {}", LAG_REFRESH, e);
    }
  }

  private AtomicLong lagHolder(Map.Entry<String, String> groupTopic) {
    return lag.computeIfAbsent(
        groupTopic,
        k -> {
          AtomicLong v = new AtomicLong();
          Gauge.builder("edgemq.broker.consumer.lag", v, AtomicLong::get)
              .description("messages not yet consumed by the group, over the topic's queues")
              .baseUnit("messages")
              .tags(tags)
              .tag("group", k.getKey())
              .tag("topic", k.getValue())
              .register(registry);
          return v;
        });
  }
}
