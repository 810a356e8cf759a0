package io.edgemq.store.faults;

import static io.edgemq.store.StoreFixtures.append;
import static io.edgemq.store.StoreFixtures.awaitDispatched;
import static io.edgemq.store.StoreFixtures.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.AppendStatus;
import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageFilter;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.QueueReadResult;
import io.edgemq.store.api.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk refuses appends with DISK_FULL and damages nothing already stored. The real case runs
 * on a small tmpfs mounted for the test (needs root; skipped with the reason otherwise).
 */
class DiskFullTest {
  private static final String TOPIC = "full";
  @TempDir Path tmp;

  private static Message kib(long seq) {
    byte[] body = new byte[1024];
    Arrays.fill(body, (byte) seq);
    return Message.builder().topic(TOPIC).keys(List.of("k" + seq)).body(body).build();
  }

  @Test
  void shouldRefuseAppendsAboveTheRefuseRatio() throws Exception {
    StoreConfig cfg = config(tmp, FlushMode.SYNC).diskRefuseWritesRatio(0.000_001).build();
    try (MessageStore store = MessageStore.open(cfg, Clock.systemUTC())) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> append(store, kib(0)).status() == AppendStatus.DISK_FULL);
      AppendResult r = append(store, kib(1));
      assertThat(r.status()).isEqualTo(AppendStatus.DISK_FULL);
      assertThat(r.reason()).contains("diskRefuseWritesRatio");
      assertThat(store.stats().diskFull()).isTrue();
    }
  }

  @Test
  void shouldRefuseWithDiskFullOnARealFullFileSystemAndLoseNothingAcknowledged() throws Exception {
    Path mnt = tmp.resolve("mnt");
    Files.createDirectories(mnt);
    Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt.toString()),
        "skipped: cannot mount a 3 MiB tmpfs here (needs root and mount permission)");
    try {
      List<AppendResult> acked = new ArrayList<>();
      StoreConfig cfg = config(mnt.resolve("store"), FlushMode.SYNC).build();
      MessageStore store = MessageStore.open(cfg, Clock.systemUTC());
      try {
        AppendResult last = null;
        for (int i = 0; i < 10_000; i++) {
          last = append(store, kib(i));
          if (!last.isOk()) {
            break;
          }
          acked.add(last);
        }
        assertThat(last.status()).isEqualTo(AppendStatus.DISK_FULL);
        assertThat(last.reason()).contains("No space left");
        assertThat(acked).hasSizeGreaterThan(500);
        assertThat(append(store, kib(99_999)).status()).isEqualTo(AppendStatus.DISK_FULL);
        awaitDispatched(store);
        assertAllReadable(store, acked);
      } finally {
        closeOnFullDisk(store);
      }
      MessageStore reopened = MessageStore.open(cfg, Clock.systemUTC());
      try {
        assertAllReadable(reopened, acked);
        assertThat(reopened.recoveryReport().corruptedOffsets()).isEmpty();
      } finally {
        closeOnFullDisk(reopened);
      }
    } finally {
      run("umount", "-l", mnt.toString());
    }
  }

  /** A checkpoint may not fit on a full disk; the next open then recovers from the log. */
  private static void closeOnFullDisk(MessageStore store) {
    try {
      store.close();
    } catch (java.io.IOException e) {
      assertThat(e.getMessage()).contains("No space left");
    }
  }

  private static void assertAllReadable(MessageStore store, List<AppendResult> acked) {
    QueueReadResult all = store.read(TOPIC, 0, 0, acked.size() + 10, MessageFilter.ALL);
    assertThat(all.corruptedOffsets()).isEmpty();
    assertThat(all.messages()).hasSize(acked.size());
    for (int i = 0; i < acked.size(); i++) {
      assertThat(all.messages().get(i).bodyBytes()).isEqualTo(kib(i).body());
    }
  }

  private static boolean run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
