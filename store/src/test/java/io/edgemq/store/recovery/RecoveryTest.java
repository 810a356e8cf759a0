package io.edgemq.store.recovery;

import static io.edgemq.store.StoreFixtures.append;
import static io.edgemq.store.StoreFixtures.awaitDispatched;
import static io.edgemq.store.StoreFixtures.body;
import static io.edgemq.store.StoreFixtures.config;
import static io.edgemq.store.StoreFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.ReadStatus;
import io.edgemq.store.api.RecoveryReport;
import io.edgemq.store.api.StoredMessage;
import io.edgemq.store.file.SegmentedFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unclean stops are simulated by copying the store directory while the store is open: the copy
 * holds exactly what a process killed at that moment leaves in the page cache (abort marker
 * included). Damage is then done to the copy's bytes.
 */
class RecoveryTest {
  private static final String TOPIC = "rec";
  @TempDir Path tmp;

  private List<AppendResult> fill(MessageStore store, int n) {
    List<AppendResult> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(append(store, message(TOPIC, 0, i)));
    }
    awaitDispatched(store);
    return out;
  }

  private static MessageStore open(Path dir) throws IOException {
    return MessageStore.open(config(dir, FlushMode.ASYNC).build(), Clock.systemUTC());
  }

  private static void snapshot(Path from, Path to) throws IOException {
    // The store keeps running: a temporary file (checkpoint.tmp, *.alloc) can vanish while the
    // directory is walked. Start again then; a crash at that moment would not have it either.
    for (int attempt = 1; ; attempt++) {
      try {
        if (Files.exists(to)) {
          deleteTree(to);
        }
        copyTree(from, to);
        return;
      } catch (java.io.UncheckedIOException e) {
        if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          try {
            Files.copy(p, target);
          } catch (java.nio.file.NoSuchFileException gone) {
            // renamed away while we walked; see snapshot()
          }
        }
      }
    }
  }

  private static Path segmentOf(Path store, long offset) {
    long base = offset - offset % io.edgemq.store.StoreFixtures.SEGMENT;
    return store.resolve("commitlog").resolve(SegmentedFile.fileName(base));
  }

  private static void writeAt(Path file, long pos, byte[] bytes) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(pos);
      f.write(bytes);
    }
  }

  private static List<byte[]> readQueue(MessageStore store) {
    List<byte[]> out = new ArrayList<>();
    long offset = store.minQueueOffset(TOPIC, 0);
    while (offset < store.maxQueueOffset(TOPIC, 0)) {
      QueueReadResult r = store.read(TOPIC, 0, offset, 100, MessageFilter.ALL);
      r.messages().forEach(m -> out.add(m.bodyBytes()));
      offset = r.nextOffset();
    }
    return out;
  }

  @Test
  void shouldStartWithoutAScanAfterACleanClose() throws Exception {
    Path dir = tmp.resolve("s");
    try (MessageStore store = open(dir)) {
      fill(store, 500);
    }
    try (MessageStore store = open(dir)) {
      RecoveryReport r = store.recoveryReport();
      assertThat(r.cleanShutdown()).isTrue();
      assertThat(r.recordsScanned()).isZero();
      assertThat(readQueue(store)).hasSize(500);
      assertThat(store.findByKey(TOPIC, "key-123", 0, Long.MAX_VALUE, 5)).hasSize(1);
      assertThat(append(store, message(TOPIC, 0, 500)).queueOffset()).isEqualTo(500);
    }
  }

  @Test
  void shouldRecoverEverythingAfterAnUncleanStop() throws Exception {
    Path dir = tmp.resolve("s");
    Path crashed = tmp.resolve("crashed");
    try (MessageStore store = open(dir)) {
      fill(store, 3000);
      snapshot(dir, crashed);
    }
    try (MessageStore store = open(crashed)) {
      RecoveryReport r = store.recoveryReport();
      assertThat(r.cleanShutdown()).isFalse();
      assertThat(r.truncatedBytes()).isZero();
      assertThat(r.corruptedOffsets()).isEmpty();
      List<byte[]> bodies = readQueue(store);
      assertThat(bodies).hasSize(3000);
      for (int i = 0; i < 3000; i++) {
        assertThat(bodies.get(i)).isEqualTo(body(i));
      }
      assertThat(store.findByKey(TOPIC, "key-2999", 0, Long.MAX_VALUE, 5)).hasSize(1);
      assertThat(append(store, message(TOPIC, 0, 3000)).queueOffset()).isEqualTo(3000);
    }
  }

  @Test
  void shouldRebuildConsumeQueuesAndIndexWhenTheyAreLost() throws Exception {
    Path dir = tmp.resolve("s");
    Path crashed = tmp.resolve("crashed");
    try (MessageStore store = open(dir)) {
      fill(store, 800);
      snapshot(dir, crashed);
    }
    Files.deleteIfExists(crashed.resolve("checkpoint"));
    deleteTree(crashed.resolve("consumequeue"));
    deleteTree(crashed.resolve("index"));
    try (MessageStore store = open(crashed)) {
      assertThat(store.recoveryReport().redispatchedFrom()).isZero();
      assertThat(readQueue(store)).hasSize(800);
      assertThat(store.findByKey(TOPIC, "key-5", 0, Long.MAX_VALUE, 5)).hasSize(1);
    }
  }

  @Test
  void shouldTruncateATornTailAndReuseItsQueueOffset() throws Exception {
    Path dir = tmp.resolve("s");
    Path crashed = tmp.resolve("crashed");
    List<AppendResult> written;
    try (MessageStore store = open(dir)) {
      written = fill(store, 100);
      snapshot(dir, crashed);
    }
    AppendResult last = written.get(99);
    long pos = last.physicalOffset() % io.edgemq.store.StoreFixtures.SEGMENT;
    // The process died half-way through copying the last record: its second half never landed.
    writeAt(
        segmentOf(crashed, last.physicalOffset()),
        pos + last.storeSize() / 2,
        new byte[last.storeSize()]);
    writeCheckpointAt(crashed, 0);
    try (MessageStore store = open(crashed)) {
      RecoveryReport r = store.recoveryReport();
      assertThat(r.commitLogEnd()).isEqualTo(last.physicalOffset());
      assertThat(r.truncatedBytes()).isPositive();
      assertThat(r.unitsDropped()).isEqualTo(1);
      assertThat(readQueue(store)).hasSize(99);
      assertThat(store.readAt(last.physicalOffset()).status()).isEqualTo(ReadStatus.NOT_FOUND);
      AppendResult again = append(store, message(TOPIC, 0, 99));
      assertThat(again.queueOffset()).isEqualTo(99);
      assertThat(again.physicalOffset()).isEqualTo(last.physicalOffset());
      awaitDispatched(store);
      assertThat(readQueue(store)).hasSize(100);
    }
  }

  @Test
  void shouldTruncateGarbageAfterTheLastRecord() throws Exception {
    Path dir = tmp.resolve("s");
    Path crashed = tmp.resolve("crashed");
    List<AppendResult> written;
    try (MessageStore store = open(dir)) {
      written = fill(store, 50);
      snapshot(dir, crashed);
    }
    AppendResult last = written.get(49);
    long end = last.physicalOffset() + last.storeSize();
    byte[] garbage = new byte[300];
    new java.util.Random(7).nextBytes(garbage);
    writeAt(segmentOf(crashed, end), end % io.edgemq.store.StoreFixtures.SEGMENT, garbage);
    try (MessageStore store = open(crashed)) {
      assertThat(store.recoveryReport().commitLogEnd()).isEqualTo(end);
      assertThat(store.recoveryReport().truncatedBytes()).isGreaterThan(250);
      assertThat(readQueue(store)).hasSize(50);
    }
  }

  @Test
  void shouldReportACorruptedRecordInTheMiddleAndKeepEverythingAfterIt() throws Exception {
    Path dir = tmp.resolve("s");
    Path crashed = tmp.resolve("crashed");
    List<AppendResult> written;
    try (MessageStore store = open(dir)) {
      written = fill(store, 20);
      snapshot(dir, crashed);
    }
    AppendResult victim = written.get(10);
    long lastByte = victim.physicalOffset() + victim.storeSize() - 1;
    writeAt(
        segmentOf(crashed, lastByte),
        lastByte % io.edgemq.store.StoreFixtures.SEGMENT,
        new byte[] {(byte) 0xAA});
    writeCheckpointAt(crashed, 0);
    try (MessageStore store = open(crashed)) {
      RecoveryReport r = store.recoveryReport();
      assertThat(r.corruptedOffsets()).containsExactly(victim.physicalOffset());
      assertThat(r.commitLogEnd())
          .isEqualTo(written.get(19).physicalOffset() + written.get(19).storeSize());
      assertThat(store.readAt(victim.physicalOffset()).status()).isEqualTo(ReadStatus.CORRUPTED);
      QueueReadResult q = store.read(TOPIC, 0, 0, 100, MessageFilter.ALL);
      assertThat(q.corruptedOffsets()).containsExactly(10L);
      assertThat(q.messages()).hasSize(19);
      assertThat(q.messages().get(10).bodyBytes()).isEqualTo(body(11));
      assertThat(store.stats().corruptRecords()).isEqualTo(1);
    }
  }

  @Test
  void shouldReportCorruptionFoundByReadsAfterACleanStart() throws Exception {
    Path dir = tmp.resolve("s");
    List<AppendResult> written;
    try (MessageStore store = open(dir)) {
      written = fill(store, 20);
    }
    AppendResult victim = written.get(4);
    long b = victim.physicalOffset() + victim.storeSize() - 3;
    writeAt(segmentOf(dir, b), b % io.edgemq.store.StoreFixtures.SEGMENT, new byte[] {0x55});
    try (MessageStore store = open(dir)) {
      assertThat(store.recoveryReport().cleanShutdown()).isTrue();
      QueueReadResult q = store.read(TOPIC, 0, 0, 100, MessageFilter.ALL);
      assertThat(q.corruptedOffsets()).containsExactly(4L);
      assertThat(q.messages())
          .extracting(StoredMessage::queueOffset)
          .doesNotContain(4L)
          .hasSize(19);
      assertThat(store.readAt(victim.physicalOffset()).reason()).contains("CRC32C");
    }
  }

  @Test
  void shouldRefuseToOpenAStoreThatIsAlreadyOpen() throws Exception {
    Path dir = tmp.resolve("s");
    try (MessageStore store = open(dir)) {
      assertThatThrownBy(() -> open(dir))
          .isInstanceOf(StoreLock.StoreLockedException.class)
          .hasMessageContaining("already open");
    }
  }

  @Test
  void shouldRefuseSegmentsOfAnotherSize() throws Exception {
    Path dir = tmp.resolve("s");
    try (MessageStore store = open(dir)) {
      fill(store, 10);
    }
    assertThatThrownBy(
            () ->
                MessageStore.open(
                    config(dir, FlushMode.ASYNC).commitLogSegmentBytes(2 << 20).build(),
                    Clock.systemUTC()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("expected");
  }

  private static void writeCheckpointAt(Path store, long offset) throws IOException {
    new Checkpoint(offset, offset, 0).write(store);
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
