package io.edgemq.store.consumequeue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every consume queue of the store, under {@code consumequeue/<topic>/<queueId>/}. Queues appear on
 * first dispatch.
 */
public final class ConsumeQueueTable {
  private final Path root;
  private final int unitsPerFile;
  private final boolean preallocate;
  private final Map<String, Map<Integer, ConsumeQueue>> queues = new ConcurrentHashMap<>();

  /**
   * Creates the table; call {@link #load()} before use.
   *
   * @param root the consumequeue directory
   * @param unitsPerFile units per file
   * @param preallocate whether new files are zero-filled
   */
  public ConsumeQueueTable(Path root, int unitsPerFile, boolean preallocate) {
    this.root = root;
    this.unitsPerFile = unitsPerFile;
    this.preallocate = preallocate;
  }

  /**
   * Opens every queue on disk.
   *
   * @throws IOException on an unreadable queue
   */
  public void load() throws IOException {
    Files.createDirectories(root);
    try (DirectoryStream<Path> topics = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path t : topics) {
        try (DirectoryStream<Path> ids = Files.newDirectoryStream(t, Files::isDirectory)) {
          for (Path q : ids) {
            int queueId = Integer.parseInt(q.getFileName().toString());
            ConsumeQueue cq = newQueue(t.getFileName().toString(), queueId);
            cq.load();
          }
        }
      }
    }
  }

  private ConsumeQueue newQueue(String topic, int queueId) {
    ConsumeQueue cq =
        new ConsumeQueue(
            topic,
            queueId,
            root.resolve(topic).resolve(Integer.toString(queueId)),
            unitsPerFile,
            preallocate);
    queues.computeIfAbsent(topic, k -> new ConcurrentHashMap<>()).put(queueId, cq);
    return cq;
  }

  /**
   * Looks a queue up.
   *
   * @param topic the topic
   * @param queueId the queue id
   * @return the queue, or null if nothing was ever dispatched to it
   */
  public ConsumeQueue find(String topic, int queueId) {
    Map<Integer, ConsumeQueue> byId = queues.get(topic);
    return byId == null ? null : byId.get(queueId);
  }

  /**
   * Looks a queue up, creating it when missing. Only the dispatcher calls this.
   *
   * @param topic the topic
   * @param queueId the queue id
   * @return the queue
   */
  public ConsumeQueue getOrCreate(String topic, int queueId) {
    ConsumeQueue cq = find(topic, queueId);
    return cq != null ? cq : newQueue(topic, queueId);
  }

  /**
   * @return a snapshot of every queue
   */
  public List<ConsumeQueue> all() {
    List<ConsumeQueue> out = new ArrayList<>();
    queues.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  /**
   * Drops units past the recovered CommitLog end, in every queue.
   *
   * @param commitLogEnd the recovered end
   * @return how many units were dropped
   */
  public long truncateAfter(long commitLogEnd) {
    long n = 0;
    for (ConsumeQueue cq : all()) {
      n += cq.truncateAfter(commitLogEnd);
    }
    return n;
  }

  /**
   * Retention for every queue.
   *
   * @param commitLogMin the first CommitLog offset on disk
   * @return how many files were deleted
   */
  public int deleteBelow(long commitLogMin) {
    int n = 0;
    for (ConsumeQueue cq : all()) {
      n += cq.deleteBelow(commitLogMin);
    }
    return n;
  }

  /** Forces every queue. */
  public void flush() {
    for (ConsumeQueue cq : all()) {
      cq.flush();
    }
  }

  /** Flushes and unmaps every queue. */
  public void close() {
    flush();
    for (ConsumeQueue cq : all()) {
      cq.close();
    }
  }
}
