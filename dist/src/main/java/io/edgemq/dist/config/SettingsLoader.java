package io.edgemq.dist.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Resolves a process's settings from, in increasing precedence: each key's default, the profile's
 * defaults (standalone differs from a cluster node), the config file ({@code .properties}) and the
 * command-line overrides. Refuses unknown keys, keys of roles the process does not run, and values
 * their key's parser refuses, all at once.
 */
public final class SettingsLoader {
  private final Set<Role> roles;
  private final Map<String, String> profileDefaults;

  /**
   * @param roles the roles the process runs ({@link Role#PROCESS} is always added)
   * @param profileDefaults defaults that replace the keys' own for this kind of process
   */
  public SettingsLoader(Set<Role> roles, Map<String, String> profileDefaults) {
    EnumSet<Role> all = EnumSet.of(Role.PROCESS);
    all.addAll(roles);
    this.roles = all;
    this.profileDefaults = Map.copyOf(profileDefaults);
  }

  /**
   * @param file the config file, or null for none
   * @param overrides {@code key=value} pairs from the command line, applied last
   * @return the settings
   * @throws ConfigException naming every refused key and why
   */
  public Settings load(Path file, Map<String, String> overrides) throws ConfigException {
    List<String> problems = new ArrayList<>();
    Map<String, String> texts = new TreeMap<>();
    for (Key<?> key : Keys.all()) {
      if (roles.contains(key.role())) {
        texts.put(key.name(), profileDefaults.getOrDefault(key.name(), key.defaultText()));
      }
    }
    if (file != null) {
      apply(readFile(file, problems), "config file " + file, texts, problems);
    }
    apply(overrides, "command line", texts, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Settings(roles, texts);
  }

  private void apply(
      Map<String, String> given, String source, Map<String, String> texts, List<String> problems) {
    for (Map.Entry<String, String> e : given.entrySet()) {
      String name = e.getKey().trim();
      String text = e.getValue() == null ? "" : e.getValue().trim();
      Key<?> key = Keys.find(name).orElse(null);
      if (key == null) {
        problems.add(source + ": " + name + ": unknown key (see docs/dist.md)");
        continue;
      }
      if (!roles.contains(key.role())) {
        problems.add(
            source
                + ": "
                + name
                + ": a "
                + key.role().name().toLowerCase()
                + " key, but this process runs "
                + roleNames());
        continue;
      }
      if (!text.isEmpty() || key.defaultText().isEmpty()) {
        try {
          key.parse(text);
        } catch (IllegalArgumentException ex) {
          problems.add(source + ": " + name + "=" + text + ": " + ex.getMessage());
          continue;
        }
      } else {
        problems.add(source + ": " + name + " is empty; remove the line to keep the default");
        continue;
      }
      texts.put(name, text);
    }
  }

  private String roleNames() {
    List<String> names = new ArrayList<>();
    for (Role r : roles) {
      if (r != Role.PROCESS) {
        names.add(r.name().toLowerCase());
      }
    }
    return String.join(" + ", names);
  }

  private static Map<String, String> readFile(Path file, List<String> problems) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      problems.add("config file " + file + ": not found");
    } catch (IOException | IllegalArgumentException e) {
      problems.add("config file " + file + ": cannot be read: " + e.getMessage());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
      out.put(name, p.getProperty(name));
    }
    return out;
  }
}
