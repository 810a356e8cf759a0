package io.edgemq.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexServiceTest {

  private static final long T0 = 1_764_052_800_000L;

  @TempDir Path dir;

  private IndexService open(int slotCount, int maxEntries, long commitLogMaxOffset)
      throws IOException {
    IndexService service = new IndexService(dir, slotCount, maxEntries);
    service.load(commitLogMaxOffset);
    return service;
  }

  /** The index files in the directory, oldest first, without temporary files. */
  private List<Path> indexFiles() throws IOException {
    try (Stream<Path> stream = Files.list(dir)) {
      return stream
          .filter(p -> IndexDescriptor.isFileName(p.getFileName().toString()))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static void writeInt(Path file, int position, int value) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(4).putInt(0, value), position);
    }
  }

  @Test
  void shouldFindKeyWithinTimeRangeNewestFirst() throws IOException {
    try (IndexService index = open(64, 100, Long.MAX_VALUE)) {
      index.put("order-1", 100, T0);
      index.put("order-2", 200, T0 + 1);
      index.put("order-1", 300, T0 + 2);
      index.put("order-1", 400, T0 + 3);

      assertThat(index.query("order-1", T0, T0 + 10, 10)).containsExactly(400L, 300L, 100L);
      assertThat(index.query("order-2", T0, T0 + 10, 10)).containsExactly(200L);
      assertThat(index.query("order-1", T0, T0 + 10, 2)).containsExactly(400L, 300L);
      assertThat(index.query("missing", T0, T0 + 10, 10)).isEmpty();
      assertThat(index.query("order-1", T0, T0 + 10, 0)).isEmpty();
      assertThat(index.maxIndexedPhysicalOffset()).isEqualTo(400);
      assertThat(index.fileCount()).isEqualTo(1);
    }
  }

  @Test
  void shouldFilterByTimeRangeInclusive() throws IOException {
    try (IndexService index = open(64, 100, Long.MAX_VALUE)) {
      for (int i = 0; i < 10; i++) {
        index.put("sensor", i * 10L, T0 + i * 1000L);
      }

      assertThat(index.query("sensor", T0 + 3000, T0 + 5000, 10)).containsExactly(50L, 40L, 30L);
      assertThat(index.query("sensor", T0 + 3001, T0 + 4999, 10)).containsExactly(40L);
      assertThat(index.query("sensor", T0 - 5000, T0 - 1, 10)).isEmpty();
      assertThat(index.query("sensor", T0 + 9001, Long.MAX_VALUE, 10)).isEmpty();
      assertThat(index.query("sensor", T0 + 5000, T0 + 3000, 10)).isEmpty();
    }
  }

  @Test
  void shouldReturnOnlyMatchingKeysWhenSlotsCollide() throws IOException {
    List<String> keys = new ArrayList<>();
    Set<Long> hashes = new HashSet<>();
    for (int k = 0; k < 50; k++) {
      keys.add("device-" + k);
      hashes.add(IndexDescriptor.keyHash("device-" + k));
    }
    assertThat(hashes).as("test keys must have distinct 64-bit hashes").hasSize(keys.size());

    Map<String, List<Long>> expected = new HashMap<>();
    try (IndexService index = open(4, 10_000, Long.MAX_VALUE)) {
      for (int i = 0; i < 1000; i++) {
        String key = keys.get(i % keys.size());
        index.put(key, i * 8L, T0 + i);
        expected.computeIfAbsent(key, k -> new ArrayList<>()).add(0, i * 8L);
      }

      for (String key : keys) {
        assertThat(index.query(key, 0, Long.MAX_VALUE, 1000))
            .as(key)
            .containsExactlyElementsOf(expected.get(key));
      }
      assertThat(index.query("device-50", 0, Long.MAX_VALUE, 1000)).isEmpty();
    }
  }

  @Test
  void shouldRollAcrossFilesAndQuerySpanningThem() throws IOException {
    try (IndexService index = open(8, 10, Long.MAX_VALUE)) {
      for (int i = 0; i < 45; i++) {
        index.put(i % 3 == 0 ? "a" : "b", i, T0 + i);
      }

      assertThat(index.fileCount()).isEqualTo(5);
      assertThat(indexFiles())
          .hasSize(5)
          .allSatisfy(p -> assertThat(p.getFileName().toString()).matches("\\d{20}"));
      assertThat(index.query("a", T0 + 5, T0 + 25, 100))
          .containsExactly(24L, 21L, 18L, 15L, 12L, 9L, 6L);
      assertThat(index.query("a", 0, Long.MAX_VALUE, 4)).containsExactly(42L, 39L, 36L, 33L);
      assertThat(index.query("b", 0, Long.MAX_VALUE, 100)).hasSize(30).startsWith(44L, 43L, 41L);
    }
  }

  @Test
  void shouldRollWhenTimeDeltaWouldOverflow() throws IOException {
    try (IndexService index = open(8, 100, Long.MAX_VALUE)) {
      long late = T0 + Integer.MAX_VALUE + 1L;
      index.put("k", 1, T0);
      index.put("k", 2, T0 + Integer.MAX_VALUE);
      assertThat(index.fileCount()).isEqualTo(1);
      index.put("k", 3, late);

      assertThat(index.fileCount()).isEqualTo(2);
      assertThat(index.query("k", late, late, 10)).containsExactly(3L);
      assertThat(index.query("k", T0, late - 1, 10)).containsExactly(2L, 1L);
    }
  }

  @Test
  void shouldClampStoreTimeThatGoesBackwards() throws IOException {
    try (IndexService index = open(8, 100, Long.MAX_VALUE)) {
      index.put("k", 1, T0 + 1000);
      index.put("k", 2, T0); // wall clock stepped back: indexed at T0 + 1000

      assertThat(index.query("k", T0, T0 + 999, 10)).isEmpty();
      assertThat(index.query("k", T0 + 1000, T0 + 1000, 10)).containsExactly(2L, 1L);
    }
  }

  @Test
  void shouldReturnSameResultsAfterReopen() throws IOException {
    try (IndexService index = open(16, 20, Long.MAX_VALUE)) {
      for (int i = 0; i < 50; i++) {
        index.put("key-" + (i % 5), i * 100L, T0 + i);
      }
    }

    try (IndexService index = open(16, 20, Long.MAX_VALUE)) {
      assertThat(index.fileCount()).isEqualTo(3);
      assertThat(index.maxIndexedPhysicalOffset()).isEqualTo(4900);
      assertThat(index.query("key-2", 0, Long.MAX_VALUE, 100))
          .containsExactly(4700L, 4200L, 3700L, 3200L, 2700L, 2200L, 1700L, 1200L, 700L, 200L);
      assertThat(index.query("key-2", T0 + 10, T0 + 30, 100))
          .containsExactly(2700L, 2200L, 1700L, 1200L);

      index.put("key-2", 5000, T0 + 50); // continues in the reopened, partly filled file
      assertThat(index.fileCount()).isEqualTo(3);
      assertThat(index.query("key-2", T0 + 40, Long.MAX_VALUE, 2)).containsExactly(5000L, 4700L);
    }
  }

  @Test
  void shouldDropEntriesPastCommitLogEndOnLoad() throws IOException {
    try (IndexService index = open(4, 10, Long.MAX_VALUE)) {
      for (int i = 0; i < 45; i++) {
        index.put("key-" + (i % 3), i * 100L, T0 + i);
      }
      assertThat(index.fileCount()).isEqualTo(5);
    }

    // CommitLog recovered to offset 2350: entries 0..23 (offsets 0..2300) survive.
    try (IndexService index = open(4, 10, 2350)) {
      assertThat(index.fileCount()).isEqualTo(3);
      assertThat(indexFiles()).hasSize(3);
      assertThat(index.maxIndexedPhysicalOffset()).isEqualTo(2300);
      assertThat(index.query("key-0", 0, Long.MAX_VALUE, 100))
          .containsExactly(2100L, 1800L, 1500L, 1200L, 900L, 600L, 300L, 0L);
      assertThat(index.query("key-2", 0, Long.MAX_VALUE, 100)).first().isEqualTo(2300L);

      for (int i = 24; i < 40; i++) {
        index.put("key-" + (i % 3), i * 100L, T0 + 1000 + i);
      }
      assertThat(index.fileCount()).isEqualTo(4);
      assertThat(index.query("key-0", 0, Long.MAX_VALUE, 4))
          .containsExactly(3900L, 3600L, 3300L, 3000L);
      assertThat(index.query("key-0", T0, T0 + 999, 100))
          .containsExactly(2100L, 1800L, 1500L, 1200L, 900L, 600L, 300L, 0L);
    }

    try (IndexService index = open(4, 10, 2350)) {
      assertThat(index.maxIndexedPhysicalOffset()).isEqualTo(2300);
      assertThat(index.query("key-0", 0, Long.MAX_VALUE, 1)).containsExactly(2100L);
    }
  }

  @Test
  void shouldDeleteAllFilesWhenCommitLogIsEmpty() throws IOException {
    try (IndexService index = open(4, 10, Long.MAX_VALUE)) {
      for (int i = 0; i < 25; i++) {
        index.put("k", i, T0 + i);
      }
    }

    try (IndexService index = open(4, 10, 0)) {
      assertThat(index.fileCount()).isZero();
      assertThat(indexFiles()).isEmpty();
      assertThat(index.maxIndexedPhysicalOffset()).isEqualTo(-1);
      index.put("k", 0, T0);
      assertThat(index.query("k", 0, Long.MAX_VALUE, 10)).containsExactly(0L);
    }
  }

  @Test
  void shouldRepairSlotHeadWhenCrashHitBeforeEntryCountWasWritten() throws IOException {
    try (IndexService index = open(1, 10, Long.MAX_VALUE)) {
      index.put("a", 100, T0);
      index.put("a", 200, T0 + 1);
      index.put("b", 300, T0 + 2);
    }
    // Simulate a crash after the third put published its slot head but before its entry count.
    Path file = indexFiles().get(0);
    writeInt(file, IndexDescriptor.ENTRY_COUNT_OFFSET, 2);

    try (IndexService index = open(1, 10, Long.MAX_VALUE)) {
      assertThat(index.maxIndexedPhysicalOffset()).isEqualTo(200);
      assertThat(index.query("b", 0, Long.MAX_VALUE, 10)).isEmpty();

      index.put("c", 300, T0 + 2); // reuses entry number 3

      assertThat(index.query("a", 0, Long.MAX_VALUE, 10)).containsExactly(200L, 100L);
      assertThat(index.query("c", 0, Long.MAX_VALUE, 10)).containsExactly(300L);
    }
  }

  @Test
  void shouldRemoveLeftoversOfInterruptedCreateAndEmptyFiles() throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(IndexDescriptor.fileName(T0) + ".tmp"), new byte[100]);
    try (IndexService index = new IndexService(dir, 4, 10)) {
      index.put("k", 1, T0); // without load: a fresh directory needs none
    }
    Path file = indexFiles().get(0);
    writeInt(file, IndexDescriptor.ENTRY_COUNT_OFFSET, 0);

    try (IndexService index = open(4, 10, Long.MAX_VALUE)) {
      assertThat(index.fileCount()).isZero();
      try (Stream<Path> left = Files.list(dir)) {
        assertThat(left).isEmpty();
      }
    }
  }

  @Test
  void shouldDeleteOnlyFilesBelowMinimumOffset() throws IOException {
    try (IndexService index = open(8, 10, Long.MAX_VALUE)) {
      for (int i = 0; i < 50; i++) {
        index.put(i % 2 == 0 ? "even" : "odd", i * 10L, T0 + i);
      }
      assertThat(index.fileCount()).isEqualTo(5);

      // Files end at offsets 90, 190, 290, 390, 490.
      List<Path> before = indexFiles();
      assertThat(index.deleteFilesBelow(190)).isEqualTo(1);
      assertThat(index.deleteFilesBelow(191)).isEqualTo(1);
      assertThat(index.fileCount()).isEqualTo(3);
      // the two oldest files are gone from disk (counting the directory would race with the
      // next file being prepared in the background, which briefly carries its real name)
      assertThat(before.get(0)).doesNotExist();
      assertThat(before.get(1)).doesNotExist();
      assertThat(before.subList(2, 5)).allMatch(Files::exists);

      assertThat(index.query("even", 0, Long.MAX_VALUE, 100))
          .hasSize(15)
          .startsWith(480L)
          .endsWith(200L);
      assertThat(index.deleteFilesBelow(Long.MAX_VALUE)).isEqualTo(2);
      assertThat(index.fileCount()).as("the file being written is never deleted").isEqualTo(1);
      assertThat(index.query("odd", 0, Long.MAX_VALUE, 100)).hasSize(5).startsWith(490L);

      index.put("odd", 500, T0 + 50);
      assertThat(index.query("odd", 0, Long.MAX_VALUE, 1)).containsExactly(500L);
    }
    try (IndexService index = open(8, 10, Long.MAX_VALUE)) {
      assertThat(index.fileCount()).isEqualTo(2);
      assertThat(index.query("even", 0, Long.MAX_VALUE, 100)).hasSize(5);
    }
  }

  @Test
  void shouldNeverReturnForeignOffsetsWhileWritingConcurrently() throws Exception {
    int keys = 97;
    int total = 200_000;
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try (IndexService index = open(128, 20_000, Long.MAX_VALUE)) {
      Future<?> writer =
          pool.submit(
              () -> {
                try {
                  for (int i = 0; i < total; i++) {
                    index.put("key-" + (i % keys), i * 10L, T0 + i / 100);
                    if (i % 40_000 == 0) {
                      index.deleteFilesBelow((i - 60_000) * 10L); // retention under readers
                    }
                  }
                } finally {
                  writing.set(false);
                }
                return null;
              });
      List<Future<Long>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(
            pool.submit(
                () -> {
                  long queries = 0;
                  do {
                    int k = ThreadLocalRandom.current().nextInt(keys);
                    List<Long> offsets = index.query("key-" + k, 0, Long.MAX_VALUE, 50);
                    long previous = Long.MAX_VALUE;
                    for (long offset : offsets) {
                      assertThat(offset % 10).isZero();
                      assertThat(offset / 10).isLessThan(total);
                      assertThat((offset / 10) % keys).as("offset %d", offset).isEqualTo(k);
                      assertThat(offset).isLessThan(previous);
                      previous = offset;
                    }
                    queries++;
                  } while (writing.get());
                  return queries;
                }));
      }

      writer.get(30, TimeUnit.SECONDS);
      for (Future<Long> reader : readers) {
        assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
      }
      long last = (total - 1) % keys;
      assertThat(index.query("key-" + last, 0, Long.MAX_VALUE, 3))
          .containsExactly(
              (total - 1) * 10L, (total - 1 - keys) * 10L, (total - 1 - 2L * keys) * 10);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldRejectFileWithCorruptMagic() throws IOException {
    try (IndexService index = open(8, 10, Long.MAX_VALUE)) {
      index.put("k", 1, T0);
    }
    Path file = indexFiles().get(0);
    writeInt(file, IndexDescriptor.MAGIC_OFFSET, 0xBAD);

    IndexService index = new IndexService(dir, 8, 10);
    assertThatThrownBy(() -> index.load(Long.MAX_VALUE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.getFileName().toString())
        .hasMessageContaining("bad magic");
    index.close();
  }

  @Test
  void shouldRejectFileWithDifferentGeometry() throws IOException {
    try (IndexService index = open(8, 10, Long.MAX_VALUE)) {
      index.put("k", 1, T0);
    }
    String name = indexFiles().get(0).getFileName().toString();

    IndexService otherSlots = new IndexService(dir, 16, 10);
    assertThatThrownBy(() -> otherSlots.load(Long.MAX_VALUE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("slot count 8");
    IndexService otherSize = new IndexService(dir, 8, 11);
    assertThatThrownBy(() -> otherSize.load(Long.MAX_VALUE))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(name)
        .hasMessageContaining("max entries 10");
  }

  @Test
  void shouldRejectBadArguments() throws IOException {
    assertThatThrownBy(() -> new IndexService(dir, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slotCount")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> new IndexService(dir, 8, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntriesPerFile")
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> new IndexService(dir, 1 << 20, 100_000_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("100000000");

    IndexService index = open(8, 10, Long.MAX_VALUE);
    index.put("k", 100, T0);
    index.put("other-key-of-same-message", 100, T0);
    assertThatThrownBy(() -> index.put("k", 99, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99");
    assertThatThrownBy(() -> index.load(Long.MAX_VALUE)).isInstanceOf(IllegalStateException.class);
    index.close();
    index.close(); // idempotent
    assertThatThrownBy(() -> index.put("k", 200, T0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> index.query("k", 0, 1, 1)).isInstanceOf(IllegalStateException.class);
  }
}
