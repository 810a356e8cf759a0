package io.edgemq.store.bench;

import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.QueueReadStatus;
import io.edgemq.store.api.StoreConfig;
import io.edgemq.store.api.StoreStats;
import io.edgemq.store.api.StoredMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Read throughput by queue: fills one ASYNC store with a topic of 128 B and a topic of 1 KiB
 * messages over 8 queues, then reads every queue from offset 0 to its end, 32 messages per call, on
 * one thread, checking that each queue comes back complete and in order. A filtered read on a queue
 * where 1 in 10 messages has tag "x" shows what skipping by tag hash in the consume queue (no
 * CommitLog read for a miss) is worth.
 *
 * <p>Everything is read twice and the second pass reported: the first warms the JIT. Both passes
 * read from the page cache, since the data was just written and the machine has memory to spare.
 */
final class ReadBench {
  static final int BATCH = 32;
  private static final int QUEUES = AppendRun.QUEUES;
  private static final String SMALL = "small";
  private static final String LARGE = "large";
  private static final String RARE_TAG = "x";

  /**
   * Filling one topic.
   *
   * @param topic the topic
   * @param bodyBytes bytes per body
   * @param messages messages appended
   * @param seconds how long the fill took (one writer, ASYNC)
   */
  record Fill(String topic, int bodyBytes, long messages, double seconds) {}

  /**
   * Reading every queue of a topic in full.
   *
   * @param topic the topic
   * @param bodyBytes bytes per body
   * @param messages messages read
   * @param seconds total time
   * @param minQueueRate the slowest queue, msgs/s
   * @param maxQueueRate the fastest queue, msgs/s
   */
  record QueueRead(
      String topic,
      int bodyBytes,
      long messages,
      double seconds,
      double minQueueRate,
      double maxQueueRate) {
    double msgsPerSec() {
      return messages / seconds;
    }

    double mbPerSec() {
      return messages * (double) bodyBytes / seconds / 1e6;
    }
  }

  /**
   * The filtered read of one queue against the full read of the same queue.
   *
   * @param scanned queue units covered
   * @param matched messages returned
   * @param seconds time of the filtered read
   * @param allSeconds time of the unfiltered read of the same queue
   */
  record FilteredRead(long scanned, long matched, double seconds, double allSeconds) {}

  /**
   * Everything the read phase measured.
   *
   * @param fills the fills
   * @param reads the full reads, one per topic
   * @param filtered the filtered read
   * @param problems anything the store got wrong
   */
  record Result(
      List<Fill> fills, List<QueueRead> reads, FilteredRead filtered, List<String> problems) {}

  // A set: the warm-up pass and the measured pass would report the same fault twice.
  private final Set<String> problems = new LinkedHashSet<>();
  private MessageStore store;

  /**
   * Fills and reads a fresh store at {@code dir}; the caller deletes the directory.
   *
   * @param dir an empty directory
   * @param smallCount 128 B messages to store
   * @param largeCount 1 KiB messages to store
   * @return the result
   * @throws IOException if the store cannot open or close
   * @throws InterruptedException if interrupted
   */
  Result run(Path dir, int smallCount, int largeCount) throws IOException, InterruptedException {
    StoreConfig config =
        StoreConfig.builder(dir)
            .flushMode(FlushMode.ASYNC)
            .commitLogSegmentBytes(AppendRun.SEGMENT_BYTES)
            .build();
    store = MessageStore.open(config, Clock.systemUTC());
    try {
      List<Fill> fills = List.of(fill(SMALL, 128, smallCount), fill(LARGE, 1024, largeCount));
      waitForDispatch();
      long[] smallPerQueue = counts(SMALL);

      readAll(SMALL, 128, smallPerQueue);
      readAll(LARGE, 1024, counts(LARGE));
      filtered(0, smallPerQueue[0]);
      QueueReadRow small = readAll(SMALL, 128, smallPerQueue);
      QueueReadRow large = readAll(LARGE, 1024, counts(LARGE));
      FilteredRead f = filtered(0, smallPerQueue[0]);
      return new Result(
          fills,
          List.of(small.read, large.read),
          new FilteredRead(f.scanned(), f.matched(), f.seconds(), small.queueSeconds[0]),
          List.copyOf(problems));
    } finally {
      store.close();
    }
  }

  /** One writer, ASYNC, queue i % 8; in each queue every 10th message is tagged "x". */
  private Fill fill(String topic, int bodyBytes, int count) {
    byte[] body = new byte[bodyBytes];
    ThreadLocalRandom.current().nextBytes(body);
    long[] perQueue = new long[QUEUES];
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      int q = i % QUEUES;
      String tag = perQueue[q]++ % 10 == 0 ? RARE_TAG : "t";
      Message m =
          Message.builder()
              .topic(topic)
              .queueId(q)
              .tags(tag)
              .keys(List.of("k" + i))
              .body(body)
              .bornTimestamp(System.currentTimeMillis())
              .build();
      AppendResult r = store.append(m).join();
      if (!r.isOk()) {
        problems.add("fill " + topic + ": append " + i + " failed: " + r);
        break;
      }
    }
    return new Fill(topic, bodyBytes, count, (System.nanoTime() - start) / 1e9);
  }

  private void waitForDispatch() throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (true) {
      StoreStats s = store.stats();
      if (s.dispatchedOffset() >= s.writtenOffset()) {
        return;
      }
      if (System.nanoTime() > deadline || s.dispatchStalledReason() != null) {
        problems.add("read phase: dispatch did not catch up after the fill: " + s);
        return;
      }
      Thread.sleep(1);
    }
  }

  private long[] counts(String topic) {
    long[] n = new long[QUEUES];
    for (int q = 0; q < QUEUES; q++) {
      n[q] = store.maxQueueOffset(topic, q) - store.minQueueOffset(topic, q);
    }
    return n;
  }

  /** A full read of a topic plus per-queue times, for the filtered comparison. */
  private record QueueReadRow(QueueRead read, double[] queueSeconds) {}

  private QueueReadRow readAll(String topic, int bodyBytes, long[] expected) {
    double[] seconds = new double[QUEUES];
    long total = 0;
    double minRate = Double.MAX_VALUE;
    double maxRate = 0;
    long start = System.nanoTime();
    for (int q = 0; q < QUEUES; q++) {
      long t0 = System.nanoTime();
      long n = readQueue(topic, q, bodyBytes);
      seconds[q] = (System.nanoTime() - t0) / 1e9;
      if (n != expected[q]) {
        problems.add(
            "read " + topic + " queue " + q + ": " + n + " messages, expected " + expected[q]);
      }
      total += n;
      minRate = Math.min(minRate, n / seconds[q]);
      maxRate = Math.max(maxRate, n / seconds[q]);
    }
    double all = (System.nanoTime() - start) / 1e9;
    return new QueueReadRow(new QueueRead(topic, bodyBytes, total, all, minRate, maxRate), seconds);
  }

  /** Reads one queue to its end, checking order and content; returns the messages read. */
  private long readQueue(String topic, int q, int bodyBytes) {
    long offset = store.minQueueOffset(topic, q);
    long end = store.maxQueueOffset(topic, q);
    long n = 0;
    while (offset < end) {
      QueueReadResult r = store.read(topic, q, offset, BATCH, MessageFilter.ALL);
      if (r.status() != QueueReadStatus.FOUND || !r.corruptedOffsets().isEmpty()) {
        problems.add("read " + topic + " queue " + q + " at " + offset + ": " + summary(r));
        return n;
      }
      for (StoredMessage m : r.messages()) {
        if (m.queueOffset() != offset
            || m.queueId() != q
            || !m.topic().equals(topic)
            || m.body().remaining() != bodyBytes) {
          problems.add(
              "read "
                  + topic
                  + " queue "
                  + q
                  + ": expected offset "
                  + offset
                  + " with a "
                  + bodyBytes
                  + " B body, got "
                  + m.topic()
                  + "/"
                  + m.queueId()
                  + " offset "
                  + m.queueOffset()
                  + " body "
                  + m.body().remaining()
                  + " B");
          return n;
        }
        offset++;
        n++;
      }
      if (r.nextOffset() != offset) {
        problems.add(
            "read " + topic + " queue " + q + ": nextOffset " + r.nextOffset() + " != " + offset);
        return n;
      }
    }
    return n;
  }

  /** Reads queue q of the small topic with a filter on the rare tag. */
  private FilteredRead filtered(int q, long units) {
    MessageFilter rare = MessageFilter.anyTag(Set.of(RARE_TAG));
    long offset = store.minQueueOffset(SMALL, q);
    long end = store.maxQueueOffset(SMALL, q);
    long matched = 0;
    long t0 = System.nanoTime();
    while (offset < end) {
      QueueReadResult r = store.read(SMALL, q, offset, BATCH, rare);
      if (r.status() != QueueReadStatus.FOUND && r.status() != QueueReadStatus.NO_MATCHED_MESSAGE) {
        problems.add("filtered read queue " + q + " at " + offset + ": " + summary(r));
        break;
      }
      if (r.nextOffset() <= offset) {
        problems.add("filtered read queue " + q + " made no progress at " + offset);
        break;
      }
      for (StoredMessage m : r.messages()) {
        if (!m.tags().equals(RARE_TAG) || m.queueOffset() % 10 != 0) {
          problems.add("filtered read returned " + m.tags() + " at offset " + m.queueOffset());
        }
      }
      matched += r.messages().size();
      offset = r.nextOffset();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long expected = (units + 9) / 10;
    if (matched != expected) {
      problems.add("filtered read queue " + q + ": " + matched + " matched, expected " + expected);
    }
    return new FilteredRead(units, matched, seconds, 0);
  }

  private static String summary(QueueReadResult r) {
    return r.status()
        + " next="
        + r.nextOffset()
        + " min="
        + r.minOffset()
        + " max="
        + r.maxOffset()
        + " corrupted="
        + r.corruptedOffsets();
  }
}
