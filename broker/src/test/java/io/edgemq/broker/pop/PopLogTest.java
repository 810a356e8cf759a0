package io.edgemq.broker.pop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.v1.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pop log's format, replay, torn-tail recovery and compaction; receipt handle parsing. */
class PopLogTest {
  private static final QueueKey KEY = new QueueKey("g", "t", 3);

  @TempDir Path dir;

  @Test
  void shouldReplayReceivesAndAcksInOrderAfterReopen() throws IOException {
    try (PopTable t = PopTable.open(dir)) {
      receive(
          t,
          5,
          new InFlight(3, t.nextSeq(), 1000, 0, 30),
          new InFlight(4, t.nextSeq(), 1000, 0, 40));
      ack(t, 3, 1);
    }
    try (PopTable t = PopTable.open(dir)) {
      PopQueue q = t.find(KEY);
      assertThat(q.nextOffset()).isEqualTo(5);
      assertThat(q.inFlight()).extracting(InFlight::offset).containsExactly(4L);
      assertThat(t.nextSeq()).as("seqs continue after the highest replayed").isEqualTo(3);
    }
  }

  @Test
  void shouldCutATornTailAndKeepEverythingBeforeIt() throws IOException {
    try (PopTable t = PopTable.open(dir)) {
      receive(t, 1, new InFlight(0, t.nextSeq(), 1000, 0, 10));
      receive(t, 2, new InFlight(1, t.nextSeq(), 1000, 0, 20));
    }
    Path log = dir.resolve(PopLog.FILE);
    long whole = Files.size(log);
    // half a record, as a crash in the middle of a write leaves it
    byte[] torn = PopRecordDescriptor.encode(new PopRecord.Ack(KEY, 0, 1)).array();
    Files.write(log, java.util.Arrays.copyOf(torn, torn.length / 2), StandardOpenOption.APPEND);

    try (PopTable t = PopTable.open(dir)) {
      assertThat(t.find(KEY).inFlight()).extracting(InFlight::offset).containsExactly(0L, 1L);
      assertThat(Files.size(log)).isLessThanOrEqualTo(whole);
    }
  }

  @Test
  void shouldStopAtARecordWithABadChecksum() throws IOException {
    try (PopTable t = PopTable.open(dir)) {
      receive(t, 1, new InFlight(0, t.nextSeq(), 1000, 0, 10));
    }
    Path log = dir.resolve(PopLog.FILE);
    byte[] bytes = Files.readAllBytes(log);
    byte[] ack = PopRecordDescriptor.encode(new PopRecord.Ack(KEY, 0, 1)).array();
    ack[ack.length - 1] ^= 1;
    byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + ack.length);
    System.arraycopy(ack, 0, all, bytes.length, ack.length);
    Files.write(log, all);
    try (PopTable t = PopTable.open(dir)) {
      assertThat(t.find(KEY).inFlight()).as("the corrupt ack is not applied").hasSize(1);
    }
  }

  @Test
  void shouldCompactToOneRecordPerQueueWithTheSameState() throws IOException {
    try (PopTable t = PopTable.open(dir)) {
      for (int i = 0; i < 500; i++) {
        long seq = t.nextSeq();
        receive(t, i + 1, new InFlight(i, seq, 1000, 0, i * 10L));
        if (i % 100 != 7) {
          ack(t, i, seq);
        }
      }
      long before = Files.size(dir.resolve(PopLog.FILE));
      t.compact();
      assertThat(Files.size(dir.resolve(PopLog.FILE))).isLessThan(before / 10);
    }
    try (PopTable t = PopTable.open(dir)) {
      assertThat(t.find(KEY).nextOffset()).isEqualTo(500);
      assertThat(t.find(KEY).inFlight())
          .extracting(InFlight::offset)
          .containsExactly(7L, 107L, 207L, 307L, 407L);
    }
  }

  @Test
  void shouldRefuseAFileThatIsNotAPopLog() throws IOException {
    Files.writeString(dir.resolve(PopLog.FILE), "hello");
    assertThatThrownBy(() -> PopTable.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not an edgemq pop log");
  }

  @Test
  void shouldRoundTripAReceiptHandleAndRejectMalformedOnes() {
    ReceiptHandle h = new ReceiptHandle("broker-a", "g|1", "%x-y", 3, 42, 7, 123456, 2);
    assertThat(ReceiptHandle.parse(h.encode())).isEqualTo(h);
    List<String> bad = new ArrayList<>(List.of("", "1:a:b", "2:b:g:t:0:1:1:1:0"));
    bad.add("1:b:g:t:x:1:1:1:0");
    bad.add("1:b:g:t:-1:1:1:1:0");
    bad.add("1::g:t:0:1:1:1:0");
    for (String s : bad) {
      assertThatThrownBy(() -> ReceiptHandle.parse(s))
          .as(s)
          .isInstanceOfSatisfying(
              Rejection.class, r -> assertThat(r.code()).isEqualTo(Code.INVALID_RECEIPT_HANDLE));
    }
  }

  private static void receive(PopTable t, long next, InFlight... entries) {
    t.update(
        KEY,
        k -> 0,
        q -> {
          t.write(new PopRecord.Receive(KEY, next, List.of(entries)));
          q.advance(next);
          for (InFlight f : entries) {
            q.put(f);
          }
          return null;
        });
  }

  private static void ack(PopTable t, long offset, long seq) {
    t.update(
        KEY,
        k -> 0,
        q -> {
          t.write(new PopRecord.Ack(KEY, offset, seq));
          q.remove(offset, seq);
          return null;
        });
  }
}
