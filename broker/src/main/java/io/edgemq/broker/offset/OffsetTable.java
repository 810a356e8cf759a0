package io.edgemq.broker.offset;

import io.edgemq.broker.common.AtomicFiles;
import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.v1.Code;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Committed offsets in memory, written to the {@code offsets} file by {@link #flush()}.
 *
 * <p>File format (UTF-8 text): a header line, then one line per entry with tab-separated fields
 * {@code group topic queueId offset epoch clientId}; the client id is URL-encoded (empty for
 * clustering groups).
 */
public final class OffsetTable {
  /** The file name under the broker's data directory. */
  public static final String FILE = "offsets";

  private static final String HEADER =
      "# edgemq offsets v1: group topic queueId offset epoch client";

  private final Path file;
  private final Map<OffsetKey, OffsetEntry> entries = new ConcurrentHashMap<>();
  private final AtomicBoolean dirty = new AtomicBoolean();

  private OffsetTable(Path file) {
    this.file = file;
  }

  /**
   * @param dataDir the broker's data directory
   * @return the table with the file's entries
   * @throws IOException when the file cannot be read or parsed
   */
  public static OffsetTable load(Path dataDir) throws IOException {
    OffsetTable t = new OffsetTable(dataDir.resolve(FILE));
    if (Files.exists(t.file)) {
      int n = 0;
      for (String line : Files.readAllLines(t.file, StandardCharsets.UTF_8)) {
        n++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        try {
          OffsetKey k =
              new OffsetKey(
                  f[0],
                  f[1],
                  Integer.parseInt(f[2]),
                  URLDecoder.decode(f[5], StandardCharsets.UTF_8));
          t.entries.put(k, new OffsetEntry(Long.parseLong(f[3]), Long.parseLong(f[4])));
        } catch (RuntimeException e) {
          throw new IOException(t.file + " line " + n + " is not an offset: '" + line + "'", e);
        }
      }
    }
    return t;
  }

  /**
   * @param key whose offset
   * @return the entry, if any
   */
  public Optional<OffsetEntry> find(OffsetKey key) {
    return Optional.ofNullable(entries.get(key));
  }

  /**
   * @param key whose offset
   * @return the current epoch (0 when nothing is known)
   */
  public long epoch(OffsetKey key) {
    OffsetEntry e = entries.get(key);
    return e == null ? 0 : e.epoch();
  }

  /**
   * Records an offset unless the caller's epoch is stale.
   *
   * @param key whose offset
   * @param offset the next message to consume
   * @param callerEpoch the epoch the caller got from QueryOffset
   * @throws Rejection OFFSET_RESET when an admin reset the offset since
   */
  public void commit(OffsetKey key, long offset, long callerEpoch) {
    entries.compute(
        key,
        (k, old) -> {
          long epoch = old == null ? 0 : old.epoch();
          if (callerEpoch < epoch) {
            throw new Rejection(
                Code.OFFSET_RESET,
                "offset of "
                    + k.topic()
                    + "/"
                    + k.queueId()
                    + " for group "
                    + k.group()
                    + " was reset (epoch "
                    + epoch
                    + ", request "
                    + callerEpoch
                    + "): query the offset again");
          }
          return new OffsetEntry(offset, epoch);
        });
    dirty.set(true);
  }

  /**
   * Sets an offset as an admin reset does: the epoch goes up by one, so holders of the old epoch
   * get OFFSET_RESET.
   *
   * @param key whose offset
   * @param offset the new offset
   * @return the new entry
   */
  public OffsetEntry reset(OffsetKey key, long offset) {
    OffsetEntry e =
        entries.compute(
            key, (k, old) -> new OffsetEntry(offset, old == null ? 1 : old.epoch() + 1));
    dirty.set(true);
    return e;
  }

  /**
   * @param group a deleted consumer group: its offsets go
   */
  public void removeGroup(String group) {
    if (entries.keySet().removeIf(k -> k.group().equals(group))) {
      dirty.set(true);
    }
  }

  /**
   * @param group a consumer group
   * @return whether it has any entry
   */
  public boolean hasGroup(String group) {
    return entries.keySet().stream().anyMatch(k -> k.group().equals(group));
  }

  /**
   * @param topic a deleted topic: its offsets go
   */
  public void removeTopic(String topic) {
    if (entries.keySet().removeIf(k -> k.topic().equals(topic))) {
      dirty.set(true);
    }
  }

  /**
   * @return every group with at least one offset, sorted
   */
  public java.util.SortedSet<String> groups() {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    for (OffsetKey k : entries.keySet()) {
      out.add(k.group());
    }
    return out;
  }

  /**
   * @param group a consumer group
   * @return its entries, ordered by topic, queue and client
   */
  public List<Map.Entry<OffsetKey, OffsetEntry>> ofGroup(String group) {
    List<Map.Entry<OffsetKey, OffsetEntry>> out = new ArrayList<>();
    for (Map.Entry<OffsetKey, OffsetEntry> e : entries.entrySet()) {
      if (e.getKey().group().equals(group)) {
        out.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    out.sort(Map.Entry.comparingByKey(ORDER));
    return out;
  }

  private static final Comparator<OffsetKey> ORDER =
      Comparator.comparing(OffsetKey::group)
          .thenComparing(OffsetKey::topic)
          .thenComparingInt(OffsetKey::queueId)
          .thenComparing(OffsetKey::clientId);

  /**
   * Writes the table if it changed since the last write (temp file, force, rename).
   *
   * @throws IOException when writing fails; the table stays dirty
   */
  public synchronized void flush() throws IOException {
    if (!dirty.getAndSet(false)) {
      return;
    }
    List<Map.Entry<OffsetKey, OffsetEntry>> all = new ArrayList<>(entries.entrySet());
    all.sort(Map.Entry.comparingByKey(ORDER));
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Map.Entry<OffsetKey, OffsetEntry> e : all) {
      OffsetKey k = e.getKey();
      sb.append(k.group())
          .append('\t')
          .append(k.topic())
          .append('\t')
          .append(k.queueId())
          .append('\t')
          .append(e.getValue().offset())
          .append('\t')
          .append(e.getValue().epoch())
          .append('\t')
          .append(URLEncoder.encode(k.clientId(), StandardCharsets.UTF_8))
          .append('\n');
    }
    try {
      AtomicFiles.write(file, sb.toString());
    } catch (IOException e) {
      dirty.set(true);
      throw e;
    }
  }
}
