package io.edgemq.nameserver.kv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * KV config entries by namespace and key. Reads see an immutable copy; writes are serialised, and
 * with a file configured a change is visible only after the file holds it, so an entry a caller was
 * told is stored survives a restart.
 */
public final class KvConfigStore {
  private final Path file;
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile Map<String, Map<String, String>> entries;

  private KvConfigStore(Path file, Map<String, Map<String, String>> entries) {
    this.file = file;
    this.entries = entries;
  }

  /**
   * Opens the store, loading the file if one is configured and exists.
   *
   * @param file the KV file, or null to keep entries in memory only
   * @return the store
   * @throws IOException if the file cannot be read or is malformed (refusing to start rather than
   *     silently losing configuration)
   */
  public static KvConfigStore open(Path file) throws IOException {
    if (file == null) {
      return new KvConfigStore(null, Map.of());
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new KvConfigStore(file, freeze(KvFile.read(file)));
  }

  /**
   * Reads an entry.
   *
   * @param namespace the namespace
   * @param key the key
   * @return the value, if set
   */
  public Optional<String> get(String namespace, String key) {
    return Optional.ofNullable(entries.getOrDefault(namespace, Map.of()).get(key));
  }

  /**
   * Lists a namespace.
   *
   * @param namespace the namespace
   * @return its entries, sorted by key; empty for an unknown namespace
   */
  public Map<String, String> list(String namespace) {
    return entries.getOrDefault(namespace, Map.of());
  }

  /**
   * Sets an entry, replacing any earlier value.
   *
   * @param namespace the namespace
   * @param key the key
   * @param value the value
   * @throws IOException if the file could not be written; the entry is then not changed
   */
  public void put(String namespace, String key, String value) throws IOException {
    writeLock.lock();
    try {
      Map<String, Map<String, String>> next = mutableCopy();
      next.computeIfAbsent(namespace, n -> new TreeMap<>()).put(key, value);
      commit(next);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Removes an entry.
   *
   * @param namespace the namespace
   * @param key the key
   * @return false if there was no such entry
   * @throws IOException if the file could not be written; the entry is then not changed
   */
  public boolean delete(String namespace, String key) throws IOException {
    writeLock.lock();
    try {
      if (get(namespace, key).isEmpty()) {
        return false;
      }
      Map<String, Map<String, String>> next = mutableCopy();
      Map<String, String> ns = next.get(namespace);
      ns.remove(key);
      if (ns.isEmpty()) {
        next.remove(namespace);
      }
      commit(next);
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  private Map<String, Map<String, String>> mutableCopy() {
    Map<String, Map<String, String>> copy = new TreeMap<>();
    entries.forEach((ns, kv) -> copy.put(ns, new TreeMap<>(kv)));
    return copy;
  }

  private void commit(Map<String, Map<String, String>> next) throws IOException {
    if (file != null) {
      KvFile.write(file, next);
    }
    entries = freeze(next);
  }

  private static Map<String, Map<String, String>> freeze(Map<String, Map<String, String>> m) {
    Map<String, Map<String, String>> frozen = new TreeMap<>();
    m.forEach((ns, kv) -> frozen.put(ns, Collections.unmodifiableMap(new TreeMap<>(kv))));
    return Collections.unmodifiableMap(frozen);
  }
}
