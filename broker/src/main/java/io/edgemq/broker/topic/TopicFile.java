package io.edgemq.broker.topic;

import io.edgemq.broker.common.AtomicFiles;
import io.edgemq.protocol.v1.Permission;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The {@code topics} file: a header line, then one line per topic, {@code name write read
 * permission} separated by single spaces, e.g. {@code telemetry 8 8 READ_WRITE}.
 */
final class TopicFile {
  static final String HEADER = "# edgemq topics v1: name writeQueues readQueues permission";

  private TopicFile() {}

  static List<Topic> read(Path file) throws IOException {
    List<Topic> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.trim().split(" ");
      try {
        if (f.length != 4) {
          throw new IllegalArgumentException("expected 4 fields");
        }
        out.add(
            new Topic(
                f[0],
                Integer.parseInt(f[1]),
                Integer.parseInt(f[2]),
                Permission.valueOf("PERMISSION_" + f[3])));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + " line " + n + " is not a topic: '" + line + "'", e);
      }
    }
    return out;
  }

  static void write(Path file, Collection<Topic> topics) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Topic t : topics) {
      sb.append(t.name())
          .append(' ')
          .append(t.writeQueues())
          .append(' ')
          .append(t.readQueues())
          .append(' ')
          .append(t.permission().name().substring("PERMISSION_".length()))
          .append('\n');
    }
    AtomicFiles.write(file, sb.toString());
  }
}
