package io.edgemq.gateway.auth;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The password file: UTF-8 text, one user per line as {@code <username>:<encoded hash>} (see {@link
 * PasswordHash}); lines that are blank or start with {@code #} are ignored. Only hashes are ever
 * stored, never a password.
 *
 * <p>{@link #load} validates every line, so a typo is reported with its line number instead of
 * locking one device out. {@link #putUser} and {@link #removeUser} keep every other line, comments
 * included, and replace the file through a temporary file (mode 0600 where the file system is
 * POSIX) and an atomic rename: a reader sees the old or the new file, never half of one. Two edits
 * at the same moment are not serialized; the last rename wins.
 */
public final class PasswordFile {
  private final Path file;
  private final Map<String, PasswordHash> users;

  private PasswordFile(Path file, Map<String, PasswordHash> users) {
    this.file = file;
    this.users = Collections.unmodifiableMap(users);
  }

  /**
   * Reads and validates a password file.
   *
   * @param file the file
   * @return its users
   * @throws AuthFileException if a line is malformed or a user appears twice, naming the line
   * @throws IOException if the file cannot be read
   */
  public static PasswordFile load(Path file) throws IOException {
    Map<String, PasswordHash> users = new LinkedHashMap<>();
    for (Line line : parse(file, readLines(file))) {
      users.put(line.username, line.hash);
    }
    return new PasswordFile(file, users);
  }

  /**
   * Adds a user or replaces the hash of an existing one.
   *
   * @param file the password file
   * @param username a valid username (see {@link #validateUsername})
   * @param hash the user's new password hash
   * @param createIfMissing whether a missing file is created instead of reported
   * @return true if the user was added, false if an existing user's hash was replaced
   * @throws NoSuchFileException if the file is missing and {@code createIfMissing} is false
   * @throws AuthFileException if the existing file is invalid; it is left as it is
   * @throws IOException if the file cannot be read or written
   */
  public static boolean putUser(
      Path file, String username, PasswordHash hash, boolean createIfMissing) throws IOException {
    validateUsername(username);
    List<String> lines =
        createIfMissing && !Files.exists(file) ? new ArrayList<>() : readLines(file);
    String newLine = username + ':' + hash.encoded();
    Line existing = find(parse(file, lines), username);
    if (existing == null) {
      lines.add(newLine);
    } else {
      lines.set(existing.index, newLine);
    }
    writeAtomically(file, lines);
    return existing == null;
  }

  /**
   * Removes a user.
   *
   * @param file the password file
   * @param username the user to remove
   * @return true if the user was removed, false if the file did not hold it (the file is untouched)
   * @throws AuthFileException if the file is invalid; it is left as it is
   * @throws IOException if the file cannot be read or written
   */
  public static boolean removeUser(Path file, String username) throws IOException {
    List<String> lines = readLines(file);
    Line existing = find(parse(file, lines), username);
    if (existing == null) {
      return false;
    }
    lines.remove(existing.index);
    writeAtomically(file, lines);
    return true;
  }

  /**
   * Checks that a username can be stored in the file and named by an ACL rule.
   *
   * @param username the username
   * @throws IllegalArgumentException if it is empty, starts with {@code #}, or holds {@code :},
   *     white space or a control character
   */
  public static void validateUsername(String username) {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("username must not be empty");
    }
    if (username.startsWith("#")) {
      // the line would read back as a comment
      throw new IllegalArgumentException("username '" + username + "' must not start with '#'");
    }
    for (int i = 0; i < username.length(); i++) {
      char c = username.charAt(i);
      if (c == ':') {
        throw new IllegalArgumentException("username '" + username + "' must not contain ':'");
      }
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
        // ACL rules separate fields by white space, and a line break would split the entry
        throw new IllegalArgumentException(
            "username '" + username + "' must not contain white space or control characters");
      }
    }
  }

  /**
   * @param username a username
   * @return its password hash, or null if the file has no such user
   */
  public PasswordHash get(String username) {
    return users.get(username);
  }

  /**
   * @return the usernames, in file order
   */
  public Set<String> usernames() {
    return users.keySet();
  }

  /**
   * @return how many users the file holds
   */
  public int size() {
    return users.size();
  }

  /**
   * @return the file this was read from
   */
  public Path file() {
    return file;
  }

  private static List<String> readLines(Path file) throws IOException {
    return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  private static List<Line> parse(Path file, List<String> lines) throws AuthFileException {
    List<Line> users = new ArrayList<>();
    Map<String, Integer> firstLine = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i).strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      int colon = text.indexOf(':');
      if (colon < 0) {
        throw new AuthFileException(file, i + 1, "expected <username>:<password hash>");
      }
      String username = text.substring(0, colon);
      PasswordHash hash;
      try {
        validateUsername(username);
        hash = PasswordHash.parse(text.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw new AuthFileException(file, i + 1, e.getMessage());
      }
      Integer first = firstLine.putIfAbsent(username, i + 1);
      if (first != null) {
        throw new AuthFileException(
            file, i + 1, "duplicate user '" + username + "' (first on line " + first + ")");
      }
      users.add(new Line(i, username, hash));
    }
    return users;
  }

  private static Line find(List<Line> lines, String username) {
    for (Line line : lines) {
      if (line.username.equals(username)) {
        return line;
      }
    }
    return null;
  }

  private static void writeAtomically(Path file, List<String> lines) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    FileAttribute<?>[] ownerOnly =
        dir.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
            }
            : new FileAttribute<?>[0];
    // created with its final mode, so the hashes are never readable by others, not even briefly
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", ownerOnly);
    try {
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (String line : lines) {
          out.write(line);
          out.write('\n');
        }
      }
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A user line: its 0-based index in the file's lines, so an edit can replace it in place. */
  private record Line(int index, String username, PasswordHash hash) {}
}
