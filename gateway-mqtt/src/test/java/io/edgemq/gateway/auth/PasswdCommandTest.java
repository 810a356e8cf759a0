package io.edgemq.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PasswdCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void shouldCreateTheFileAndAddAUserWithAHashedPassword() throws IOException {
    Path file = dir.resolve("passwd");

    int code =
        run(null, null, "-c", "--iterations", "1000", "-p", "pw-1", file.toString(), "alice");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("added user 'alice'");
    String content = Files.readString(file);
    assertThat(content).startsWith("alice:$pbkdf2-sha256$1000$").doesNotContain("pw-1");
    assertThat(PasswordFile.load(file).get("alice").matches("pw-1".toCharArray())).isTrue();
  }

  @Test
  void shouldRefuseAMissingFileWithoutCreate() {
    Path file = dir.resolve("passwd");

    int code = run(null, null, "-p", "pw", file.toString(), "alice");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("no such file (--create creates it)");
    assertThat(file).doesNotExist();
  }

  @Test
  void shouldChangeTheHashOfAnExistingUser() throws IOException {
    Path file = dir.resolve("passwd");
    run(null, null, "-c", "--iterations", "1000", "-p", "old", file.toString(), "alice");

    int code = run(null, null, "--iterations", "1000", "--password=new", file.toString(), "alice");

    assertThat(code).isZero();
    assertThat(out.toString()).contains("changed password of 'alice'");
    PasswordHash hash = PasswordFile.load(file).get("alice");
    assertThat(hash.matches("new".toCharArray())).isTrue();
    assertThat(hash.matches("old".toCharArray())).isFalse();
  }

  @Test
  void shouldUseTheDefaultIterations() throws IOException {
    Path file = dir.resolve("passwd");

    run(null, null, "-c", "-p", "pw", file.toString(), "alice");

    assertThat(PasswordFile.load(file).get("alice").iterations()).isEqualTo(27_500);
  }

  @Test
  void shouldReadOneLineFromStdinWithoutATerminal() throws IOException {
    Path file = dir.resolve("passwd");
    InputStream stdin =
        new ByteArrayInputStream("piped pw\nignored\n".getBytes(StandardCharsets.UTF_8));

    int code = run(stdin, null, "-c", "--iterations", "1000", file.toString(), "alice");

    assertThat(code).isZero();
    assertThat(PasswordFile.load(file).get("alice").matches("piped pw".toCharArray())).isTrue();
  }

  @Test
  void shouldFailWhenStdinIsEmpty() {
    Path file = dir.resolve("passwd");

    int code = run(new ByteArrayInputStream(new byte[0]), null, "-c", file.toString(), "alice");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("no password given");
    assertThat(file).doesNotExist();
  }

  @Test
  void shouldAskTwiceOnATerminal() throws IOException {
    Path file = dir.resolve("passwd");
    Deque<String> answers = new ArrayDeque<>(List.of("typed", "typed"));
    List<String> labels = new java.util.ArrayList<>();
    Function<String, char[]> prompt =
        label -> {
          labels.add(label);
          return answers.removeFirst().toCharArray();
        };

    int code = run(null, prompt, "-c", "--iterations", "1000", file.toString(), "alice");

    assertThat(code).isZero();
    assertThat(labels).containsExactly("Password: ", "Reenter password: ");
    assertThat(PasswordFile.load(file).get("alice").matches("typed".toCharArray())).isTrue();
  }

  @Test
  void shouldRefuseTwoDifferentTypedPasswords() {
    Path file = dir.resolve("passwd");
    Deque<String> answers = new ArrayDeque<>(List.of("typed", "typo"));

    int code =
        run(null, label -> answers.removeFirst().toCharArray(), "-c", file.toString(), "alice");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("do not match");
    assertThat(file).doesNotExist();
  }

  @Test
  void shouldRefuseAnEmptyPassword() {
    Path file = dir.resolve("passwd");

    int code = run(null, null, "-c", "-p", "", file.toString(), "alice");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("must not be empty");
  }

  @Test
  void shouldDeleteAUserAndReportAnUnknownOne() throws IOException {
    Path file = dir.resolve("passwd");
    run(null, null, "-c", "--iterations", "1000", "-p", "a", file.toString(), "alice");
    run(null, null, "--iterations", "1000", "-p", "b", file.toString(), "bob");

    assertThat(run(null, null, "-d", file.toString(), "alice")).isZero();
    assertThat(run(null, null, "--delete", file.toString(), "alice")).isEqualTo(1);

    assertThat(err.toString()).contains("no user 'alice'");
    assertThat(PasswordFile.load(file).usernames()).containsExactly("bob");
  }

  @Test
  void shouldRefuseAPasswordWithDelete() throws IOException {
    Path file = dir.resolve("passwd");
    run(null, null, "-c", "--iterations", "1000", "-p", "a", file.toString(), "alice");

    assertThat(run(null, null, "-d", "-p", "a", file.toString(), "alice")).isEqualTo(2);

    assertThat(PasswordFile.load(file).usernames()).containsExactly("alice");
  }

  @Test
  void shouldRefuseAnInvalidUsernameOrIterationCount() {
    Path file = dir.resolve("passwd");

    assertThat(run(null, null, "-c", "-p", "x", file.toString(), "a:b")).isEqualTo(2);
    assertThat(run(null, null, "-c", "--iterations", "10", "-p", "x", file.toString(), "a"))
        .isEqualTo(2);

    assertThat(err.toString()).contains("must not contain ':'").contains("--iterations must be");
    assertThat(file).doesNotExist();
  }

  @Test
  void shouldReportAnInvalidFileWithItsLine() throws IOException {
    Path file = dir.resolve("passwd");
    Files.writeString(file, "# users\nalice\n");

    int code = run(null, null, "-p", "x", file.toString(), "bob");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains(file + ":2: expected <username>:<password hash>");
  }

  @Test
  void shouldRejectMissingArgumentsAsUsage() {
    assertThat(run(null, null, "-p", "x")).isEqualTo(2);
  }

  private int run(InputStream stdin, Function<String, char[]> prompt, String... args) {
    InputStream in = stdin != null ? stdin : new ByteArrayInputStream(new byte[0]);
    CommandLine commandLine = new CommandLine(new PasswdCommand(in, () -> prompt));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }
}
