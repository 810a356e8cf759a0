package io.edgemq.store;

import static org.awaitility.Awaitility.await;

import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Small configs and messages shared by the store tests. */
public final class StoreFixtures {
  /** A segment small enough that tests roll across several. */
  public static final int SEGMENT = 1 << 20;

  private StoreFixtures() {}

  /**
   * A config with small files, fast periods and 64 KiB messages.
   *
   * @param dir the store directory
   * @param mode the flush mode
   * @return a builder to adjust
   */
  public static StoreConfig.Builder config(Path dir, FlushMode mode) {
    return StoreConfig.builder(dir)
        .flushMode(mode)
        .commitLogSegmentBytes(SEGMENT)
        .maxMessageBytes(64 * 1024)
        .consumeQueueUnitsPerFile(1024)
        .indexSlotCount(1024)
        .indexEntriesPerFile(4096)
        .flushInterval(Duration.ofMillis(20))
        // Tests must not depend on how full this machine's disk is; disk tests set their own.
        .diskCleanRatio(1.0)
        .diskRefuseWritesRatio(1.0)
        .retentionCheckInterval(Duration.ofHours(1))
        .checkpointInterval(Duration.ofMillis(100));
  }

  /**
   * A message whose body names it, so reads can be checked byte for byte.
   *
   * @param topic the topic
   * @param queueId the queue id
   * @param seq a sequence number
   * @return the message
   */
  public static Message message(String topic, int queueId, long seq) {
    return Message.builder()
        .topic(topic)
        .queueId(queueId)
        .tags(seq % 2 == 0 ? "even" : "odd")
        .keys(List.of("key-" + seq))
        .properties(Map.of("seq", Long.toString(seq)))
        .body(body(seq))
        .bornTimestamp(1_700_000_000_000L + seq)
        .build();
  }

  /**
   * The body of {@link #message}.
   *
   * @param seq the sequence number
   * @return the body
   */
  public static byte[] body(long seq) {
    return ("payload-" + seq + "-" + "x".repeat((int) (seq % 200)))
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Appends and waits.
   *
   * @param store the store
   * @param m the message
   * @return the result
   */
  public static AppendResult append(MessageStore store, Message m) {
    return store.append(m).join();
  }

  /**
   * Waits until everything written is in the consume queues.
   *
   * @param store the store
   */
  public static void awaitDispatched(MessageStore store) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> store.stats().dispatchedOffset() >= store.stats().writtenOffset());
  }
}
