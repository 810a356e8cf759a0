package io.edgemq.store.api;

import static io.edgemq.store.StoreFixtures.awaitDispatched;
import static io.edgemq.store.StoreFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Many writers and readers at once: every acknowledged message is read back, in queue order. */
class ConcurrentAccessTest {
  private static final int WRITERS = 8;
  private static final int PER_WRITER = 3000;
  private static final int QUEUES = 4;
  @TempDir Path dir;

  /** Body: writer id and sequence, so a reader can check what it sees. */
  private static Message message(int writer, int seq) {
    ByteBuffer b = ByteBuffer.allocate(8 + seq % 300);
    b.putInt(writer).putInt(seq);
    return Message.builder()
        .topic("conc")
        .queueId(writer % QUEUES)
        .keys(List.of(writer + "-" + seq))
        .body(b.array())
        .build();
  }

  @ParameterizedTest
  @EnumSource(FlushMode.class)
  void shouldServeReadersWhileManyThreadsAppend(FlushMode mode) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS + QUEUES);
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    try (MessageStore store = MessageStore.open(config(dir, mode).build(), Clock.systemUTC())) {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(
            pool.submit(
                () -> {
                  for (int s = 0; s < PER_WRITER; s++) {
                    AppendResult r = store.append(message(writer, s)).join();
                    if (!r.isOk()) {
                      problems.add("append " + writer + "/" + s + ": " + r);
                    }
                  }
                }));
      }
      List<Future<Long>> readers = new ArrayList<>();
      for (int q = 0; q < QUEUES; q++) {
        int queue = q;
        readers.add(pool.submit(() -> tail(store, queue, writing, problems)));
      }
      for (Future<?> f : writers) {
        f.get();
      }
      awaitDispatched(store);
      writing.set(false);
      long read = 0;
      for (Future<Long> f : readers) {
        read += f.get();
      }
      assertThat(problems).isEmpty();
      assertThat(read).isEqualTo((long) WRITERS * PER_WRITER);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Follows one queue to its end; each writer's messages must arrive in sequence. */
  private static long tail(
      MessageStore store,
      int queue,
      AtomicBoolean writing,
      ConcurrentLinkedQueue<String> problems) {
    int[] nextSeq = new int[WRITERS];
    long offset = 0;
    long count = 0;
    while (true) {
      boolean more = writing.get();
      QueueReadResult r = store.read("conc", queue, offset, 64, MessageFilter.ALL);
      for (StoredMessage m : r.messages()) {
        ByteBuffer b = m.body();
        int writer = b.getInt();
        int seq = b.getInt();
        if (m.queueOffset() != count || seq != nextSeq[writer]) {
          problems.add("queue " + queue + " offset " + m.queueOffset() + ": " + writer + "/" + seq);
        }
        nextSeq[writer] = seq + 1;
        count++;
      }
      if (!r.corruptedOffsets().isEmpty()) {
        problems.add("corrupted " + r.corruptedOffsets());
      }
      if (r.messages().isEmpty() && !more) {
        return count;
      }
      offset = r.nextOffset();
    }
  }
}
