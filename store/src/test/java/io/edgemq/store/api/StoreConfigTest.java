package io.edgemq.store.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
  private static StoreConfig.Builder base() {
    return StoreConfig.builder(Path.of("data"));
  }

  @Test
  void shouldHaveTheDocumentedDefaults() {
    StoreConfig c = base().build();
    assertThat(c.commitLogSegmentBytes()).isEqualTo(1 << 30);
    assertThat(c.maxMessageBytes()).isEqualTo(4 << 20);
    assertThat(c.flushMode()).isEqualTo(FlushMode.ASYNC);
    assertThat(c.flushInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.retention()).isEqualTo(Duration.ofHours(72));
    assertThat(c.diskRefuseWritesRatio()).isEqualTo(0.90);
    assertThat(c.stagingBufferBytes()).isEqualTo(32 << 20);
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void shouldNameTheKeyAndRuleOfAnInvalidValue() {
    assertThatThrownBy(() -> base().maxMessageBytes(10).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxMessageBytes=10");
    assertThatThrownBy(() -> base().commitLogSegmentBytes(1 << 20).build())
        .hasMessageContaining("commitLogSegmentBytes")
        .hasMessageContaining("two largest records");
    assertThatThrownBy(() -> base().maxMessageBytes(16 << 20).build())
        .hasMessageContaining("stagingBufferBytes");
    assertThatThrownBy(() -> base().flushInterval(Duration.ZERO).build())
        .hasMessageContaining("flushInterval");
    assertThatThrownBy(() -> base().diskRefuseWritesRatio(1.5).build())
        .hasMessageContaining("diskRefuseWritesRatio");
    assertThatThrownBy(() -> base().consumeQueueUnitsPerFile(1).build())
        .hasMessageContaining("consumeQueueUnitsPerFile");
    assertThatThrownBy(() -> StoreConfig.builder(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("storePath");
  }

  @Test
  void shouldParseAndPrintMessageIds() {
    MessageId id = new MessageId(0x0123456789abcdefL, -1L);
    assertThat(id.toString()).isEqualTo("0123456789abcdefffffffffffffffff");
    assertThat(MessageId.parse(id.toString())).isEqualTo(id);
    assertThatThrownBy(() -> MessageId.parse("xyz")).hasMessageContaining("32 hex digits");
    MessageId.Generator g = new MessageId.Generator(1000);
    assertThat(g.next()).isNotEqualTo(g.next());
  }
}
