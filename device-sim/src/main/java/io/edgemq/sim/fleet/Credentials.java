package io.edgemq.sim.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Device credentials from a file: one {@code username:password} per line (blank lines and lines
 * starting with {@code #} are skipped); device n uses entry n modulo the number of entries.
 */
public final class Credentials {
  private final List<Entry> entries;

  private Credentials(List<Entry> entries) {
    this.entries = entries;
  }

  /**
   * Reads a credentials file.
   *
   * @param file the file
   * @return the credentials
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException naming the line that does not parse, or if it has no entries
   */
  public static Credentials read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected username:password");
      }
      entries.add(new Entry(line.substring(0, colon), line.substring(colon + 1)));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(file + ": no username:password lines");
    }
    return new Credentials(List.copyOf(entries));
  }

  /**
   * The entry of device {@code index}.
   *
   * @param index the device number
   * @return its credentials
   */
  public Entry forDevice(int index) {
    return entries.get(index % entries.size());
  }

  /**
   * One user name and password.
   *
   * @param username user name
   * @param password password
   */
  public record Entry(String username, String password) {
    @Override
    public String toString() {
      return "Entry[" + username + ", ***]";
    }
  }
}
