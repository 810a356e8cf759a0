package io.edgemq.gateway.metrics;

import io.edgemq.gateway.link.BrokerLink;
import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.mapping.Route;
import io.edgemq.gateway.session.QueueRef;
import io.edgemq.gateway.session.SessionStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A broker link that times each send from the gateway's call to the broker's answer. */
final class MeteredBrokerLink implements BrokerLink {
  private final BrokerLink link;
  private final Timer stored;
  private final Timer failed;

  MeteredBrokerLink(BrokerLink link, MeterRegistry registry, Tags tags) {
    this.link = link;
    this.stored = timer(registry, tags, "stored");
    this.failed = timer(registry, tags, "failed");
  }

  private static Timer timer(MeterRegistry registry, Tags tags, String outcome) {
    return Timer.builder("edgemq.gateway.publish.broker")
        .description("device PUBLISH handed to the broker until the broker's answer")
        .tags(tags)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  @Override
  public CompletableFuture<String> send(Route route, MqttEnvelope message, String messageGroup) {
    long start = System.nanoTime();
    CompletableFuture<String> answer = link.send(route, message, messageGroup);
    answer.whenComplete(
        (id, e) ->
            (e == null ? stored : failed).record(Duration.ofNanos(System.nanoTime() - start)));
    return answer;
  }

  @Override
  public Feed feed(String brokerTopic, FeedListener listener) {
    return link.feed(brokerTopic, listener);
  }

  @Override
  public Feed sharedFeed(String brokerTopic, String shareGroup, FeedListener listener) {
    return link.sharedFeed(brokerTopic, shareGroup, listener);
  }

  @Override
  public Feed feedFromStart(String brokerTopic, FeedListener listener) {
    return link.feedFromStart(brokerTopic, listener);
  }

  @Override
  public Map<QueueRef, Long> endOffsets(String brokerTopic) {
    return link.endOffsets(brokerTopic);
  }

  @Override
  public Set<String> topics() {
    return link.topics();
  }

  @Override
  public CompletableFuture<Void> sendRecord(String brokerTopic, String key, byte[] body) {
    return link.sendRecord(brokerTopic, key, body);
  }

  @Override
  public QueueReader reader(Map<QueueRef, Long> from) {
    return link.reader(from);
  }

  @Override
  public SessionStore sessionStore() {
    return link.sessionStore();
  }

  @Override
  public void close() {
    link.close();
  }
}
