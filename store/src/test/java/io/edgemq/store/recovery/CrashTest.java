package io.edgemq.store.recovery;

import static io.edgemq.store.StoreFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.StoredMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kills a real writer JVM with SIGKILL in the middle of appends, then recovers its store. */
class CrashTest {
  @TempDir Path tmp;

  private record Ack(int thread, long seq, int queueId, long queueOffset) {
    static Ack parse(String line) {
      String[] f = line.split(" ");
      return new Ack(
          Integer.parseInt(f[1]),
          Long.parseLong(f[2]),
          Integer.parseInt(f[3]),
          Long.parseLong(f[4]));
    }
  }

  private Process startWriter(
      Path dir, FlushMode mode, int threads, List<Ack> acks, List<String> other) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            CrashWriter.class.getName(),
            dir.toString(),
            mode.name(),
            Integer.toString(threads));
    pb.redirectError(tmp.resolve("writer.err").toFile());
    Process p = pb.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  if (line.startsWith("ACK ")) {
                    acks.add(Ack.parse(line));
                  } else if (line.startsWith("OPEN") || line.startsWith("FAIL")) {
                    other.add(line);
                  }
                }
              } catch (java.io.IOException e) {
                // The stream closes when the process dies.
              }
            });
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  @ParameterizedTest(name = "{0} with {1} writers")
  @CsvSource({"SYNC, 32, 4000", "ASYNC, 8, 40000"})
  void shouldKeepEveryAcknowledgedMessageAfterKillNine(FlushMode mode, int threads, int killAfter)
      throws Exception {
    Path dir = tmp.resolve("store");
    List<Ack> acks = new CopyOnWriteArrayList<>();
    List<String> other = new CopyOnWriteArrayList<>();
    Process p = startWriter(dir, mode, threads, acks, other);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> other.contains("OPEN") || !p.isAlive());
      assertThat(p.isAlive()).as("writer started; see writer.err").isTrue();
      assertThatThrownBy(() -> MessageStore.open(config(dir, mode).build(), Clock.systemUTC()))
          .isInstanceOf(StoreLock.StoreLockedException.class)
          .hasMessageContaining("another process");
      await().atMost(Duration.ofSeconds(120)).until(() -> acks.size() >= killAfter || !p.isAlive());
      assertThat(other).as("writer failures").noneMatch(l -> l.startsWith("FAIL"));
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, no checkpoint
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    List<Ack> acked = List.copyOf(acks);
    assertThat(acked.size()).isGreaterThanOrEqualTo(killAfter);

    try (MessageStore store = MessageStore.open(config(dir, mode).build(), Clock.systemUTC())) {
      assertThat(store.recoveryReport().cleanShutdown()).isFalse();
      assertThat(store.recoveryReport().corruptedOffsets()).isEmpty();
      int lost = 0;
      for (Ack a : acked) {
        long end = store.maxQueueOffset(CrashWriter.TOPIC, a.queueId());
        if (mode == FlushMode.ASYNC && a.queueOffset() >= end) {
          lost++; // ASYNC acknowledges staged records: the unwritten tail may go with the process
          continue;
        }
        QueueReadResult r =
            store.read(CrashWriter.TOPIC, a.queueId(), a.queueOffset(), 1, MessageFilter.ALL);
        assertThat(r.messages()).as("acked %s", a).hasSize(1);
        StoredMessage m = r.messages().get(0);
        assertThat(m.keys()).containsExactly(CrashWriter.key(a.thread(), a.seq()));
        assertThat(m.bodyBytes()).isEqualTo(CrashWriter.body(a.thread(), a.seq()));
      }
      System.out.printf(
          "%s: %d acknowledged, %d lost with the process%n", mode, acked.size(), lost);
      assertThat(lost).as("acknowledged messages lost").isLessThan(acked.size() / 10 + 1);
      for (int i = 0; i < acked.size(); i += 97) {
        Ack a = acked.get(i);
        if (a.queueOffset() >= store.maxQueueOffset(CrashWriter.TOPIC, a.queueId())) {
          continue;
        }
        assertThat(
                store.findByKey(
                    CrashWriter.TOPIC, CrashWriter.key(a.thread(), a.seq()), 0, Long.MAX_VALUE, 2))
            .as("by key %s", a)
            .hasSize(1);
      }
      assertConsistent(store);
    }
  }

  /** Every queue is dense: each offset holds a valid record of that queue, with no holes. */
  private static void assertConsistent(MessageStore store) {
    for (int q = 0; q < 4; q++) {
      long offset = store.minQueueOffset(CrashWriter.TOPIC, q);
      long end = store.maxQueueOffset(CrashWriter.TOPIC, q);
      while (offset < end) {
        QueueReadResult r = store.read(CrashWriter.TOPIC, q, offset, 500, MessageFilter.ALL);
        assertThat(r.corruptedOffsets()).isEmpty();
        for (StoredMessage m : r.messages()) {
          assertThat(m.queueOffset()).isEqualTo(offset++);
          assertThat(m.queueId()).isEqualTo(q);
        }
      }
    }
  }
}
