package io.edgemq.broker.topic;

import io.edgemq.broker.api.BrokerConfig;
import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Permission;
import io.edgemq.protocol.v1.TopicConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The topics of this broker. Every change is written to the {@code topics} file (atomically) before
 * it is visible, raises the {@link #dataVersion()} and notifies the listeners.
 */
public final class TopicTable {
  /** The file name under the broker's data directory. */
  public static final String FILE = "topics";

  private final Path file;
  private final int defaultQueueCount;
  private volatile Map<String, Topic> topics;
  private final AtomicLong dataVersion;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private TopicTable(Path file, int defaultQueueCount, Map<String, Topic> topics, long start) {
    this.file = file;
    this.defaultQueueCount = defaultQueueCount;
    this.topics = topics;
    this.dataVersion = new AtomicLong(start);
  }

  /**
   * Loads the table from the data directory (empty when the file is missing).
   *
   * @param dataDir the broker's data directory
   * @param defaultQueueCount queue count of auto-created topics and of creates with 0
   * @param nowMillis the current time: the first data version, so versions grow across restarts
   * @return the table
   * @throws IOException when the file cannot be read or parsed
   */
  public static TopicTable load(Path dataDir, int defaultQueueCount, long nowMillis)
      throws IOException {
    Path file = dataDir.resolve(FILE);
    Map<String, Topic> m = new TreeMap<>();
    for (Topic t : TopicFile.read(file)) {
      m.put(t.name(), t);
    }
    return new TopicTable(file, defaultQueueCount, m, nowMillis);
  }

  /**
   * @param listener called after every change
   */
  public void addListener(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * @return increases with every change
   */
  public long dataVersion() {
    return dataVersion.get();
  }

  /**
   * @param name a topic name
   * @return the topic, if configured
   */
  public Optional<Topic> find(String name) {
    return Optional.ofNullable(topics.get(name));
  }

  /**
   * @param name a topic name (already checked)
   * @return the topic
   * @throws Rejection TOPIC_NOT_FOUND
   */
  public Topic require(String name) {
    Topic t = topics.get(name);
    if (t == null) {
      throw new Rejection(Code.TOPIC_NOT_FOUND, "topic '" + name + "' does not exist here");
    }
    return t;
  }

  /**
   * @param name a topic name (checked here)
   * @param queueId a queue id
   * @return the topic
   * @throws Rejection ILLEGAL_TOPIC, TOPIC_NOT_FOUND, QUEUE_NOT_FOUND (not below the read count)
   */
  public Topic requireReadQueue(String name, int queueId) {
    Names.checkTopic(name);
    Topic t = require(name);
    if (queueId < 0 || queueId >= t.readQueues()) {
      throw new Rejection(
          Code.QUEUE_NOT_FOUND,
          "queue "
              + queueId
              + " of topic "
              + name
              + " is not read (read queues: "
              + t.readQueues()
              + ")");
    }
    return t;
  }

  /**
   * @return every topic, ordered by name
   */
  public List<Topic> all() {
    return List.copyOf(topics.values());
  }

  /**
   * Creates a topic with the default queue count unless it exists.
   *
   * @param name a checked, non-system topic name
   * @return the topic
   */
  public synchronized Topic createIfAbsent(String name) {
    Topic t = topics.get(name);
    if (t != null) {
      return t;
    }
    return put(
        new Topic(name, defaultQueueCount, defaultQueueCount, Permission.PERMISSION_READ_WRITE));
  }

  /**
   * Creates a system topic (a group's retry or dead-letter topic) unless it exists.
   *
   * @param name a system topic name
   * @param queues its read and write queue count
   * @return the topic
   */
  public Topic createSystemIfAbsent(String name, int queues) {
    Topic t = topics.get(name);
    if (t != null) {
      return t;
    }
    synchronized (this) {
      t = topics.get(name);
      return t != null ? t : put(new Topic(name, queues, queues, Permission.PERMISSION_READ_WRITE));
    }
  }

  /**
   * Creates a topic from an admin request: zero counts and UNSPECIFIED permission take defaults.
   *
   * @param req the requested config
   * @return the topic as created
   * @throws Rejection ILLEGAL_TOPIC, BAD_REQUEST, ALREADY_EXISTS
   */
  public synchronized Topic create(TopicConfig req) {
    Names.checkUserTopic(req.getTopic());
    int write = req.getWriteQueueCount() == 0 ? defaultQueueCount : req.getWriteQueueCount();
    int read = req.getReadQueueCount() == 0 ? write : req.getReadQueueCount();
    Topic t = validated(req.getTopic(), write, read, req.getPermission());
    if (topics.containsKey(t.name())) {
      throw new Rejection(Code.ALREADY_EXISTS, "topic '" + t.name() + "' exists");
    }
    return put(t);
  }

  /**
   * Replaces an existing topic's counts and permission, taken as given.
   *
   * @param req the new config
   * @return the topic as now configured
   * @throws Rejection ILLEGAL_TOPIC, BAD_REQUEST, TOPIC_NOT_FOUND
   */
  public synchronized Topic update(TopicConfig req) {
    Names.checkTopic(req.getTopic());
    Topic t =
        validated(
            req.getTopic(), req.getWriteQueueCount(), req.getReadQueueCount(), req.getPermission());
    require(t.name());
    return put(t);
  }

  /**
   * @param name the topic to remove
   * @return the removed topic
   * @throws Rejection ILLEGAL_TOPIC, TOPIC_NOT_FOUND
   */
  public synchronized Topic delete(String name) {
    Names.checkTopic(name);
    Topic old = require(name);
    Map<String, Topic> next = new TreeMap<>(topics);
    next.remove(name);
    persist(next);
    return old;
  }

  private static Topic validated(String name, int write, int read, Permission perm) {
    checkCount("write_queue_count", write);
    checkCount("read_queue_count", read);
    if (read < write) {
      throw new Rejection(
          Code.BAD_REQUEST,
          "read_queue_count " + read + " is below write_queue_count " + write + " of " + name);
    }
    Permission p =
        perm == Permission.PERMISSION_UNSPECIFIED || perm == Permission.UNRECOGNIZED
            ? Permission.PERMISSION_READ_WRITE
            : perm;
    return new Topic(name, write, read, p);
  }

  private static void checkCount(String key, int n) {
    if (n < 1 || n > BrokerConfig.MAX_QUEUE_COUNT) {
      throw new Rejection(Code.BAD_REQUEST, key + " " + n + " is outside 1-1024");
    }
  }

  private Topic put(Topic t) {
    Map<String, Topic> next = new TreeMap<>(topics);
    next.put(t.name(), t);
    persist(next);
    return t;
  }

  private void persist(Map<String, Topic> next) {
    try {
      TopicFile.write(file, next.values());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    topics = next;
    dataVersion.incrementAndGet();
    for (Runnable l : listeners) {
      l.run();
    }
  }
}
