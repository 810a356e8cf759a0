package io.edgemq.gateway.delivery;

import io.edgemq.gateway.link.BrokerLink;
import io.edgemq.gateway.link.BrokerLink.FeedMessage;
import io.edgemq.gateway.link.MqttEnvelope;
import io.edgemq.gateway.mapping.BrokerTopics;
import io.edgemq.gateway.mapping.MappingRule;
import io.edgemq.gateway.mapping.MappingTable;
import io.edgemq.gateway.session.Outgoing;
import io.edgemq.gateway.session.QueueRef;
import io.edgemq.gateway.session.Session;
import io.edgemq.gateway.session.SessionRegistry;
import io.edgemq.gateway.session.Subscription;
import io.edgemq.gateway.topic.SubscriptionTrie;
import io.edgemq.gateway.topic.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers broker messages to this node's sessions. Every subscription goes into one trie; the
 * broker topics that can hold messages for it are fed to this node (a plain feed per topic for
 * ordinary subscriptions, a shared feed per share group and topic for {@code $share/}), and each
 * fed message goes once to every session with a matching subscription, at the highest QoS among its
 * matching subscriptions, or to one member of a share group.
 *
 * <p>A feed, once opened, stays open until the gateway stops: a deployment has few broker topics,
 * and reopening would lose the messages stored in between.
 */
public final class Router implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final SubscriptionTrie<Subscription> trie = new SubscriptionTrie<>();
  private final SessionRegistry sessions;
  private final BrokerLink link;
  private final MappingTable mapping;
  private final Clock clock;
  private final Map<String, BrokerLink.Feed> feeds = new ConcurrentHashMap<>();
  private final Map<String, BrokerLink.Feed> sharedFeeds = new HashMap<>();
  private final Set<String> knownTopics = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> shareCursor = new ConcurrentHashMap<>();
  private final AtomicLong unroutable = new AtomicLong();
  private volatile boolean feedAllTopics;

  /**
   * @param sessions the sessions
   * @param link the brokers
   * @param mapping the topic mapping
   * @param clock for message expiry
   */
  public Router(SessionRegistry sessions, BrokerLink link, MappingTable mapping, Clock clock) {
    this.sessions = sessions;
    this.link = link;
    this.mapping = mapping;
    this.clock = clock;
    for (MappingRule r : mapping.rules()) {
      knownTopics.add(r.brokerTopic());
    }
    knownTopics.add(mapping.fallbackTopic());
  }

  /**
   * Adds a subscription and opens the feeds it needs. May block on the broker: call it off the
   * event loop, before answering SUBACK, so messages stored after the SUBACK are delivered.
   *
   * @param s the subscription
   */
  public void subscribe(Subscription s) {
    BrokerTopics topics = mapping.brokerTopicsFor(s.filter());
    if (s.shareGroup() == null) {
      if (topics.allDefaultTopics()) {
        feedAllTopics = true;
        knownTopics.forEach(this::ensureFeed);
      }
      topics.topics().forEach(this::ensureFeed);
    } else {
      Set<String> all = topics.allDefaultTopics() ? knownTopics : topics.topics();
      for (String t : all) {
        ensureSharedFeed(s.shareGroup(), t);
      }
    }
    trie.add(s.filter(), s);
  }

  /**
   * Adds every subscription of a session resumed from its stored record. May block, like {@link
   * #subscribe}.
   *
   * @param session the session
   */
  public void subscribeAll(Session session) {
    for (Subscription s : session.subscriptions().values()) {
      subscribe(s);
    }
  }

  /**
   * @param q a broker queue
   * @return the next offset of it this node's feed will route, or -1 when it has no such feed
   */
  public long livePosition(QueueRef q) {
    BrokerLink.Feed f = feeds.get(q.topic());
    return f == null ? -1 : f.position(q);
  }

  /**
   * @param session a session
   * @return the queues this node feeds for the session's (not shared) subscriptions
   */
  public Set<QueueRef> fedQueues(Session session) {
    Set<QueueRef> out = new HashSet<>();
    for (Subscription s : session.subscriptions().values()) {
      if (s.shareGroup() != null) {
        continue;
      }
      BrokerTopics topics = mapping.brokerTopicsFor(s.filter());
      for (String t : topics.allDefaultTopics() ? knownTopics : topics.topics()) {
        BrokerLink.Feed f = feeds.get(t);
        if (f != null) {
          out.addAll(f.queues());
        }
      }
    }
    return out;
  }

  /**
   * Works out how a message read again from a checkpoint goes to one session.
   *
   * @param session the session
   * @param m the message
   * @return what to deliver, or null when no subscription of the session matches it
   */
  public Outgoing matchFor(Session session, FeedMessage m) {
    MqttEnvelope e = envelope(m);
    if (e == null) {
      return null;
    }
    Match x = new Match();
    for (Subscription s : session.subscriptions().values()) {
      if (s.shareGroup() == null
          && !(s.noLocal() && s.clientId().equals(e.clientId()))
          && Topics.matches(s.filter(), e.topic())) {
        x.add(s);
      }
    }
    return x.qos < 0 ? null : x.outgoing(e, m);
  }

  /**
   * @param s a subscription to remove (matched by client and share group)
   */
  public void unsubscribe(Subscription s) {
    trie.remove(s.filter(), s);
  }

  /**
   * Removes every subscription of a session that ended.
   *
   * @param session the session
   */
  public void removeAll(Session session) {
    for (Subscription s : session.subscriptions().values()) {
      trie.remove(s.filter(), s);
    }
    session.subscriptions().clear();
  }

  /**
   * A device published to a broker topic: wildcard subscriptions need a feed of it too.
   *
   * @param brokerTopic the topic
   */
  public void topicSeen(String brokerTopic) {
    if (knownTopics.add(brokerTopic) && feedAllTopics) {
      ensureFeed(brokerTopic);
    }
  }

  /**
   * Looks for broker topics this node does not know yet, when a subscription whose first level is a
   * wildcard needs every topic (the gateway's own topics excepted). May block on the brokers.
   *
   * @param internal the gateway's own topics (sessions, retained messages, wills)
   */
  public void discoverTopics(Set<String> internal) {
    if (!feedAllTopics) {
      return;
    }
    for (String t : link.topics()) {
      if (!internal.contains(t) && !t.startsWith("%")) {
        topicSeen(t);
      }
    }
  }

  /**
   * @param brokerTopic a broker topic
   * @return whether this node knows it already (no need for {@link #topicSeen})
   */
  public boolean known(String brokerTopic) {
    return knownTopics.contains(brokerTopic);
  }

  /**
   * @return messages dropped because their MQTT topic could not be worked out
   */
  public long unroutable() {
    return unroutable.get();
  }

  private synchronized void ensureFeed(String brokerTopic) {
    feeds.computeIfAbsent(brokerTopic, t -> link.feed(t, this::onMessage));
  }

  private synchronized void ensureSharedFeed(String group, String brokerTopic) {
    sharedFeeds.computeIfAbsent(
        group + '\u0000' + brokerTopic,
        k -> link.sharedFeed(brokerTopic, group, m -> onShared(group, m)));
  }

  private MqttEnvelope envelope(FeedMessage m) {
    String topic = mapping.mqttTopicOf(m.brokerTopic(), m.tag(), m.mqttTopicProperty());
    if (topic == null) {
      unroutable.incrementAndGet();
      LOG.debug(
          "message {} of {} has no valid MQTT topic; dropped", m.messageId(), m.brokerTopic());
      return null;
    }
    MqttEnvelope e = m.mqtt();
    if (!topic.equals(e.topic())) {
      e =
          new MqttEnvelope(
              topic,
              e.qos(),
              e.retain(),
              e.clientId(),
              e.payload(),
              e.payloadFormatUtf8(),
              e.contentType(),
              e.responseTopic(),
              e.correlationData(),
              e.expiresAtMillis(),
              e.userProperties());
    }
    return e.expired(clock.millis()) ? null : e;
  }

  /** One session's matches of a message: the highest QoS and every subscription id. */
  private static final class Match {
    int qos = -1;
    boolean retainAsPublished;
    final List<Integer> ids = new ArrayList<>(1);

    void add(Subscription s) {
      qos = Math.max(qos, s.qos());
      retainAsPublished |= s.retainAsPublished();
      if (s.subscriptionId() != 0) {
        ids.add(s.subscriptionId());
      }
    }

    Outgoing outgoing(MqttEnvelope e, FeedMessage m) {
      return new Outgoing(
          e, Math.min(e.qos(), qos), retainAsPublished && e.retain(), ids, m.queue(), m.offset());
    }
  }

  void onMessage(FeedMessage m) {
    MqttEnvelope e = envelope(m);
    if (e == null) {
      return;
    }
    Map<String, Match> matches = new HashMap<>();
    trie.forEachMatch(
        e.topic(),
        (filter, s) -> {
          if (s.shareGroup() != null || (s.noLocal() && s.clientId().equals(e.clientId()))) {
            return;
          }
          matches.computeIfAbsent(s.clientId(), k -> new Match()).add(s);
        });
    matches.forEach(
        (clientId, x) -> {
          Session session = sessions.find(clientId);
          if (session != null) {
            session.offer(x.outgoing(e, m));
          }
        });
  }

  void onShared(String group, FeedMessage m) {
    MqttEnvelope e = envelope(m);
    if (e == null) {
      return;
    }
    List<Subscription> members = new ArrayList<>();
    trie.forEachMatch(
        e.topic(),
        (filter, s) -> {
          if (group.equals(s.shareGroup())) {
            members.add(s);
          }
        });
    if (members.isEmpty()) {
      return;
    }
    // prefer a member that is online; the cursor spreads messages over them
    int start = shareCursor.computeIfAbsent(group, g -> new AtomicInteger()).getAndIncrement();
    Subscription chosen = null;
    Session target = null;
    for (int i = 0; i < members.size(); i++) {
      Subscription s = members.get(Math.floorMod(start + i, members.size()));
      Session session = sessions.find(s.clientId());
      if (session != null && (chosen == null || session.online())) {
        chosen = s;
        target = session;
        if (session.online()) {
          break;
        }
      }
    }
    if (target == null) {
      return;
    }
    List<Integer> ids = chosen.subscriptionId() == 0 ? List.of() : List.of(chosen.subscriptionId());
    target.offer(new Outgoing(e, Math.min(e.qos(), chosen.qos()), false, ids));
  }

  /** Closes every feed. */
  @Override
  public synchronized void close() {
    feeds.values().forEach(BrokerLink.Feed::close);
    sharedFeeds.values().forEach(BrokerLink.Feed::close);
    feeds.clear();
    sharedFeeds.clear();
  }
}
