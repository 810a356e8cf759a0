package io.edgemq.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every service, RPC, message, enum, field, enum value and oneof in the {@code .proto} files has a
 * comment on the line(s) right above it: the files are the field-by-field reference.
 */
class CommentedContractTest {

  private static final Path PROTO_DIR = Path.of("src/main/proto/edgemq/v1");

  /** Lines that declare something; their previous non-blank line must be a comment. */
  private static final Pattern DECLARATION =
      Pattern.compile(
          "^\\s*("
              + "(service|message|enum|oneof)\\s+\\w+\\s*\\{"
              + "|rpc\\s+\\w+\\s*\\("
              + "|(repeated\\s+|optional\\s+)?[\\w.<>, ]+\\s+\\w+\\s*=\\s*\\d+\\s*;"
              + "|\\w+\\s*=\\s*-?\\d+\\s*;"
              + ")");

  @Test
  void shouldCommentEveryDeclaration() throws IOException {
    List<String> uncommented = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(PROTO_DIR)) {
      files = s.filter(p -> p.toString().endsWith(".proto")).sorted().toList();
    }
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .contains("common.proto", "nameserver.proto", "broker.proto", "admin.proto");
    for (Path file : files) {
      uncommented.addAll(uncommented(file.getFileName().toString(), Files.readAllLines(file)));
    }
    assertThat(uncommented).isEmpty();
  }

  @Test
  void shouldFlagADeclarationWithoutComment() {
    List<String> lines =
        List.of(
            "// A thing.",
            "message Thing {",
            "  // Its name.",
            "  string name = 1;",
            "",
            "  int64 size_ms = 2;",
            "  map<string, string> extras = 3;",
            "}",
            "enum Color {",
            "  // Not set.",
            "  COLOR_UNSPECIFIED = 0;",
            "  COLOR_RED = 1;",
            "}");

    assertThat(uncommented("t.proto", lines))
        .containsExactly(
            "t.proto:6: int64 size_ms = 2;",
            "t.proto:7: map<string, string> extras = 3;",
            "t.proto:9: enum Color {",
            "t.proto:12: COLOR_RED = 1;");
  }

  private static List<String> uncommented(String name, List<String> lines) {
    List<String> found = new ArrayList<>();
    String previous = "";
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        previous = "";
        continue;
      }
      if (DECLARATION.matcher(line).find()
          && !line.startsWith("option ")
          && !line.startsWith("syntax ")
          && !previous.startsWith("//")) {
        found.add(name + ":" + (i + 1) + ": " + line);
      }
      previous = line;
    }
    return found;
  }
}
