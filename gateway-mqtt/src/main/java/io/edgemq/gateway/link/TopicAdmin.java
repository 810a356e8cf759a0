package io.edgemq.gateway.link;

import io.edgemq.client.api.Admin;
import io.edgemq.client.api.ClientException;
import io.edgemq.client.api.MessageQueue;
import io.edgemq.client.api.Permission;
import io.edgemq.client.api.TopicInfo;
import io.edgemq.protocol.v1.Code;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link's topic questions, asked through {@link Admin}: which queues of a topic exist on the
 * brokers (not a nameserver's provisional route for a topic that brokers would auto-create), and,
 * when the link creates topics, creating a missing one.
 */
final class TopicAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);
  private static final long ROUTE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final Admin admin;
  private final int createQueues;
  private final Duration routeWait;
  private final Executor executor;
  private final Map<String, CompletableFuture<Void>> creating = new ConcurrentHashMap<>();

  /**
   * @param admin the admin client (owned by the caller)
   * @param createQueues queues per broker of a created topic; 0: never create
   * @param routeWait how long a created topic may take to appear in the routes
   * @param executor runs creations (they block)
   */
  TopicAdmin(Admin admin, int createQueues, Duration routeWait, Executor executor) {
    this.admin = admin;
    this.createQueues = createQueues;
    this.routeWait = routeWait;
    this.executor = executor;
  }

  boolean createsTopics() {
    return createQueues > 0;
  }

  /**
   * @param topic a broker topic
   * @return its readable queues on the brokers that have it; empty when none has it
   * @throws ClientException when the brokers cannot answer
   */
  List<MessageQueue> existingQueues(String topic) {
    List<TopicInfo> infos;
    try {
      infos = admin.getTopic(topic);
    } catch (ClientException e) {
      if (e.code() == Code.TOPIC_NOT_FOUND) {
        return List.of();
      }
      throw e;
    }
    List<MessageQueue> out = new ArrayList<>();
    for (TopicInfo t : infos) {
      if (t.permission() == Permission.READ || t.permission() == Permission.READ_WRITE) {
        for (int q = 0; q < t.readQueues(); q++) {
          out.add(new MessageQueue(topic, t.brokerName(), q));
        }
      }
    }
    return out;
  }

  /**
   * Creates a topic on every master and waits until its route shows it. Concurrent calls for one
   * topic share one creation; a topic that exists already counts as created.
   *
   * @param topic the topic
   * @return completes when the topic can be used, exceptionally with the admin's failure
   */
  CompletableFuture<Void> create(String topic) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = creating.putIfAbsent(topic, mine);
    if (running != null) {
      return running;
    }
    try {
      executor.execute(() -> createNow(topic, mine));
    } catch (RuntimeException rejected) {
      creating.remove(topic, mine);
      mine.completeExceptionally(rejected);
    }
    return mine;
  }

  private void createNow(String topic, CompletableFuture<Void> done) {
    try {
      try {
        admin.createTopic(topic, createQueues);
        LOG.info("created broker topic {} with {} queues per broker", topic, createQueues);
      } catch (ClientException e) {
        if (e.code() != Code.ALREADY_EXISTS) {
          throw e;
        }
      }
      awaitRoute(topic);
      done.complete(null);
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
    } finally {
      creating.remove(topic, done);
    }
  }

  // brokers register a new topic with the nameservers asynchronously, and the client has no way to
  // be told, so look until the route has it
  private void awaitRoute(String topic) {
    long deadline = System.nanoTime() + routeWait.toNanos();
    while (existingQueues(topic).isEmpty()) {
      if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
        throw new ClientException(
            Code.TOPIC_NOT_FOUND_VALUE, "created " + topic + " but no route shows it yet");
      }
      LockSupport.parkNanos(ROUTE_CHECK_NANOS);
    }
  }
}
