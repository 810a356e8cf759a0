package io.edgemq.store.retention;

import static io.edgemq.store.StoreFixtures.SEGMENT;
import static io.edgemq.store.StoreFixtures.append;
import static io.edgemq.store.StoreFixtures.awaitDispatched;
import static io.edgemq.store.StoreFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.QueueReadStatus;
import io.edgemq.store.api.ReadStatus;
import io.edgemq.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
  private static final String TOPIC = "ret";
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(1_800_000_000_000L);

  private static Message kib(long seq) {
    return Message.builder()
        .topic(TOPIC)
        .queueId(0)
        .keys(List.of("k" + seq))
        .body(new byte[1024])
        .build();
  }

  private List<AppendResult> write(MessageStore store, long from, long to) {
    List<AppendResult> out = new ArrayList<>();
    for (long s = from; s < to; s++) {
      out.add(append(store, kib(s)));
    }
    return out;
  }

  @Test
  void shouldDeleteExpiredSegmentsAndAnswerGoneForWhatTheyHeld() throws Exception {
    try (MessageStore store =
        MessageStore.open(
            config(dir, FlushMode.ASYNC)
                .retention(Duration.ofHours(1))
                .indexEntriesPerFile(1024)
                .build(),
            clock)) {
      List<AppendResult> old = write(store, 0, 2400); // about 2.6 segments
      clock.advance(Duration.ofHours(2));
      List<AppendResult> fresh = write(store, 2400, 4000);
      awaitDispatched(store);
      int segmentsBefore = store.stats().segmentCount();
      int indexFilesBefore = store.stats().indexFileCount();

      assertThat(store.runRetention()).isEqualTo(2);

      long min = store.stats().commitLogMinOffset();
      assertThat(min).isEqualTo(2L * SEGMENT);
      assertThat(store.stats().segmentCount()).isEqualTo(segmentsBefore - 2);
      assertThat(store.stats().indexFileCount()).isLessThan(indexFilesBefore);
      assertThat(store.readAt(old.get(0).physicalOffset()).status()).isEqualTo(ReadStatus.GONE);
      assertThat(store.findByKey(TOPIC, "k0", 0, Long.MAX_VALUE, 1)).isEmpty();

      QueueReadResult gone = store.read(TOPIC, 0, 0, 10, MessageFilter.ALL);
      assertThat(gone.status()).isEqualTo(QueueReadStatus.OFFSET_GONE);
      long firstKept = gone.nextOffset();
      assertThat(old.get((int) firstKept).physicalOffset()).isGreaterThanOrEqualTo(min);
      assertThat(old.get((int) firstKept - 1).physicalOffset()).isLessThan(min);
      QueueReadResult kept = store.read(TOPIC, 0, firstKept, 10, MessageFilter.ALL);
      assertThat(kept.messages()).hasSize(10);
      assertThat(kept.messages().get(0).queueOffset()).isEqualTo(firstKept);
      assertThat(store.findByKey(TOPIC, "k3999", 0, Long.MAX_VALUE, 1)).hasSize(1);
      assertThat(fresh.get(0).physicalOffset()).isGreaterThan(min);
      assertThat(countFiles(dir.resolve("consumequeue"))).isLessThan(4);
    }
  }

  @Test
  void shouldKeepSegmentsYoungerThanTheRetention() throws Exception {
    try (MessageStore store =
        MessageStore.open(
            config(dir, FlushMode.ASYNC).retention(Duration.ofHours(1)).build(), clock)) {
      write(store, 0, 3000);
      awaitDispatched(store);
      clock.advance(Duration.ofMinutes(59));
      assertThat(store.runRetention()).isZero();
      assertThat(store.read(TOPIC, 0, 0, 1, MessageFilter.ALL).messages()).hasSize(1);
    }
  }

  @Test
  void shouldDeleteOldestSegmentsUnderDiskPressureButNeverTheNewest() throws Exception {
    try (MessageStore store =
        MessageStore.open(config(dir, FlushMode.ASYNC).diskCleanRatio(0.000_001).build(), clock)) {
      write(store, 0, 4000);
      awaitDispatched(store);
      assertThat(store.stats().segmentCount()).isEqualTo(5);
      assertThat(store.runRetention()).isEqualTo(4);
      assertThat(store.stats().segmentCount()).isEqualTo(1);
      assertThat(append(store, kib(4000)).isOk()).isTrue();
      awaitDispatched(store);
      long max = store.maxQueueOffset(TOPIC, 0);
      assertThat(store.read(TOPIC, 0, max - 1, 1, MessageFilter.ALL).messages()).hasSize(1);
    }
  }

  @Test
  void shouldKeepRetentionStateAcrossARestart() throws Exception {
    try (MessageStore store =
        MessageStore.open(config(dir, FlushMode.ASYNC).diskCleanRatio(0.000_001).build(), clock)) {
      write(store, 0, 2000);
      awaitDispatched(store);
      store.runRetention();
    }
    try (MessageStore store = MessageStore.open(config(dir, FlushMode.ASYNC).build(), clock)) {
      assertThat(store.recoveryReport().cleanShutdown()).isTrue();
      long min = store.minQueueOffset(TOPIC, 0);
      assertThat(min).isPositive();
      assertThat(store.read(TOPIC, 0, 0, 1, MessageFilter.ALL).status())
          .isEqualTo(QueueReadStatus.OFFSET_GONE);
      assertThat(store.read(TOPIC, 0, min, 1, MessageFilter.ALL).messages()).hasSize(1);
    }
  }

  private static long countFiles(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).count();
    }
  }
}
