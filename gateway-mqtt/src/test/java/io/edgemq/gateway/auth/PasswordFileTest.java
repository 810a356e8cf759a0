package io.edgemq.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {
  private static final String ALICE = PasswordHash.hash("alice-pw".toCharArray(), 1000);
  private static final String BOB = PasswordHash.hash("bob-pw".toCharArray(), 1000);

  @TempDir Path dir;

  @Test
  void shouldLoadUsersSkippingCommentsAndBlankLines() throws IOException {
    Path file =
        write("# devices", "", "alice:" + ALICE, "   ", "  # indented comment", "bob:" + BOB);

    PasswordFile passwords = PasswordFile.load(file);

    assertThat(passwords.usernames()).containsExactly("alice", "bob");
    assertThat(passwords.size()).isEqualTo(2);
    assertThat(passwords.get("alice").matches("alice-pw".toCharArray())).isTrue();
    assertThat(passwords.get("bob").matches("alice-pw".toCharArray())).isFalse();
    assertThat(passwords.get("carol")).isNull();
    assertThat(passwords.file()).isEqualTo(file);
  }

  @Test
  void shouldAcceptWindowsLineEndingsAndTrailingSpaces() throws IOException {
    Path file = dir.resolve("passwd");
    Files.writeString(file, "alice:" + ALICE + "  \r\nbob:" + BOB + "\r\n");

    assertThat(PasswordFile.load(file).usernames()).containsExactly("alice", "bob");
  }

  @Test
  void shouldNameFileAndLineOfALineWithoutColon() throws IOException {
    Path file = write("alice:" + ALICE, "# ok", "bob " + BOB);

    assertThatThrownBy(() -> PasswordFile.load(file))
        .isInstanceOf(AuthFileException.class)
        .hasMessage(file + ":3: expected <username>:<password hash>")
        .satisfies(e -> assertThat(((AuthFileException) e).line()).isEqualTo(3))
        .satisfies(e -> assertThat(((AuthFileException) e).file()).isEqualTo(file));
  }

  @Test
  void shouldRefuseAPlainTextPassword() throws IOException {
    Path file = write("alice:alice-pw");

    assertThatThrownBy(() -> PasswordFile.load(file))
        .isInstanceOf(AuthFileException.class)
        .hasMessageStartingWith(file + ":1: password hash must start with '$pbkdf2-sha256$'");
  }

  @Test
  void shouldRefuseAnEmptyUsername() throws IOException {
    Path file = write(":" + ALICE);

    assertThatThrownBy(() -> PasswordFile.load(file))
        .isInstanceOf(AuthFileException.class)
        .hasMessage(file + ":1: username must not be empty");
  }

  @Test
  void shouldRefuseADuplicateUserNamingBothLines() throws IOException {
    Path file = write("alice:" + ALICE, "bob:" + BOB, "alice:" + BOB);

    assertThatThrownBy(() -> PasswordFile.load(file))
        .isInstanceOf(AuthFileException.class)
        .hasMessage(file + ":3: duplicate user 'alice' (first on line 1)");
  }

  @Test
  void shouldAddAUserToANewFileOnlyWhenAskedToCreateIt() throws IOException {
    Path file = dir.resolve("passwd");

    assertThatThrownBy(() -> PasswordFile.putUser(file, "alice", PasswordHash.parse(ALICE), false))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(PasswordFile.putUser(file, "alice", PasswordHash.parse(ALICE), true)).isTrue();

    assertThat(Files.readAllLines(file)).containsExactly("alice:" + ALICE);
  }

  @Test
  void shouldReplaceAUserInPlaceKeepingCommentsAndOtherUsers() throws IOException {
    Path file = write("# header", "alice:" + ALICE, "", "bob:" + BOB);
    String newHash = PasswordHash.hash("new".toCharArray(), 1000);

    boolean added = PasswordFile.putUser(file, "alice", PasswordHash.parse(newHash), false);

    assertThat(added).isFalse();
    assertThat(Files.readAllLines(file))
        .containsExactly("# header", "alice:" + newHash, "", "bob:" + BOB);
  }

  @Test
  void shouldAppendANewUser() throws IOException {
    Path file = write("alice:" + ALICE);

    assertThat(PasswordFile.putUser(file, "bob", PasswordHash.parse(BOB), false)).isTrue();

    assertThat(PasswordFile.load(file).usernames()).containsExactly("alice", "bob");
  }

  @Test
  void shouldRemoveAUserAndReportAMissingOne() throws IOException {
    Path file = write("alice:" + ALICE, "# keep", "bob:" + BOB);

    assertThat(PasswordFile.removeUser(file, "alice")).isTrue();
    assertThat(PasswordFile.removeUser(file, "carol")).isFalse();

    assertThat(Files.readAllLines(file)).containsExactly("# keep", "bob:" + BOB);
  }

  @Test
  void shouldRefuseToEditAnInvalidFileAndLeaveItUntouched() throws IOException {
    Path file = write("alice:" + ALICE, "broken");
    byte[] before = Files.readAllBytes(file);

    assertThatThrownBy(() -> PasswordFile.putUser(file, "bob", PasswordHash.parse(BOB), false))
        .isInstanceOf(AuthFileException.class)
        .hasMessageContaining(":2:");
    assertThatThrownBy(() -> PasswordFile.removeUser(file, "alice"))
        .isInstanceOf(AuthFileException.class);

    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void shouldWriteTheFileOwnerReadableOnlyAndLeaveNoTemporaryFile() throws IOException {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = write("alice:" + ALICE);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    PasswordFile.putUser(file, "bob", PasswordHash.parse(BOB), false);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void shouldRefuseUsernamesTheFileOrAnAclCannotHold() {
    for (String bad : List.of("", "a:b", "a b", "a\tb", "#a", "a\nb", "a\u00A0b")) {
      assertThatThrownBy(() -> PasswordFile.validateUsername(bad))
          .as("username '%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    PasswordFile.validateUsername("device-42@fleet.example");
    PasswordFile.validateUsername("ünïcødé");
  }

  @Test
  void shouldRefuseToAddAnInvalidUsername() throws IOException {
    Path file = write("alice:" + ALICE);

    assertThatThrownBy(() -> PasswordFile.putUser(file, "a:b", PasswordHash.parse(BOB), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not contain ':'");
  }

  private Path write(String... lines) throws IOException {
    Path file = dir.resolve("passwd");
    Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    return file;
  }
}
