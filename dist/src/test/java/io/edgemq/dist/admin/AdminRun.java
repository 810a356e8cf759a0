package io.edgemq.dist.admin;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * One {@code edgemq admin} command run in the test JVM, with what it printed.
 *
 * @param status its exit status
 * @param out standard output
 * @param err standard error
 */
record AdminRun(int status, String out, String err) {

  /**
   * @param args the command line after {@code edgemq admin}
   * @return what the command did
   */
  static AdminRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        new CommandLine(new AdminCommand())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new AdminRun(status, out.toString(), err.toString());
  }

  /** Parses {@code --json} output (JSON is YAML, and SnakeYAML is already on the test path). */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> json() {
    return (List<Map<String, Object>>) new Yaml().load(out);
  }
}
