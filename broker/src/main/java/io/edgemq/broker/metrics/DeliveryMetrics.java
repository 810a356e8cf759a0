package io.edgemq.broker.metrics;

import io.edgemq.broker.pull.PullObserver;
import io.edgemq.broker.retry.RetryObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The outgoing side of a broker: messages and bytes delivered by pulls per topic and group, pull
 * read latency, retries and dead letters per group. Meters are made on first use and then found by
 * two lock-free map reads (topic, then group), so a pull allocates nothing here after the first.
 */
public final class DeliveryMetrics implements PullObserver, RetryObserver {
  private final MeterRegistry registry;
  private final Tags tags;
  private final Timer pull;
  private final Map<String, Map<String, Out>> out = new ConcurrentHashMap<>();
  private final Map<String, Counter> retries = new ConcurrentHashMap<>();
  private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();

  /** The two counters of one topic and group. */
  private record Out(Counter messages, Counter bytes) {}

  DeliveryMetrics(MeterRegistry registry, Tags tags, Timer pull) {
    this.registry = registry;
    this.tags = tags;
    this.pull = pull;
  }

  @Override
  public void delivered(String group, String topic, int messages, long bodyBytes, long readNanos) {
    pull.record(readNanos, TimeUnit.NANOSECONDS);
    Map<String, Out> byGroup = out.get(topic);
    if (byGroup == null) {
      byGroup = out.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
    }
    Out o = byGroup.get(group);
    if (o == null) {
      o = byGroup.computeIfAbsent(group, g -> outCounters(topic, g));
    }
    o.messages().increment(messages);
    o.bytes().increment(bodyBytes);
  }

  private Out outCounters(String topic, String group) {
    Tags t = tags.and("topic", topic, "group", group);
    return new Out(
        Counter.builder("edgemq.broker.messages.out")
            .description("messages delivered by pulls")
            .tags(t)
            .register(registry),
        Counter.builder("edgemq.broker.message.body.out")
            .description("body bytes delivered by pulls")
            .baseUnit("bytes")
            .tags(t)
            .register(registry));
  }

  @Override
  public void retried(String group) {
    groupCounter(retries, "edgemq.broker.retries", "failed messages scheduled for a retry", group)
        .increment();
  }

  @Override
  public void deadLettered(String group) {
    groupCounter(deadLetters, "edgemq.broker.dead.letters", "messages sent to %DLQ%{group}", group)
        .increment();
  }

  private Counter groupCounter(Map<String, Counter> byGroup, String name, String what, String g) {
    Counter c = byGroup.get(g);
    return c != null
        ? c
        : byGroup.computeIfAbsent(
            g,
            k ->
                Counter.builder(name)
                    .description(what)
                    .tags(tags)
                    .tag("group", k)
                    .register(registry));
  }
}
