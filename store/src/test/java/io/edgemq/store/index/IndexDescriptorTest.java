package io.edgemq.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IndexDescriptorTest {

  @Test
  void shouldHashWithFnv1a64() {
    // Reference values of the FNV-1a 64 specification; the hash is persisted, so it must not drift.
    assertThat(IndexDescriptor.keyHash("")).isEqualTo(0xcbf29ce484222325L);
    assertThat(IndexDescriptor.keyHash("a")).isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(IndexDescriptor.keyHash("foobar")).isEqualTo(0x85944171f73967e8L);
  }

  @Test
  void shouldLayOutSlotsAndEntriesAfterHeader() {
    assertThat(IndexDescriptor.slotOffset(0)).isEqualTo(64);
    assertThat(IndexDescriptor.slotOffset(3)).isEqualTo(76);
    assertThat(IndexDescriptor.entryOffset(4, 1)).isEqualTo(80);
    assertThat(IndexDescriptor.entryOffset(4, 3)).isEqualTo(128);
    assertThat(IndexDescriptor.fileLength(4, 3)).isEqualTo(64 + 16 + 72);
  }

  @Test
  void shouldMapNegativeHashesIntoSlotRange() {
    assertThat(IndexDescriptor.slotOf(-1L, 4)).isEqualTo(3);
    assertThat(IndexDescriptor.slotOf(Long.MIN_VALUE, 7)).isBetween(0, 6);
  }

  @Test
  void shouldNameFilesByZeroPaddedCreationTime() {
    assertThat(IndexDescriptor.fileName(1_764_052_800_000L)).isEqualTo("00000001764052800000");
    assertThat(IndexDescriptor.isFileName("00000001764052800000")).isTrue();
    assertThat(IndexDescriptor.isFileName("00000001764052800000.tmp")).isFalse();
    assertThat(IndexDescriptor.isFileName("0000000176405280000x")).isFalse();
  }
}
