package io.edgemq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.SendResponse;
import io.edgemq.store.api.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pull below the first offset left by retention answers OFFSET_GONE with that offset. */
class OffsetGoneTest {
  private static final int BODY_BYTES = 4 * 1024;
  private static final int SEGMENT_BYTES = 160 * 1024; // >= 2 * (1024 + 65536)
  private static final int MESSAGES = 300; // about 1.2 MiB: several segments

  @TempDir Path dir;

  @Test
  void pullBelowRetainedDataAnswersOffsetGoneWithFirstAvailableOffset() throws Exception {
    try (TestBroker b =
        TestBroker.start(
            dir,
            Clock.systemUTC(),
            c ->
                c.storeConfig(
                    StoreConfig.builder(dir.resolve("store"))
                        .commitLogSegmentBytes(SEGMENT_BYTES)
                        .maxMessageBytes(8 * 1024)
                        .consumeQueueUnitsPerFile(16)
                        .indexSlotCount(1024)
                        .indexEntriesPerFile(4096)
                        .flushInterval(Duration.ofMillis(20))
                        // any disk usage counts as pressure: retention deletes the oldest
                        // (dispatched, not active) segments on every pass
                        .diskCleanRatio(1e-9)
                        .diskRefuseWritesRatio(1.0)
                        .retentionCheckInterval(Duration.ofMillis(100))
                        .build()))) {
      b.createTopic("gone", 1);
      byte[] pad = new byte[BODY_BYTES];
      long lastOffset = -1;
      for (int i = 0; i < MESSAGES; i++) {
        byte[] body = ("m" + i + ":").getBytes(StandardCharsets.UTF_8);
        SendResponse r =
            b.client.send(
                SendRequest.newBuilder()
                    .setProducerGroup("p")
                    .setQueueId(0)
                    .setMessage(
                        Message.newBuilder()
                            .setTopic("gone")
                            .setBody(ByteString.copyFrom(body).concat(ByteString.copyFrom(pad))))
                    .build());
        assertThat(r.getStatus().getCode()).as("send %d", i).isEqualTo(Code.OK);
        assertThat(r.getReceipt().getQueueOffset()).isEqualTo(i);
        lastOffset = r.getReceipt().getQueueOffset();
      }
      b.awaitVisible("gone", 0, lastOffset + 1);

      PullResponse gone =
          await()
              .atMost(Duration.ofSeconds(20))
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () -> b.pull("gone", 0, 0),
                  r -> r.getStatus().getCode() == Code.OFFSET_GONE && r.getMinOffset() > 0);
      assertThat(gone.getMessagesList()).isEmpty();
      assertThat(gone.getNextOffset()).isEqualTo(gone.getMinOffset());
      assertThat(gone.getMinOffset()).isLessThanOrEqualTo(lastOffset);
      assertThat(gone.getMaxOffset()).isEqualTo(MESSAGES);

      // retention may have moved on since: read from the first offset the broker names now
      PullResponse ok =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> {
                    PullResponse r = b.pull("gone", 0, gone.getMinOffset());
                    return r.getStatus().getCode() == Code.OFFSET_GONE
                        ? b.pull("gone", 0, r.getNextOffset())
                        : r;
                  },
                  r -> r.getStatus().getCode() == Code.OK);
      assertThat(ok.getMessagesList()).isNotEmpty();
      Message first = ok.getMessages(0);
      long firstOffset = first.getSystemProperties().getQueueOffset();
      assertThat(firstOffset).isGreaterThanOrEqualTo(gone.getMinOffset());
      assertThat(first.getBody().toStringUtf8()).startsWith("m" + firstOffset + ":");
      for (int i = 0; i < ok.getMessagesCount(); i++) {
        Message m = ok.getMessages(i);
        assertThat(m.getSystemProperties().getQueueOffset()).isEqualTo(firstOffset + i);
        assertThat(m.getBody().toStringUtf8()).startsWith("m" + (firstOffset + i) + ":");
      }
    }
  }
}
