package io.edgemq.gateway.link;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientConfig;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.Message;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.Producer;
import io.edgemq.client.api.PullConsumer;
import io.edgemq.client.api.SendResult;
import io.edgemq.gateway.mapping.Route;
import io.edgemq.gateway.session.QueueRef;
import io.edgemq.gateway.session.SessionStore;
import io.edgemq.protocol.v1.Code;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * The {@link BrokerLink} over the project's Java client: one {@link Producer} (group {@value
 * #PRODUCER_GROUP}) for every send (a second, untraced one for session and will records when device
 * messages are traced), one pull consumer per {@link #feed} and one clustering push consumer per
 * {@link #sharedFeed}, and an {@link Admin} to see which queues exist (and create topics, if asked
 * to). See docs/gateway-mqtt-link.md.
 *
 * <p>Threads: send futures complete on the client's gRPC callback threads; a feed's listener runs
 * on the feed's own thread {@code edgemq-gw-feed-{topic}}, a shared feed's on the push consumer's
 * threads {@code edgemq-consume-N}. Never on a Netty event loop.
 *
 * <pre>{@code
 * BrokerLink link = ClientBrokerLink.builder().clientConfig(config).nodeId("gw-1").build();
 * }</pre>
 */
public final class ClientBrokerLink implements BrokerLink {
  /** The producer group of every gateway send. */
  public static final String PRODUCER_GROUP = "gateway-mqtt";

  /** The broker topic persistent sessions are kept in unless configured otherwise. */
  public static final String DEFAULT_SESSION_TOPIC = "mqtt-sessions";

  private final ClientConfig clientConfig;
  private final String nodeId;
  private final Duration discoveryInterval;
  private final int sharedThreads;
  private final Producer producer;
  // session and will records: not device messages, so never traced
  private final Producer recordProducer;
  private final Admin admin;
  private final ExecutorService worker;
  private final TopicAdmin topics;
  private final SessionStore sessionStore;
  private final Set<Feed> feeds = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private ClientBrokerLink(Builder b) {
    this.clientConfig = b.clientConfig;
    this.nodeId = b.nodeId;
    this.discoveryInterval = b.discoveryInterval;
    this.sharedThreads = b.sharedConsumeThreads;
    this.producer =
        Producer.builder()
            .clientConfig(clientConfig)
            .producerGroup(PRODUCER_GROUP)
            .trace(b.trace)
            .build();
    this.recordProducer =
        b.trace
            ? Producer.builder().clientConfig(clientConfig).producerGroup(PRODUCER_GROUP).build()
            : producer;
    this.admin = Admin.builder().clientConfig(clientConfig).build();
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "edgemq-gw-link-" + nodeId);
              t.setDaemon(true);
              return t;
            });
    this.topics = new TopicAdmin(admin, b.createTopicQueues, startWait(), worker);
    this.sessionStore =
        b.sessionTopic.isEmpty()
            ? SessionStore.NONE
            : new BrokerSessionStore(b.sessionTopic, this::sendRecord, admin, this::feed);
  }

  /**
   * Starts a builder.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return this gateway node's id
   */
  public String nodeId() {
    return nodeId;
  }

  private Duration startWait() {
    return clientConfig.requestTimeout().multipliedBy(2);
  }

  @Override
  public CompletableFuture<String> send(Route route, MqttEnvelope message, String messageGroup) {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(message, "message");
    if (closed) {
      return CompletableFuture.failedFuture(new LinkException("the link is closed", false, null));
    }
    Message m;
    try {
      m = Sends.message(route, message, messageGroup);
    } catch (LinkException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<String> out = new CompletableFuture<>();
    // the link's own future, completed with the bare LinkException (not a CompletionException)
    sendCreatingTopic(producer, m)
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                out.completeExceptionally(Sends.failure(e));
                return;
              }
              try {
                out.complete(Sends.messageId(r));
              } catch (LinkException notDurable) {
                out.completeExceptionally(notDurable);
              }
            });
    return out;
  }

  private CompletableFuture<SendResult> sendCreatingTopic(Producer producer, Message m) {
    CompletableFuture<SendResult> first = producer.sendAsync(m);
    if (!topics.createsTopics()) {
      return first;
    }
    return first
        .handle(
            (r, e) -> {
              if (e == null) {
                return CompletableFuture.completedFuture(r);
              }
              if (Sends.unwrap(e) instanceof ClientException ce
                  && ce.code() == Code.TOPIC_NOT_FOUND) {
                // the producer retried on a fresh route already: the topic is really missing
                return topics.create(m.topic()).thenCompose(v -> producer.sendAsync(m));
              }
              return CompletableFuture.<SendResult>failedFuture(e);
            })
        .thenCompose(Function.identity());
  }

  @Override
  public Feed feed(String brokerTopic, FeedListener listener) {
    return nodeFeed(brokerTopic, listener, false);
  }

  @Override
  public Set<String> topics() {
    try {
      Set<String> out = new HashSet<>();
      admin.listTopics().forEach(t -> out.add(t.topic()));
      return out;
    } catch (ClientException e) {
      throw Sends.failure(e);
    }
  }

  @Override
  public CompletableFuture<Void> sendRecord(String brokerTopic, String key, byte[] body) {
    Message m;
    try {
      String k = BrokerSessionStore.key(key);
      m = Message.builder().topic(brokerTopic).keys(k).messageGroup(k).body(body).build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new LinkException(e.getMessage(), true, e));
    }
    return sendCreatingTopic(recordProducer, m)
        .handle(
            (r, e) -> {
              if (e != null) {
                throw Sends.failure(e);
              }
              Sends.messageId(r); // throws unless stored under the flush mode
              return null;
            });
  }

  @Override
  public Feed feedFromStart(String brokerTopic, FeedListener listener) {
    return nodeFeed(brokerTopic, listener, true);
  }

  @Override
  public Map<QueueRef, Long> endOffsets(String brokerTopic) {
    List<MessageQueue> queues = queuesAtStart(brokerTopic);
    if (queues.isEmpty()) {
      return Map.of();
    }
    // a pull past the end is answered with the end: the client's way to learn it
    try (PullConsumer c =
        PullConsumer.builder()
            .clientConfig(clientConfig)
            .consumerGroup(GroupNames.feed(nodeId, "ends"))
            .build()) {
      c.assign(queues);
      queues.forEach(q -> c.seek(q, Long.MAX_VALUE));
      long deadline = System.nanoTime() + startWait().toNanos();
      Map<QueueRef, Long> out = new HashMap<>();
      while (out.size() < queues.size()) {
        for (MessageQueue q : queues) {
          OptionalLong p = c.position(q);
          if (p.isPresent() && p.getAsLong() != Long.MAX_VALUE) {
            out.put(Deliveries.queueRef(q), p.getAsLong());
          }
        }
        if (System.nanoTime() - deadline > 0) {
          throw new LinkException("no end offsets of " + brokerTopic + " in time", false, null);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      return out;
    } catch (ClientException e) {
      throw Sends.failure(e);
    }
  }

  private Feed nodeFeed(String brokerTopic, FeedListener listener, boolean fromStart) {
    Objects.requireNonNull(listener, "listener");
    List<MessageQueue> existing = queuesAtStart(brokerTopic);
    String group = GroupNames.feed(nodeId, brokerTopic);
    try {
      return register(
          NodeFeed.start(
              clientConfig,
              group,
              brokerTopic,
              existing,
              topics,
              listener,
              discoveryInterval,
              startWait(),
              fromStart,
              feeds::remove));
    } catch (ClientException e) {
      throw Sends.failure(e);
    }
  }

  @Override
  public Feed sharedFeed(String brokerTopic, String shareGroup, FeedListener listener) {
    Objects.requireNonNull(shareGroup, "shareGroup");
    Objects.requireNonNull(listener, "listener");
    List<MessageQueue> existing = queuesAtStart(brokerTopic);
    String group = GroupNames.shared(shareGroup, brokerTopic);
    return register(
        SharedFeed.start(
            clientConfig,
            group,
            brokerTopic,
            existing,
            listener,
            sharedThreads,
            startWait(),
            feeds::remove));
  }

  @Override
  public QueueReader reader(Map<QueueRef, Long> from) {
    if (closed) {
      throw new LinkException("the link is closed", false, null);
    }
    return ReplayReader.open(clientConfig, GroupNames.feed(nodeId, "replay"), from);
  }

  @Override
  public SessionStore sessionStore() {
    return sessionStore;
  }

  private List<MessageQueue> queuesAtStart(String brokerTopic) {
    Objects.requireNonNull(brokerTopic, "brokerTopic");
    if (closed) {
      throw new LinkException("the link is closed", false, null);
    }
    try {
      List<MessageQueue> existing = topics.existingQueues(brokerTopic);
      if (existing.isEmpty() && topics.createsTopics()) {
        topics.create(brokerTopic).join();
        existing = topics.existingQueues(brokerTopic);
      }
      return existing;
    } catch (RuntimeException e) {
      LinkException le = Sends.failure(e);
      throw new LinkException(
          "cannot fix the start of a feed of " + brokerTopic + ": " + le.getMessage(),
          le.refused(),
          le.getCause());
    }
  }

  private Feed register(Feed feed) {
    feeds.add(feed);
    if (closed) {
      // close() may have run between the check and the add
      feed.close();
      throw new LinkException("the link is closed", false, null);
    }
    return feed;
  }

  /** Closes every feed, then the producer (waiting for sends in flight), then the admin client. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (Feed f : List.copyOf(feeds)) {
      f.close();
    }
    producer.close();
    if (recordProducer != producer) {
      recordProducer.close();
    }
    worker.shutdownNow();
    try {
      worker.awaitTermination(startWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close();
  }

  /** Builds a {@link ClientBrokerLink}; {@link #build()} checks the values. */
  public static final class Builder {
    private ClientConfig clientConfig;
    private String nodeId;
    private int createTopicQueues;
    private Duration discoveryInterval = Duration.ofSeconds(2);
    private int sharedConsumeThreads = 4;
    private String sessionTopic = DEFAULT_SESSION_TOPIC;
    private boolean trace = true;

    private Builder() {}

    /**
     * @param config nameservers, timeouts (required)
     * @return this
     */
    public Builder clientConfig(ClientConfig config) {
      this.clientConfig = config;
      return this;
    }

    /**
     * @param nodeId this gateway node's id, 1-40 characters of {@code [A-Za-z0-9_-]}, stable across
     *     restarts (required); part of its feeds' consumer group names
     * @return this
     */
    public Builder nodeId(String nodeId) {
      this.nodeId = nodeId;
      return this;
    }

    /**
     * Creates a missing broker topic (on every master) when a send is refused with TOPIC_NOT_FOUND,
     * then sends once more; and when a feed starts on a missing topic. For standalone setups and
     * tests; in production topics are created by operators. Default 0: never.
     *
     * @param queues queues per broker of a created topic; 0 turns creation off
     * @return this
     */
    public Builder createTopics(int queues) {
      this.createTopicQueues = queues;
      return this;
    }

    /**
     * @param interval how often a feed looks for queues that appeared (a topic created after the
     *     feed started, queues added); default 2 s
     * @return this
     */
    public Builder feedDiscoveryInterval(Duration interval) {
      this.discoveryInterval = interval;
      return this;
    }

    /**
     * @param threads listener threads of each shared feed (default 4)
     * @return this
     */
    public Builder sharedConsumeThreads(int threads) {
      this.sharedConsumeThreads = threads;
      return this;
    }

    /**
     * @param topic the broker topic persistent sessions are kept in (default {@value
     *     #DEFAULT_SESSION_TOPIC}); "" keeps sessions in each node's memory only
     * @return this
     */
    public Builder sessionTopic(String topic) {
      this.sessionTopic = topic;
      return this;
    }

    /**
     * @param trace whether device messages (MQTT publishes, retained messages) are traced (default
     *     true): marked for the brokers' STORE/RETRY/DEAD_LETTER events and with a SEND event per
     *     message in the trace topic, so {@code edgemq admin trace <msgId|key>} shows their life.
     *     Session and will records are never traced.
     * @return this
     */
    public Builder trace(boolean trace) {
      this.trace = trace;
      return this;
    }

    /**
     * @return the running link
     * @throws IllegalArgumentException naming a bad or missing value
     */
    public ClientBrokerLink build() {
      require(clientConfig != null, "clientConfig", null, "required");
      require(
          nodeId != null && GroupNames.NODE_ID.matcher(nodeId).matches(),
          "nodeId",
          nodeId,
          "1-40 characters of [A-Za-z0-9_-]");
      require(
          createTopicQueues >= 0 && createTopicQueues <= 1024,
          "createTopics",
          createTopicQueues,
          "0 (off) to 1024 queues");
      require(
          discoveryInterval != null
              && !discoveryInterval.isNegative()
              && !discoveryInterval.isZero(),
          "feedDiscoveryInterval",
          discoveryInterval,
          "positive");
      require(
          sessionTopic != null && (sessionTopic.isEmpty() || GroupNames.isPlainTopic(sessionTopic)),
          "sessionTopic",
          sessionTopic,
          "\"\" (off) or 1-127 characters of [A-Za-z0-9_-]");
      require(sharedConsumeThreads > 0, "sharedConsumeThreads", sharedConsumeThreads, "positive");
      return new ClientBrokerLink(this);
    }

    private static void require(boolean ok, String option, Object value, String rule) {
      if (!ok) {
        throw new IllegalArgumentException("broker link " + option + "=" + value + ": " + rule);
      }
    }
  }
}
