package io.edgemq.dist.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.dist.command.StandaloneCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/dist.md's table lists every key with the default the code uses, and no other key. */
class KeysDocTest {

  static Path repo() {
    return Path.of(System.getProperty("edgemq.repo.dir", "..")).toAbsolutePath().normalize();
  }

  @Test
  void shouldDocumentEveryKeyWithItsDefaultsInDocsDist() throws IOException {
    String doc = Files.readString(repo().resolve("docs/dist.md"));
    List<String> missing = new ArrayList<>();
    for (Key<?> k : Keys.all()) {
      String row = row(k);
      if (!doc.contains(row)) {
        missing.add(row);
      }
    }
    assertThat(missing).as("rows missing from docs/dist.md").isEmpty();
  }

  @Test
  void shouldListNoKeyInTheDocsThatTheCodeDoesNotKnow() throws IOException {
    List<String> unknown = new ArrayList<>();
    for (String line : Files.readAllLines(repo().resolve("docs/dist.md"))) {
      if (line.matches("\\| `[a-z]+\\.[A-Za-z.]+` \\|.*")) {
        String name = line.substring(3, line.indexOf('`', 3));
        if (Keys.find(name).isEmpty()) {
          unknown.add(name);
        }
      }
    }
    assertThat(unknown).isEmpty();
  }

  /** The table row of a key: name, default, standalone default, description. */
  static String row(Key<?> k) {
    String standalone = StandaloneCommand.PROFILE.getOrDefault(k.name(), "");
    return "| `"
        + k.name()
        + "` | "
        + (k.defaultText().isEmpty() ? "(none)" : "`" + k.defaultText() + "`")
        + " | "
        + (standalone.isEmpty() ? "" : "`" + standalone + "`")
        + " | "
        + k.description()
        + " |";
  }
}
