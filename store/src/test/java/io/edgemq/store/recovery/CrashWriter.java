package io.edgemq.store.recovery;

import io.edgemq.store.StoreFixtures;
import io.edgemq.store.api.AppendResult;
import io.edgemq.store.api.FlushMode;
import io.edgemq.store.api.Message;
import io.edgemq.store.api.MessageStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The child process of {@link CrashTest}: appends from many threads forever and prints one line per
 * acknowledged message, {@code ACK thread seq queueId queueOffset}, until it is killed.
 */
public final class CrashWriter {
  static final String TOPIC = "crash";

  private CrashWriter() {}

  /**
   * Runs until killed.
   *
   * @param args store directory, flush mode, writer threads
   * @throws Exception on a failure to open
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    FlushMode mode = FlushMode.valueOf(args[1]);
    int threads = Integer.parseInt(args[2]);
    MessageStore store =
        MessageStore.open(StoreFixtures.config(dir, mode).build(), Clock.systemUTC());
    System.out.println("OPEN");
    System.out.flush();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread w = new Thread(() -> write(store, thread), "writer-" + t);
      w.start();
    }
  }

  static Message message(int thread, long seq) {
    return Message.builder()
        .topic(TOPIC)
        .queueId(thread % 4)
        .keys(List.of(key(thread, seq)))
        .body(body(thread, seq))
        .build();
  }

  static String key(int thread, long seq) {
    return "t" + thread + "-s" + seq;
  }

  static byte[] body(int thread, long seq) {
    return ("body of " + key(thread, seq) + " " + "#".repeat((int) (seq % 97)))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void write(MessageStore store, int thread) {
    for (long seq = 0; ; seq++) {
      AppendResult r = store.append(message(thread, seq)).join();
      if (!r.isOk()) {
        System.out.println("FAIL " + r.status() + " " + r.reason());
        return;
      }
      String line = "ACK " + thread + " " + seq + " " + (thread % 4) + " " + r.queueOffset();
      synchronized (System.out) {
        System.out.println(line);
        System.out.flush();
      }
    }
  }
}
