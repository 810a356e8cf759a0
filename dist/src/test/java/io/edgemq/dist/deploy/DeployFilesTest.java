package io.edgemq.dist.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.dist.EdgemqMain;
import io.edgemq.dist.config.Key;
import io.edgemq.dist.config.Keys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * deploy/ checked offline (no Docker or Kubernetes on the build machine): every YAML and JSON file
 * parses, every config key they set is one the launcher knows with a value it accepts, every server
 * start they describe passes the launcher's full {@code --check} (cross-field checks included), and
 * every port they expose or scrape is one a role listens on.
 */
class DeployFilesTest {
  private static final Pattern SET =
      Pattern.compile("--set[\\s\"'-]*([a-z]+\\.[A-Za-z.]+)=([^\\s\"'\\]]*)");
  private static final Pattern SCRIPT_HTTP_DEFAULT = Pattern.compile("_HTTP:-(\\d+)");

  private static Path deploy() {
    return Path.of(System.getProperty("edgemq.repo.dir", ".."))
        .toAbsolutePath()
        .normalize()
        .resolve("deploy");
  }

  private static List<Path> files(String... suffixes) throws IOException {
    try (Stream<Path> all = Files.walk(deploy())) {
      return all.filter(Files::isRegularFile)
          .filter(p -> Stream.of(suffixes).anyMatch(s -> p.toString().endsWith(s)))
          .sorted()
          .toList();
    }
  }

  private static List<Object> yamlDocuments(Path file) throws IOException {
    List<Object> docs = new ArrayList<>();
    new Yaml().loadAll(Files.readString(file)).forEach(docs::add);
    return docs;
  }

  @Test
  void shouldParseEveryYamlAndJsonFile() throws IOException {
    List<Path> files = files(".yaml", ".yml", ".json");

    for (Path f : files) {
      assertThat(yamlDocuments(f)).as(f.toString()).isNotEmpty().doesNotContainNull();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
  }

  @Test
  void shouldSetOnlyKnownKeysWithValuesTheLauncherAccepts() throws IOException {
    Map<String, String> settings = allSettings();
    List<String> problems = new ArrayList<>();
    settings.forEach(
        (where, text) -> {
          String key = where.substring(where.lastIndexOf(' ') + 1);
          Key<?> k = Keys.find(key).orElse(null);
          if (k == null) {
            problems.add(where + ": unknown key");
          } else if (!text.contains("$")) {
            try {
              k.parse(text);
            } catch (IllegalArgumentException e) {
              problems.add(where + "=" + text + ": " + e.getMessage());
            }
          }
        });

    assertThat(problems).isEmpty();
    assertThat(settings).hasSizeGreaterThan(60);
  }

  @Test
  void shouldExposeAndScrapeOnlyPortsTheRolesListenOn() throws IOException {
    Set<Integer> listening = listeningPorts();
    Map<String, Integer> used = new HashMap<>();
    for (Path f : files(".yaml", ".yml")) {
      for (Object doc : yamlDocuments(f)) {
        collectPorts(f.getFileName() + "", doc, used);
      }
    }
    for (String line : Files.readAllLines(deploy().resolve("docker/Dockerfile"))) {
      if (line.startsWith("EXPOSE ")) {
        for (String p : line.substring(7).trim().split("\\s+")) {
          used.put("Dockerfile EXPOSE " + p, Integer.parseInt(p));
        }
      }
    }

    List<String> strangers = new ArrayList<>();
    used.forEach(
        (where, port) -> {
          if (!listening.contains(port)) {
            strangers.add(where + " -> " + port);
          }
        });
    assertThat(strangers).as("ports no role listens on (listening: " + listening + ")").isEmpty();
    assertThat(used).hasSizeGreaterThan(20);
  }

  @Test
  void shouldProbeEveryKubernetesContainerOnHealth() throws IOException {
    int containers = 0;
    for (Path f : files(".yaml")) {
      if (!f.startsWith(deploy().resolve("k8s"))) {
        continue;
      }
      for (Object doc : yamlDocuments(f)) {
        for (Map<?, ?> c : containers(doc)) {
          containers++;
          for (String probe : List.of("readinessProbe", "livenessProbe")) {
            Map<?, ?> get = (Map<?, ?>) ((Map<?, ?>) c.get(probe)).get("httpGet");
            assertThat(get.get("path")).as(f + " " + probe).isEqualTo("/health");
            assertThat(get.get("port")).as(f + " " + probe).isEqualTo(8080);
          }
        }
      }
    }
    assertThat(containers).isEqualTo(4); // two nameservers, brokers, gateways
  }

  @Test
  void shouldPassTheLaunchersFullCheckForEveryServerDeployStarts(@TempDir Path scratch)
      throws IOException {
    List<DeployLaunches.Launch> launches = DeployLaunches.all(deploy(), scratch);
    List<String> refused = new ArrayList<>();
    PrintStream err = System.err;
    PrintStream out = System.out;
    for (DeployLaunches.Launch l : launches) {
      List<String> args = new ArrayList<>(l.args());
      args.add("--check");
      ByteArrayOutputStream why = new ByteArrayOutputStream();
      int status;
      System.setErr(new PrintStream(why, true, StandardCharsets.UTF_8));
      System.setOut(new PrintStream(OutputStream.nullOutputStream())); // --check lists every key
      try {
        status =
            new CommandLine(new EdgemqMain())
                .setOut(new PrintWriter(OutputStream.nullOutputStream()))
                .execute(args.toArray(String[]::new));
      } finally {
        System.setErr(err);
        System.setOut(out);
      }
      if (status != 0) {
        refused.add(l.where() + " " + args + " -> " + status + ": " + why.toString(UTF_8));
      }
    }

    assertThat(refused).isEmpty();
    // 6 local processes, 4 systemd units, 6 compose services, 4 Kubernetes containers
    assertThat(launches).hasSize(20);
  }

  /** "file key" -> value of every setting in deploy/: .properties, ConfigMaps, --set arguments. */
  private static Map<String, String> allSettings() throws IOException {
    Map<String, String> out = new HashMap<>();
    for (Path f : files(".properties")) {
      readProperties(f.toString(), Files.readString(f), out);
    }
    for (Path f : files(".yaml")) {
      for (Object doc : yamlDocuments(f)) {
        if (doc instanceof Map<?, ?> m && "ConfigMap".equals(m.get("kind"))) {
          for (Map.Entry<?, ?> e : ((Map<?, ?>) m.get("data")).entrySet()) {
            readProperties(f + " " + e.getKey(), e.getValue().toString(), out);
          }
        }
        collectSetArguments(f.toString(), doc, out);
      }
    }
    for (Path f : files(".sh", ".service", "Dockerfile")) {
      Matcher m = SET.matcher(Files.readString(f));
      int n = 0;
      while (m.find()) {
        out.put(f + " --set#" + n++ + " " + m.group(1), m.group(2));
      }
    }
    return out;
  }

  /** In YAML, a command is a list: the element after "--set" is the whole key=value. */
  private static void collectSetArguments(String where, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> map) {
      map.values().forEach(v -> collectSetArguments(where, v, out));
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        if ("--set".equals(list.get(i)) && i + 1 < list.size()) {
          String kv = String.valueOf(list.get(i + 1));
          int eq = kv.indexOf('=');
          out.put(
              where + " --set#" + out.size() + " " + kv.substring(0, Math.max(0, eq)),
              kv.substring(eq + 1));
        }
        collectSetArguments(where, list.get(i), out);
      }
    }
  }

  private static void readProperties(String where, String text, Map<String, String> out)
      throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    for (String name : p.stringPropertyNames()) {
      out.put(where + " " + name, p.getProperty(name).trim());
    }
  }

  /** Defaults of every port key, ports set in deploy/, and the local cluster's HTTP ports. */
  private static Set<Integer> listeningPorts() throws IOException {
    Set<Integer> out = new TreeSet<>();
    for (Key<?> k : Keys.all()) {
      if (k.name().toLowerCase().endsWith("port")) {
        out.add(Integer.parseInt(k.defaultText()));
      }
    }
    allSettings()
        .forEach(
            (where, text) -> {
              if (where.toLowerCase().endsWith("port") && text.matches("\\d+")) {
                out.add(Integer.parseInt(text));
              }
            });
    Matcher m = SCRIPT_HTTP_DEFAULT.matcher(Files.readString(deploy().resolve("local/cluster.sh")));
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    out.remove(-1);
    return out;
  }

  /** containerPort, targetPort, probe ports, compose "host:container" and scrape targets. */
  private static void collectPorts(String where, Object node, Map<String, Integer> out) {
    if (node instanceof Map<?, ?> map) {
      if (map.get("image") instanceof String image && !image.startsWith("edgemq")) {
        return; // another program's container (Prometheus in compose.yaml)
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        Object v = e.getValue();
        if (Set.of("containerPort", "targetPort", "port").contains(key) && v instanceof Integer i) {
          out.put(where + " " + key + "#" + out.size(), i);
        } else if (key.equals("ports") && v instanceof List<?> list) {
          for (Object o : list) {
            if (o instanceof String s && s.contains(":")) {
              out.put(where + " ports " + s, Integer.parseInt(s.substring(s.lastIndexOf(':') + 1)));
            }
          }
        } else if (key.equals("targets") && v instanceof List<?> list) {
          for (Object o : list) {
            String s = o.toString();
            out.put(where + " target " + s, Integer.parseInt(s.substring(s.lastIndexOf(':') + 1)));
          }
        }
        collectPorts(where, v, out);
      }
    } else if (node instanceof List<?> list) {
      for (Object o : list) {
        collectPorts(where, o, out);
      }
    }
  }

  private static List<Map<?, ?>> containers(Object doc) {
    List<Map<?, ?>> out = new ArrayList<>();
    if (doc instanceof Map<?, ?> m
        && m.get("spec") instanceof Map<?, ?> spec
        && spec.get("template") instanceof Map<?, ?> template
        && template.get("spec") instanceof Map<?, ?> podSpec) {
      for (Object c : (List<?>) podSpec.get("containers")) {
        out.add((Map<?, ?>) c);
      }
    }
    return out;
  }
}
