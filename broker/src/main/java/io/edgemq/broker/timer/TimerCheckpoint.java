package io.edgemq.broker.timer;

import io.edgemq.broker.common.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How far the timer got, in {@code <dataDir>/timer/checkpoint} (text, written to a temp file,
 * forced and renamed):
 *
 * <pre>
 * # edgemq timer checkpoint v1
 * enqueued 1234            next %TIMER% queue offset to index into a bucket file
 * delivered 1700000000000 1200   fire time and timer offset of the last entry fired (-1 -1: none)
 * </pre>
 *
 * @param enqueued the next {@code %TIMER%} queue offset to index
 * @param firedAt the fire time of the last fired entry, or -1
 * @param firedOffset the timer offset of the last fired entry, or -1
 */
record TimerCheckpoint(long enqueued, long firedAt, long firedOffset) {
  static final String FILE = "checkpoint";
  private static final String HEADER = "# edgemq timer checkpoint v1";

  /** Nothing indexed, nothing fired. */
  static final TimerCheckpoint EMPTY = new TimerCheckpoint(0, -1, -1);

  /**
   * @param dir the timer directory
   * @return the checkpoint, or {@link #EMPTY} when there is none
   * @throws IOException when it cannot be read or parsed
   */
  static TimerCheckpoint read(Path dir) throws IOException {
    Path p = dir.resolve(FILE);
    if (!Files.exists(p)) {
      return EMPTY;
    }
    List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
    try {
      if (lines.size() < 3 || !lines.get(0).equals(HEADER)) {
        throw new IllegalArgumentException("unexpected header or length");
      }
      String[] e = lines.get(1).split(" ");
      String[] d = lines.get(2).split(" ");
      if (e.length != 2 || !e[0].equals("enqueued") || d.length != 3 || !d[0].equals("delivered")) {
        throw new IllegalArgumentException("unexpected keys");
      }
      return new TimerCheckpoint(Long.parseLong(e[1]), Long.parseLong(d[1]), Long.parseLong(d[2]));
    } catch (IllegalArgumentException ex) {
      throw new IOException(p + " is not a timer checkpoint: " + lines, ex);
    }
  }

  /**
   * @param dir the timer directory
   * @throws IOException on failure
   */
  void write(Path dir) throws IOException {
    AtomicFiles.write(
        dir.resolve(FILE),
        HEADER + "\nenqueued " + enqueued + "\ndelivered " + firedAt + " " + firedOffset + "\n");
  }
}
