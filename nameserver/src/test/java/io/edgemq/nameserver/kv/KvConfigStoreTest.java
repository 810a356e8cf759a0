package io.edgemq.nameserver.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvConfigStoreTest {
  @TempDir Path dir;

  @Test
  void shouldKeepEntriesInMemoryWithoutFile() throws IOException {
    KvConfigStore store = KvConfigStore.open(null);

    store.put("ns", "k", "v");

    assertThat(store.get("ns", "k")).contains("v");
    assertThat(store.list("ns")).containsExactly(Map.entry("k", "v"));
    assertThat(store.list("other")).isEmpty();
    assertThat(store.delete("ns", "k")).isTrue();
    assertThat(store.delete("ns", "k")).isFalse();
    assertThat(store.get("ns", "k")).isEmpty();
  }

  @Test
  void shouldReloadEveryEntryIncludingAwkwardCharactersAfterReopen() throws IOException {
    Path file = dir.resolve("sub/kv.txt");
    KvConfigStore store = KvConfigStore.open(file);
    String awkward = "tab\there\nnew line\r\\backslash \\t not a tab, ünïcødé ✓";
    store.put("ns one", "key\twith tab", awkward);
    store.put("ns one", "plain", "");
    store.put("#ns", "k", "v");
    store.put("gone", "k", "v");
    store.delete("gone", "k");

    KvConfigStore reopened = KvConfigStore.open(file);

    assertThat(reopened.list("ns one"))
        .containsExactly(Map.entry("key\twith tab", awkward), Map.entry("plain", ""));
    assertThat(reopened.get("#ns", "k")).contains("v");
    assertThat(reopened.list("gone")).isEmpty();
    assertThat(Files.readString(file)).startsWith("# edgemq nameserver KV config");
    assertThat(dir.resolve("sub/kv.txt.tmp")).doesNotExist();
  }

  @Test
  void shouldReadTheDocumentedFormat() throws IOException {
    Path file = dir.resolve("kv.txt");
    Files.writeString(
        file, "# comment\n\nORDER\tdefault\ta\\tb\\nc\\\\d\n", StandardCharsets.UTF_8);

    KvConfigStore store = KvConfigStore.open(file);

    assertThat(store.get("ORDER", "default")).contains("a\tb\nc\\d");
  }

  @Test
  void shouldRefuseToOpenMalformedFile() throws IOException {
    Path file = dir.resolve("kv.txt");
    Files.writeString(file, "ns\tkey-without-value\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> KvConfigStore.open(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("kv.txt:1");
  }

  @Test
  void shouldRefuseUnknownEscape() throws IOException {
    Path file = dir.resolve("kv.txt");
    Files.writeString(file, "ns\tk\tbad \\x escape\n", StandardCharsets.UTF_8);

    assertThatThrownBy(() -> KvConfigStore.open(file)).hasMessageContaining("\\x");
  }
}
