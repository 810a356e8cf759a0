package io.edgemq.store.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.store.api.MessageId;
import io.edgemq.store.api.TagHash;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DispatchDecoderTest {

  private static ByteBuffer golden() throws Exception {
    try (InputStream in =
        DispatchDecoderTest.class.getResourceAsStream("/golden/commitlog-record-v1.bin")) {
      return ByteBuffer.wrap(in.readAllBytes());
    }
  }

  @Test
  void shouldHashKeysAndIdsInPlaceExactlyAsQueriesHashStrings() throws Exception {
    DispatchRecord r = new DispatchDecoder().decode(golden(), 0);
    assertThat(r.topic()).isEqualTo("telemetry");
    assertThat(r.queueId()).isEqualTo(5);
    assertThat(r.queueOffset()).isEqualTo(77);
    assertThat(r.physicalOffset()).isEqualTo(4096);
    assertThat(r.tagHash()).isEqualTo(TagHash.of("temp"));
    assertThat(r.keyHashes()).containsExactly(IndexKeys.forKey("telemetry", "dev-42"));
    assertThat(r.idHash())
        .isEqualTo(IndexKeys.forId(new MessageId(0x0102030405060708L, 0x1112131415161718L)));
    assertThat(IndexKeys.forKey("telemetry", "dev-42"))
        .isNotEqualTo(IndexKeys.forKey("telemetry", "dev-43"))
        .isNotEqualTo(IndexKeys.forKey("telemetr", "ydev-42"));
  }

  @Test
  void shouldReuseTheTopicStringWhileItRepeats() throws Exception {
    DispatchDecoder d = new DispatchDecoder();
    assertThat(d.decode(golden(), 0).topic()).isSameAs(d.decode(golden(), 0).topic());
  }
}
