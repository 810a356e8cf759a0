package io.edgemq.store.api;

import static io.edgemq.store.StoreFixtures.append;
import static io.edgemq.store.StoreFixtures.awaitDispatched;
import static io.edgemq.store.StoreFixtures.body;
import static io.edgemq.store.StoreFixtures.config;
import static io.edgemq.store.StoreFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageStoreTest {
  @TempDir Path dir;
  private MessageStore store;

  @AfterEach
  void close() throws Exception {
    if (store != null) {
      store.close();
    }
  }

  private MessageStore open(FlushMode mode) throws Exception {
    store = MessageStore.open(config(dir, mode).build(), Clock.systemUTC());
    return store;
  }

  @ParameterizedTest
  @EnumSource(FlushMode.class)
  void shouldReadBackEveryFieldByQueueOffset(FlushMode mode) throws Exception {
    open(mode);
    Message m =
        Message.builder()
            .topic("telemetry")
            .queueId(3)
            .tags("temp")
            .keys(List.of("dev-1", "order-9"))
            .properties(Map.of("mqtt.topic", "factory/l1/dev-1/telemetry", "qos", "1"))
            .body(new byte[] {1, 2, 3})
            .bornTimestamp(1234)
            .bornHost(new InetSocketAddress("10.1.2.3", 5555))
            .flags(7)
            .build();
    AppendResult r = append(store, m);
    assertThat(r.status()).isEqualTo(AppendStatus.OK);
    assertThat(r.queueOffset()).isZero();
    awaitDispatched(store);

    QueueReadResult q = store.read("telemetry", 3, 0, 10, MessageFilter.ALL);
    assertThat(q.status()).isEqualTo(QueueReadStatus.FOUND);
    assertThat(q.nextOffset()).isEqualTo(1);
    StoredMessage s = q.messages().get(0);
    assertThat(s.messageId()).isEqualTo(r.messageId());
    assertThat(s.topic()).isEqualTo("telemetry");
    assertThat(s.queueId()).isEqualTo(3);
    assertThat(s.tags()).isEqualTo("temp");
    assertThat(s.keys()).containsExactly("dev-1", "order-9");
    assertThat(s.properties()).isEqualTo(m.properties());
    assertThat(s.bodyBytes()).containsExactly(1, 2, 3);
    assertThat(s.bornTimestamp()).isEqualTo(1234);
    assertThat(s.bornHost()).isEqualTo(new InetSocketAddress("10.1.2.3", 5555));
    assertThat(s.flags()).isEqualTo(7);
    assertThat(s.physicalOffset()).isEqualTo(r.physicalOffset());
    assertThat(s.storeTimestamp()).isEqualTo(r.storeTimestamp());
  }

  @Test
  void shouldFindByPhysicalOffsetIdAndKey() throws Exception {
    open(FlushMode.ASYNC);
    List<AppendResult> results = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      results.add(append(store, message("orders", i % 4, i)));
    }
    awaitDispatched(store);
    AppendResult r7 = results.get(7);
    assertThat(store.readAt(r7.physicalOffset()).message().bodyBytes()).isEqualTo(body(7));
    assertThat(store.findById(r7.messageId()))
        .get()
        .extracting(StoredMessage::queueOffset)
        .isEqualTo(r7.queueOffset());
    assertThat(store.findById(MessageId.parse("0".repeat(32)))).isEmpty();
    List<StoredMessage> byKey = store.findByKey("orders", "key-7", 0, Long.MAX_VALUE, 10);
    assertThat(byKey).singleElement().satisfies(s -> assertThat(s.bodyBytes()).isEqualTo(body(7)));
    assertThat(store.findByKey("other", "key-7", 0, Long.MAX_VALUE, 10)).isEmpty();
    long t = r7.storeTimestamp();
    assertThat(store.findByKey("orders", "key-7", t + 1, Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void shouldFilterByTagOnTheBrokerSide() throws Exception {
    open(FlushMode.ASYNC);
    for (int i = 0; i < 100; i++) {
      append(store, message("t", 0, i));
    }
    awaitDispatched(store);
    QueueReadResult odd = store.read("t", 0, 0, 1000, MessageFilter.anyTag(Set.of("odd")));
    assertThat(odd.messages()).hasSize(50).allMatch(m -> m.tags().equals("odd"));
    assertThat(odd.nextOffset()).isEqualTo(100);
    QueueReadResult none = store.read("t", 0, 0, 1000, MessageFilter.anyTag(Set.of("nope")));
    assertThat(none.status()).isEqualTo(QueueReadStatus.NO_MATCHED_MESSAGE);
    assertThat(none.nextOffset()).isEqualTo(100);
  }

  @Test
  void shouldAnswerQueueEdgesWithStatuses() throws Exception {
    open(FlushMode.ASYNC);
    assertThat(store.read("nothing", 0, 0, 1, MessageFilter.ALL).status())
        .isEqualTo(QueueReadStatus.NO_QUEUE);
    append(store, message("t", 0, 0));
    awaitDispatched(store);
    assertThat(store.read("t", 0, 1, 1, MessageFilter.ALL).status())
        .isEqualTo(QueueReadStatus.NO_NEW_MESSAGE);
    QueueReadResult over = store.read("t", 0, 5, 1, MessageFilter.ALL);
    assertThat(over.status()).isEqualTo(QueueReadStatus.OFFSET_OVERFLOW);
    assertThat(over.nextOffset()).isEqualTo(1);
    assertThat(store.readAt(999_999).status()).isEqualTo(ReadStatus.NOT_FOUND);
  }

  @Test
  void shouldRefuseBadInputWithAStatusAndWriteNothing() throws Exception {
    open(FlushMode.SYNC);
    byte[] big = new byte[64 * 1024 + 1];
    assertThat(append(store, Message.builder().topic("t").body(big).build()).status())
        .isEqualTo(AppendStatus.MESSAGE_TOO_LARGE);
    assertThat(append(store, Message.builder().topic("").build()).status())
        .isEqualTo(AppendStatus.TOPIC_INVALID);
    assertThat(append(store, Message.builder().topic("a/b").build()).status())
        .isEqualTo(AppendStatus.TOPIC_INVALID);
    assertThat(append(store, Message.builder().topic("a#b").build()).status())
        .isEqualTo(AppendStatus.TOPIC_INVALID);
    assertThat(append(store, Message.builder().topic("x".repeat(128)).build()).status())
        .isEqualTo(AppendStatus.TOPIC_INVALID);
    assertThat(append(store, Message.builder().topic("t").queueId(-1).build()).status())
        .isEqualTo(AppendStatus.MESSAGE_INVALID);
    assertThat(append(store, Message.builder().topic("t").keys(List.of("")).build()).status())
        .isEqualTo(AppendStatus.MESSAGE_INVALID);
    Map<String, String> huge = Map.of("p", "v".repeat(40_000));
    AppendResult r = append(store, Message.builder().topic("t").properties(huge).build());
    assertThat(r.status()).isEqualTo(AppendStatus.MESSAGE_INVALID);
    assertThat(r.reason()).contains("properties");
    assertThat(store.stats().writtenOffset()).isZero();
  }

  @ParameterizedTest
  @EnumSource(FlushMode.class)
  void shouldAppendBatchesContiguouslyAcrossSegmentRolls(FlushMode mode) throws Exception {
    open(mode);
    long seq = 0;
    for (int b = 0; b < 100; b++) {
      List<Message> batch = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        batch.add(message("batch", 1, seq++));
      }
      BatchAppendResult r = store.appendBatch(batch).join();
      assertThat(r.status()).isEqualTo(AppendStatus.OK);
      assertThat(r.results())
          .extracting(AppendResult::queueOffset)
          .containsExactlyElementsOf(
              java.util.stream.LongStream.range(seq - 50, seq).boxed().toList());
    }
    awaitDispatched(store);
    assertThat(store.stats().segmentCount()).isGreaterThan(1);
    long offset = 0;
    long expected = 0;
    while (offset < store.maxQueueOffset("batch", 1)) {
      QueueReadResult q = store.read("batch", 1, offset, 100, MessageFilter.ALL);
      for (StoredMessage m : q.messages()) {
        assertThat(m.bodyBytes()).isEqualTo(body(expected++));
      }
      offset = q.nextOffset();
    }
    assertThat(expected).isEqualTo(5000);
  }

  @ParameterizedTest
  @EnumSource(FlushMode.class)
  void shouldKeepEveryByteWhenTheStagingRingWrapsManyTimes(FlushMode mode) throws Exception {
    // A ring of four largest records (about 520 KiB) wraps about ten times over 5 MB of records.
    store =
        MessageStore.open(
            config(dir, mode).stagingBufferBytes(4 * (64 * 1024 + 65_536)).build(),
            Clock.systemUTC());
    java.util.Random rnd = new java.util.Random(11);
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      byte[] b = new byte[rnd.nextInt(25_000)];
      rnd.nextBytes(b);
      bodies.add(b);
      assertThat(append(store, Message.builder().topic("wrap").body(b).build()).isOk()).isTrue();
      if (i % 50 == 49) {
        List<Message> batch = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
          byte[] small = new byte[1 + rnd.nextInt(2000)];
          rnd.nextBytes(small);
          bodies.add(small);
          batch.add(Message.builder().topic("wrap").body(small).build());
        }
        assertThat(store.appendBatch(batch).join().isOk()).isTrue();
      }
    }
    awaitDispatched(store);
    long offset = 0;
    int i = 0;
    while (offset < store.maxQueueOffset("wrap", 0)) {
      QueueReadResult q = store.read("wrap", 0, offset, 64, MessageFilter.ALL);
      assertThat(q.corruptedOffsets()).isEmpty();
      for (StoredMessage m : q.messages()) {
        assertThat(m.bodyBytes()).as("message %d", i).isEqualTo(bodies.get(i++));
      }
      offset = q.nextOffset();
    }
    assertThat(i).isEqualTo(bodies.size());
  }

  @Test
  void shouldRefuseMixedAndOversizeBatches() throws Exception {
    open(FlushMode.ASYNC);
    assertThat(store.appendBatch(List.of()).join().status())
        .isEqualTo(AppendStatus.MESSAGE_INVALID);
    assertThat(store.appendBatch(List.of(message("a", 0, 0), message("a", 1, 1))).join().status())
        .isEqualTo(AppendStatus.MESSAGE_INVALID);
    List<Message> big = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      big.add(Message.builder().topic("a").body(new byte[30_000]).build());
    }
    assertThat(store.appendBatch(big).join().status()).isEqualTo(AppendStatus.MESSAGE_TOO_LARGE);
  }

  @Test
  void shouldTellArrivalListenersOfEachMessage() throws Exception {
    open(FlushMode.ASYNC);
    List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    store.addArrivalListener((topic, queueId, queueOffset, tagHash) -> seen.add(queueOffset));
    for (int i = 0; i < 10; i++) {
      append(store, message("t", 2, i));
    }
    awaitDispatched(store);
    assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void shouldRefuseAppendsAfterClose() throws Exception {
    open(FlushMode.ASYNC);
    store.close();
    assertThat(append(store, message("t", 0, 0)).status()).isEqualTo(AppendStatus.STORE_CLOSED);
    store = null;
  }
}
