package io.edgemq.broker.pop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Every group's pop state, backed by the {@link PopLog}. A change to a queue's state runs in {@link
 * #update}, which holds the queue's monitor (one change per queue at a time) and the shared side of
 * a lock whose exclusive side {@link #compact} takes, so a snapshot never misses a change that was
 * written to the old log only.
 */
final class PopTable implements AutoCloseable {
  private final Map<QueueKey, PopQueue> queues = new ConcurrentHashMap<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicLong seq = new AtomicLong();
  private final PopLog log;

  private PopTable(Path dir) throws IOException {
    this.log = PopLog.open(dir, this::replay);
  }

  /**
   * Loads the state from {@code dir/pop.log} and compacts it.
   *
   * @param dir the pop directory (created when absent)
   * @return the table
   * @throws IOException when the log cannot be read or written
   */
  static PopTable open(Path dir) throws IOException {
    PopTable t = new PopTable(dir);
    t.compact();
    return t;
  }

  private void replay(PopRecord r) {
    PopQueue q = queues.computeIfAbsent(r.key(), k -> new PopQueue(k, 0));
    if (r instanceof PopRecord.Receive rc) {
      q.advance(rc.nextOffset());
      for (InFlight f : rc.entries()) {
        q.put(f);
        seq.accumulateAndGet(f.seq(), Math::max);
      }
    } else {
      PopRecord.Ack a = (PopRecord.Ack) r;
      q.remove(a.offset(), a.seq());
    }
  }

  /**
   * @return a new delivery number, unique for this broker's data directory
   */
  long nextSeq() {
    return seq.incrementAndGet();
  }

  /**
   * Runs a change of one queue's state.
   *
   * @param key the queue
   * @param initialOffset the pop offset of a queue the group never popped
   * @param work reads and changes the state; it writes each change with {@link #write} before
   *     making it in memory
   * @param <T> the result
   * @return what work returned
   */
  <T> T update(QueueKey key, ToLongFunction<QueueKey> initialOffset, Function<PopQueue, T> work) {
    PopQueue q = queues.computeIfAbsent(key, k -> new PopQueue(k, initialOffset.applyAsLong(k)));
    lock.readLock().lock();
    try {
      synchronized (q) {
        return work.apply(q);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * @param key a queue
   * @return its state if the group popped it, for a read or an {@link #update}
   */
  PopQueue find(QueueKey key) {
    return queues.get(key);
  }

  /**
   * @return every queue's state (for sweeps)
   */
  List<PopQueue> all() {
    return new ArrayList<>(queues.values());
  }

  /**
   * Appends a record; call inside {@link #update}.
   *
   * @param r the record
   * @throws UncheckedIOException when the write fails
   */
  void write(PopRecord r) {
    try {
      log.append(r);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the pop log failed", e);
    }
  }

  /**
   * @return bytes appended since the last compaction
   */
  long appendedBytes() {
    return log.appendedBytes();
  }

  /**
   * Rewrites the log as one record per queue: its pop offset and what is in flight.
   *
   * @throws IOException when the snapshot cannot be written (the old log stays)
   */
  void compact() throws IOException {
    lock.writeLock().lock();
    try {
      List<PopRecord> snapshot = new ArrayList<>();
      for (PopQueue q : queues.values()) {
        synchronized (q) {
          snapshot.add(new PopRecord.Receive(q.key, q.nextOffset(), new ArrayList<>(q.inFlight())));
        }
      }
      log.rewrite(snapshot);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * @throws IOException when the sync fails
   */
  void force() throws IOException {
    log.force();
  }

  @Override
  public void close() throws IOException {
    compact();
    log.close();
  }
}
