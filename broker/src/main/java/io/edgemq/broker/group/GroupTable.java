package io.edgemq.broker.group;

import io.edgemq.broker.api.DeliveryConfig;
import io.edgemq.broker.common.AtomicFiles;
import io.edgemq.broker.common.Names;
import io.edgemq.broker.common.Rejection;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.GroupConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer group table, kept in the {@code groups} file of the broker's data directory: a
 * header line, then one line per group, {@code name consumeDisabled maxRetries retryBackoffMs}
 * separated by a single space, e.g. {@code billing false 3 200,400} or {@code billing false - -}
 * ({@code -}: the broker's default). Lines of the first version ({@code name consumeDisabled}) are
 * read as using the defaults. Every change is written (temp file, force, rename) before it is
 * visible.
 */
public final class GroupTable {
  /** The file name under the broker's data directory. */
  public static final String FILE = "groups";

  static final String HEADER =
      "# edgemq groups v2: name consumeDisabled maxRetries(-=default) retryBackoffMs(a,b,..|-)";
  private static final Logger LOG = LoggerFactory.getLogger(GroupTable.class);

  private final Path file;
  private final TreeMap<String, GroupConfig> groups = new TreeMap<>();

  private GroupTable(Path file) {
    this.file = file;
  }

  /**
   * @param dataDir the broker's data directory
   * @return the table with the file's groups
   * @throws IOException when the file cannot be read or parsed
   */
  public static GroupTable load(Path dataDir) throws IOException {
    GroupTable t = new GroupTable(dataDir.resolve(FILE));
    if (!Files.exists(t.file)) {
      return t;
    }
    int n = 0;
    for (String line : Files.readAllLines(t.file, StandardCharsets.UTF_8)) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.trim().split(" ");
      try {
        if ((f.length != 2 && f.length != 4) || !(f[1].equals("true") || f[1].equals("false"))) {
          throw new IllegalArgumentException("expected 'name true|false [maxRetries backoffs]'");
        }
        Names.checkConsumerGroup(f[0]);
        GroupConfig.Builder g =
            GroupConfig.newBuilder().setGroup(f[0]).setConsumeDisabled(Boolean.parseBoolean(f[1]));
        if (f.length == 4) {
          if (!f[2].equals("-")) {
            g.setMaxRetries(Integer.parseInt(f[2]));
          }
          if (!f[3].equals("-")) {
            for (String ms : f[3].split(",")) {
              g.addRetryBackoffMs(Long.parseLong(ms));
            }
          }
        }
        t.groups.put(f[0], checkRetry(g.build()));
      } catch (IllegalArgumentException | Rejection e) {
        throw new IOException(t.file + " line " + n + " is not a group: '" + line + "'", e);
      }
    }
    return t;
  }

  /**
   * @param name a group name
   * @return its configuration, if the group exists
   */
  public synchronized Optional<GroupConfig> find(String name) {
    return Optional.ofNullable(groups.get(name));
  }

  /**
   * @param name a group name (already checked)
   * @return its configuration
   * @throws Rejection GROUP_NOT_FOUND
   */
  public synchronized GroupConfig require(String name) {
    GroupConfig g = groups.get(name);
    if (g == null) {
      throw new Rejection(
          Code.GROUP_NOT_FOUND, "consumer group '" + name + "' does not exist here");
    }
    return g;
  }

  /**
   * @param name a group name
   * @return whether its consumption is disabled (false for unknown groups)
   */
  public synchronized boolean consumeDisabled(String name) {
    GroupConfig g = groups.get(name);
    return g != null && g.getConsumeDisabled();
  }

  /**
   * @return every group, ordered by name
   */
  public synchronized List<GroupConfig> all() {
    return new ArrayList<>(groups.values());
  }

  /**
   * @param req the new group
   * @return the group as created
   * @throws Rejection ILLEGAL_GROUP, ALREADY_EXISTS, SERVICE_UNAVAILABLE (file not written)
   */
  public synchronized GroupConfig create(GroupConfig req) {
    Names.checkConsumerGroup(req.getGroup());
    if (groups.containsKey(req.getGroup())) {
      throw new Rejection(
          Code.ALREADY_EXISTS, "consumer group '" + req.getGroup() + "' already exists");
    }
    return put(req);
  }

  /**
   * Creates a group with the defaults when it does not exist (a heartbeat into an unknown group). A
   * failed write is logged; the group then lives in memory until the next successful write.
   *
   * @param name a checked group name
   */
  public synchronized void createIfAbsent(String name) {
    if (groups.containsKey(name)) {
      return;
    }
    GroupConfig g = GroupConfig.newBuilder().setGroup(name).build();
    groups.put(name, g);
    try {
      write();
    } catch (UncheckedIOException e) {
      LOG.error("writing {} after auto-creating group {} failed", file, name, e);
    }
  }

  /**
   * @param req the group's new configuration
   * @return the group as now configured
   * @throws Rejection ILLEGAL_GROUP, GROUP_NOT_FOUND, SERVICE_UNAVAILABLE
   */
  public synchronized GroupConfig update(GroupConfig req) {
    Names.checkConsumerGroup(req.getGroup());
    require(req.getGroup());
    return put(req);
  }

  /**
   * @param name the group
   * @return the removed configuration
   * @throws Rejection ILLEGAL_GROUP, GROUP_NOT_FOUND, SERVICE_UNAVAILABLE
   */
  public synchronized GroupConfig delete(String name) {
    Names.checkConsumerGroup(name);
    GroupConfig old = require(name);
    groups.remove(name);
    try {
      write();
    } catch (UncheckedIOException e) {
      groups.put(name, old);
      throw unavailable(e);
    }
    return old;
  }

  private static GroupConfig checkRetry(GroupConfig g) {
    if (g.hasMaxRetries()
        && (g.getMaxRetries() < 0 || g.getMaxRetries() > DeliveryConfig.MAX_RETRIES_LIMIT)) {
      throw new Rejection(
          Code.BAD_REQUEST, "max_retries " + g.getMaxRetries() + " is not within [0, 64]");
    }
    if (g.getRetryBackoffMsCount() > 64) {
      throw new Rejection(Code.BAD_REQUEST, "at most 64 retry_backoff_ms levels");
    }
    for (long ms : g.getRetryBackoffMsList()) {
      if (ms < 1 || ms > DeliveryConfig.MAX_LEVEL.toMillis()) {
        throw new Rejection(
            Code.BAD_REQUEST, "retry_backoff_ms " + ms + " is not within [1, 86400000]");
      }
    }
    return g;
  }

  private GroupConfig put(GroupConfig req) {
    GroupConfig.Builder b =
        GroupConfig.newBuilder()
            .setGroup(req.getGroup())
            .setConsumeDisabled(req.getConsumeDisabled())
            .addAllRetryBackoffMs(req.getRetryBackoffMsList());
    if (req.hasMaxRetries()) {
      b.setMaxRetries(req.getMaxRetries());
    }
    GroupConfig g = checkRetry(b.build());
    GroupConfig old = groups.put(g.getGroup(), g);
    try {
      write();
    } catch (UncheckedIOException e) {
      if (old == null) {
        groups.remove(g.getGroup());
      } else {
        groups.put(g.getGroup(), old);
      }
      throw unavailable(e);
    }
    return g;
  }

  private Rejection unavailable(UncheckedIOException e) {
    LOG.error("writing {} failed", file, e);
    return new Rejection(
        Code.SERVICE_UNAVAILABLE, "cannot write the group table: " + e.getCause().getMessage());
  }

  private void write() {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (GroupConfig g : groups.values()) {
      sb.append(g.getGroup()).append(' ').append(g.getConsumeDisabled()).append(' ');
      sb.append(g.hasMaxRetries() ? Integer.toString(g.getMaxRetries()) : "-").append(' ');
      List<String> levels = new ArrayList<>();
      g.getRetryBackoffMsList().forEach(ms -> levels.add(Long.toString(ms)));
      sb.append(levels.isEmpty() ? "-" : String.join(",", levels)).append('\n');
    }
    try {
      AtomicFiles.write(file, sb.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
