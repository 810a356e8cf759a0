package io.edgemq.nameserver.kv;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The KV file: UTF-8 text, one entry per line as {@code namespace TAB key TAB value}, with
 * backslash, tab, line feed and carriage return escaped as {@code \\ \t \n \r}, and a {@code #}
 * that begins a line as {@code \#}. Lines starting with {@code #} and empty lines are ignored. Text
 * rather than binary so an operator can read and diff it; every change rewrites the whole file
 * through a temporary file and an atomic rename, so a crash leaves either the old or the new
 * content.
 */
final class KvFile {
  static final String HEADER =
      "# edgemq nameserver KV config, format 1: namespace<TAB>key<TAB>value per line;"
          + " \\\\ \\t \\n \\r are escaped, a leading # as \\#";

  private KvFile() {}

  static Map<String, Map<String, String>> read(Path file) throws IOException {
    Map<String, Map<String, String>> entries = new TreeMap<>();
    if (!Files.exists(file)) {
      return entries;
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\t", -1);
      if (fields.length != 3) {
        throw new IOException(
            file + ":" + (i + 1) + ": expected namespace<TAB>key<TAB>value, got " + fields.length);
      }
      try {
        entries
            .computeIfAbsent(unescape(fields[0]), n -> new TreeMap<>())
            .put(unescape(fields[1]), unescape(fields[2]));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return entries;
  }

  static void write(Path file, Map<String, Map<String, String>> entries) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      out.write(HEADER);
      out.newLine();
      for (Map.Entry<String, Map<String, String>> ns : entries.entrySet()) {
        for (Map.Entry<String, String> e : ns.getValue().entrySet()) {
          // a namespace starting with '#' would read back as a comment line
          String namespace = escape(ns.getKey());
          if (namespace.startsWith("#")) {
            namespace = "\\" + namespace;
          }
          out.write(namespace + '\t' + escape(e.getKey()) + '\t' + escape(e.getValue()));
          out.newLine();
        }
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
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i == s.length()) {
        throw new IllegalArgumentException("backslash at the end of a field");
      }
      out.append(
          switch (s.charAt(i)) {
            case '\\' -> '\\';
            case 't' -> '\t';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case '#' -> '#';
            default -> throw new IllegalArgumentException("unknown escape \\" + s.charAt(i));
          });
    }
    return out.toString();
  }
}
