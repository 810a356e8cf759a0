package io.edgemq.gateway.link;

import io.edgemq.gateway.mapping.Route;
import io.edgemq.gateway.session.QueueRef;
import io.edgemq.gateway.session.SessionStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What the gateway needs from the brokers. Implementations are thread-safe; callbacks run on the
 * link's own threads, never on a Netty event loop, so listeners must hand work over themselves.
 */
public interface BrokerLink extends AutoCloseable {

  /**
   * Stores a device message in the broker topic of its route.
   *
   * @param route where it goes (broker topic, tag, keys)
   * @param message the MQTT message, whose metadata travels as message properties
   * @param messageGroup the FIFO sharding key: the gateway passes the publishing client id so one
   *     device's messages stay in order in one queue
   * @return completes with the broker's message id once the broker accepted the message under its
   *     flush mode; completes exceptionally with {@link LinkException} when it did not (or when the
   *     outcome is unknown), so the device is never acknowledged falsely
   */
  CompletableFuture<String> send(Route route, MqttEnvelope message, String messageGroup);

  /**
   * Starts reading a broker topic for this gateway node: every message stored in it from now on is
   * handed to the listener, at least once, in queue order per queue (so in publish order per
   * message group). The start is fixed before this returns. Messages that carry no MQTT topic
   * property arrive with {@link FeedMessage#mqttTopicProperty()} null; the listener maps them (see
   * {@code MappingTable.mqttTopicOf}).
   *
   * @param brokerTopic the broker topic
   * @param listener receives the messages; an exception it throws is logged and the message counts
   *     as delivered
   * @return the running feed; close it to stop
   * @throws LinkException (not refused) when the brokers cannot be reached to fix the start
   */
  Feed feed(String brokerTopic, FeedListener listener);

  /**
   * Like {@link #feed} but as one member of a group shared by every gateway node: each message of
   * the topic goes to one member only (MQTT 5 shared subscriptions {@code $share/{group}/...}).
   * While members join or leave, a message may reach two of them (at least once). The group keeps
   * its position in the brokers, so messages stored while it has no member are delivered when one
   * joins.
   *
   * @param brokerTopic the broker topic
   * @param shareGroup the share group's key, any string (it becomes part of a consumer group name,
   *     hashed when needed). Nodes that pass the same key and topic share the messages. MQTT makes
   *     {@code $share/g/a/#} and {@code $share/g/a/b} two groups: when both map onto one broker
   *     topic, pass a key that includes the filter
   * @param listener receives the messages; an exception it throws is logged and the message counts
   *     as delivered
   * @return the running feed; close it to leave the group
   * @throws LinkException (not refused) when the brokers cannot be reached to fix the start
   */
  Feed sharedFeed(String brokerTopic, String shareGroup, FeedListener listener);

  /**
   * @return the names of every broker topic that exists (for subscriptions whose first level is a
   *     wildcard, which may match messages of any topic)
   * @throws LinkException when the brokers cannot be reached
   */
  Set<String> topics();

  /**
   * Stores one record of the gateway's own logs (wills) in a broker topic: the body as is, the key
   * as message key and message group (so one key's records stay in order in one queue).
   *
   * @param brokerTopic the topic
   * @param key the record's key
   * @param body the record
   * @return completes once stored under the brokers' flush mode, or exceptionally with {@link
   *     LinkException}
   */
  CompletableFuture<Void> sendRecord(String brokerTopic, String key, byte[] body);

  /**
   * Like {@link #feed} but from the first message still stored in each queue: for the gateway's own
   * logs (retained messages, wills) that every node reads whole.
   *
   * @param brokerTopic the broker topic
   * @param listener receives the messages
   * @return the running feed
   * @throws LinkException when the brokers cannot be reached
   */
  Feed feedFromStart(String brokerTopic, FeedListener listener);

  /**
   * @param brokerTopic a broker topic
   * @return per queue, the offset the next message stored will get (empty when the topic does not
   *     exist)
   * @throws LinkException when the brokers cannot be reached
   */
  Map<QueueRef, Long> endOffsets(String brokerTopic);

  /**
   * Opens a reader of some broker queues from given offsets, for a persistent session that reads
   * again what it missed. It reads until closed; a queue whose offset was deleted by retention
   * continues at its first message.
   *
   * @param from the queues and the offsets to start at
   * @return the reader; close it when done
   * @throws LinkException when the brokers cannot be reached
   */
  QueueReader reader(Map<QueueRef, Long> from);

  /**
   * Where persistent sessions are kept, or {@link SessionStore#NONE}.
   *
   * @return the session store
   */
  SessionStore sessionStore();

  /** Stops every feed and the producer, waiting for sends in flight. */
  @Override
  void close();

  /** A running feed. */
  interface Feed extends AutoCloseable {
    /**
     * @param queue a queue of the feed's topic
     * @return the next offset of that queue the listener will be handed (every message below it has
     *     been handed and the listener returned), or -1 when not known
     */
    long position(QueueRef queue);

    /**
     * @return the queues the feed reads now
     */
    Set<QueueRef> queues();

    /** Stops reading. */
    @Override
    void close();
  }

  /** Reads some queues from chosen offsets ({@link #reader}). */
  interface QueueReader extends AutoCloseable {
    /**
     * Waits up to the timeout for messages.
     *
     * @param timeout how long to wait when nothing is there
     * @return messages in queue order per queue, possibly none
     */
    List<FeedMessage> poll(Duration timeout);

    /** Stops reading. */
    @Override
    void close();
  }

  /** Receives messages of a feed, on the link's threads (one message at a time per queue). */
  @FunctionalInterface
  interface FeedListener {
    /**
     * Takes one message; the next message of the same queue waits until this returns, so hand slow
     * work over.
     *
     * @param message a message read from the broker topic
     */
    void onMessage(FeedMessage message);
  }

  /**
   * A message read from a broker topic.
   *
   * @param brokerTopic the broker topic it was read from
   * @param tag its tag, or null
   * @param messageId its broker message id
   * @param mqtt the MQTT message decoded from its properties ({@link MqttProperties#decode}); its
   *     {@code topic()} is the message's MQTT topic property, or "" (empty) when it has none
   * @param mqttTopicProperty the MQTT topic carried by the message, or null when it has none (a
   *     backend's message): the listener then derives the topic from {@code brokerTopic} and {@code
   *     tag}
   * @param queue the queue it was read from
   * @param offset its offset in that queue
   * @param storedAtMillis when the broker stored it (epoch ms)
   */
  record FeedMessage(
      String brokerTopic,
      String tag,
      String messageId,
      MqttEnvelope mqtt,
      String mqttTopicProperty,
      QueueRef queue,
      long offset,
      long storedAtMillis) {}
}
