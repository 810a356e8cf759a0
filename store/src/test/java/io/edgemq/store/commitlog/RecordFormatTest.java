package io.edgemq.store.commitlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageId;
import io.edgemq.store.api.StoredMessage;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordFormatTest {
  private static final String GOLDEN = "/golden/commitlog-record-v1.bin";

  /** The record behind the golden file; changing any byte of the format breaks the test. */
  static byte[] goldenRecord() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("mqtt.qos", "1");
    props.put("ct", "application/json");
    Message m =
        Message.builder()
            .topic("telemetry")
            .queueId(5)
            .tags("temp")
            .keys(List.of("dev-42"))
            .properties(props)
            .body("{\"t\":21.5}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .bornTimestamp(1_700_000_000_123L)
            .bornHost(new InetSocketAddress("192.168.1.20", 40000))
            .flags(3)
            .build();
    RecordEncoder enc = new RecordEncoder(4096, new InetSocketAddress("10.0.0.1", 10911));
    enc.reset();
    int start = enc.encode(m, new MessageId(0x0102030405060708L, 0x1112131415161718L));
    int size = enc.seal(start, 77, 4096, 1_700_000_000_456L);
    return Arrays.copyOfRange(enc.array(), start, start + size);
  }

  @Test
  void shouldMatchTheGoldenOnDiskBytes() throws Exception {
    byte[] actual = goldenRecord();
    if (Boolean.getBoolean("golden.update")) {
      Path p = Path.of("src/test/resources" + GOLDEN);
      Files.createDirectories(p.getParent());
      Files.write(p, actual);
    }
    byte[] golden;
    try (InputStream in = getClass().getResourceAsStream(GOLDEN)) {
      assertThat(in).as("golden file " + GOLDEN).isNotNull();
      golden = in.readAllBytes();
    }
    assertThat(actual).isEqualTo(golden);
  }

  @Test
  void shouldLayOutTheFixedHeaderAsTheDescriptorSays() {
    ByteBuffer b = ByteBuffer.wrap(goldenRecord());
    assertThat(b.getInt(0)).as("total size").isEqualTo(b.capacity());
    assertThat(b.getInt(4)).as("magic").isEqualTo(0xED6E4D01);
    assertThat(b.getInt(12)).as("flags").isEqualTo(3);
    assertThat(b.getLong(16)).as("queue offset").isEqualTo(77);
    assertThat(b.getLong(24)).as("physical offset").isEqualTo(4096);
    assertThat(b.getLong(32)).as("born").isEqualTo(1_700_000_000_123L);
    assertThat(b.getLong(40)).as("stored").isEqualTo(1_700_000_000_456L);
    assertThat(b.getLong(48)).as("id high").isEqualTo(0x0102030405060708L);
    assertThat(b.getLong(56)).as("id low").isEqualTo(0x1112131415161718L);
    // born host: ::ffff:192.168.1.20 then port
    assertThat(b.get(74) & 0xff).isEqualTo(0xff);
    assertThat(b.get(75) & 0xff).isEqualTo(0xff);
    assertThat(b.get(76) & 0xff).isEqualTo(192);
    assertThat(b.getInt(80)).as("born port").isEqualTo(40000);
    assertThat(b.getInt(100)).as("store port").isEqualTo(10911);
    assertThat(b.getInt(104)).as("queue id").isEqualTo(5);
    assertThat(b.getShort(108)).as("topic length").isEqualTo((short) 9);
    assertThat(RecordDecoder.check(b, 0, 4096 - 0).kind()).isEqualTo(RecordDecoder.Kind.MESSAGE);
  }

  @ParameterizedTest
  @ValueSource(longs = {1L, 2L, 3L, 42L, 1234567L})
  void shouldRoundTripRandomMessages(long seed) {
    Random rnd = new Random(seed);
    Map<String, String> props = new LinkedHashMap<>();
    for (int i = 0; i < rnd.nextInt(10); i++) {
      props.put("k" + i + "é", "v".repeat(rnd.nextInt(50)));
    }
    byte[] body = new byte[rnd.nextInt(5000)];
    rnd.nextBytes(body);
    Message m =
        Message.builder()
            .topic("t_" + rnd.nextInt(1000))
            .queueId(rnd.nextInt(100))
            .tags(rnd.nextBoolean() ? "" : "tag-ü-" + rnd.nextInt(10))
            .keys(rnd.nextBoolean() ? List.of() : List.of("a" + rnd.nextInt(), "b"))
            .properties(props)
            .body(body)
            .bornTimestamp(rnd.nextLong())
            .flags(rnd.nextInt())
            .build();
    RecordEncoder enc = new RecordEncoder(1 << 20, null);
    enc.reset();
    MessageId id = new MessageId(rnd.nextLong(), rnd.nextLong());
    int start = enc.encode(m, id);
    int size = enc.seal(start, 9, 0, 5);
    ByteBuffer buf = ByteBuffer.wrap(Arrays.copyOf(enc.array(), size + 100));
    assertThat(RecordDecoder.check(buf, 0, 0).kind()).isEqualTo(RecordDecoder.Kind.MESSAGE);
    StoredMessage s = RecordDecoder.decode(buf, 0);
    assertThat(s.messageId()).isEqualTo(id);
    assertThat(s.topic()).isEqualTo(m.topic());
    assertThat(s.queueId()).isEqualTo(m.queueId());
    assertThat(s.tags()).isEqualTo(m.tags());
    assertThat(s.keys()).isEqualTo(m.keys());
    assertThat(List.copyOf(s.properties().entrySet()))
        .isEqualTo(List.copyOf(m.properties().entrySet()));
    assertThat(s.bodyBytes()).isEqualTo(body);
    assertThat(s.bornTimestamp()).isEqualTo(m.bornTimestamp());
    assertThat(s.flags()).isEqualTo(m.flags());
    assertThat(s.storeHost()).isNull();
  }

  @Test
  void shouldDetectEveryFlippedByteAfterTheChecksumField() {
    byte[] good = goldenRecord();
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x40;
      RecordDecoder.Check c = RecordDecoder.check(ByteBuffer.wrap(bad), 0, 4096);
      assertThat(c.kind()).as("flip at byte " + i).isEqualTo(RecordDecoder.Kind.INVALID);
    }
  }
}
