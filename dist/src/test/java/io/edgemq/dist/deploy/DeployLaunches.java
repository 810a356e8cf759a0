package io.edgemq.dist.deploy;

import io.edgemq.dist.config.Key;
import io.edgemq.dist.config.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * Every way deploy/ starts an edgemq server, as the command line it runs: the local cluster
 * script's six processes, the systemd units, the compose services and the Kubernetes containers.
 * Config file paths are mapped onto the files in deploy/ (ConfigMap entries are written to a
 * directory), and values the platform fills in at run time ({@code $NS1_PORT}, {@code $(POD_NAME)})
 * become the key's default.
 */
final class DeployLaunches {
  /**
   * One server start: where it is described, and its arguments after the {@code edgemq} command.
   */
  record Launch(String where, List<String> args) {}

  private static final Pattern CLUSTER_OVERRIDES =
      Pattern.compile("^\\s*([a-z0-9-]+)\\) echo \"(--set [^\"]*)\" ;;", Pattern.MULTILINE);
  private static final Map<String, String> LOCAL_ROLES =
      Map.of("ns", "nameserver", "broker", "broker", "gw", "gateway");

  private DeployLaunches() {}

  /**
   * @param deploy the deploy/ directory
   * @param scratch where ConfigMap entries are written as files
   * @return every launch, in a stable order
   */
  static List<Launch> all(Path deploy, Path scratch) throws IOException {
    List<Launch> out = new ArrayList<>();
    local(deploy.resolve("local"), out);
    systemd(deploy.resolve("systemd"), out);
    Path docker = deploy.resolve("docker");
    Object compose = new Yaml().load(Files.readString(docker.resolve("compose.yaml")));
    commandLists(
        "docker/compose.yaml",
        compose,
        "command",
        p -> docker.resolve("conf").resolve(Path.of(p).getFileName()),
        out);
    Path k8sConf = configMapFiles(deploy.resolve("k8s"), scratch);
    try (Stream<Path> files = Files.list(deploy.resolve("k8s"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : new Yaml().loadAll(Files.readString(f))) {
          commandLists(
              "k8s/" + f.getFileName(),
              doc,
              "args",
              p -> k8sConf.resolve(Path.of(p).getFileName()),
              out);
        }
      }
    }
    return out;
  }

  private static void local(Path dir, List<Launch> out) throws IOException {
    Matcher m = CLUSTER_OVERRIDES.matcher(Files.readString(dir.resolve("cluster.sh")));
    while (m.find()) {
      String name = m.group(1);
      String role = LOCAL_ROLES.get(name.replaceAll("[-0-9].*$", ""));
      List<String> args = new ArrayList<>();
      args.add(role);
      args.add("--config");
      args.add(dir.resolve("conf").resolve(name + ".properties").toString());
      args.addAll(List.of(m.group(2).split("\\s+")));
      out.add(new Launch("local/cluster.sh " + name, runtimeValuesAsDefaults(args)));
    }
  }

  private static void systemd(Path dir, List<Launch> out) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".service")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("ExecStart=")) {
            List<String> args = new ArrayList<>(List.of(line.substring(10).trim().split("\\s+")));
            args.remove(0); // the edgemq command itself
            out.add(
                new Launch(
                    "systemd/" + f.getFileName(),
                    mapConfig(args, p -> dir.resolve(Path.of(p).getFileName()))));
          }
        }
      }
    }
  }

  /** Lists under {@code key} (compose "command", Kubernetes "args") are edgemq command lines. */
  private static void commandLists(
      String where, Object node, String key, Function<String, Path> config, List<Launch> out) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (key.equals(e.getKey()) && e.getValue() instanceof List<?> list) {
          List<String> args = new ArrayList<>();
          list.forEach(o -> args.add(String.valueOf(o)));
          out.add(new Launch(where + " " + args.get(0), mapConfig(args, config)));
        } else {
          commandLists(where, e.getValue(), key, config, out);
        }
      }
    } else if (node instanceof List<?> list) {
      list.forEach(o -> commandLists(where, o, key, config, out));
    }
  }

  private static Path configMapFiles(Path k8s, Path scratch) throws IOException {
    for (Object doc : new Yaml().loadAll(Files.readString(k8s.resolve("configmap.yaml")))) {
      if (doc instanceof Map<?, ?> m && "ConfigMap".equals(m.get("kind"))) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) m.get("data")).entrySet()) {
          Files.writeString(scratch.resolve(e.getKey().toString()), e.getValue().toString());
        }
      }
    }
    return scratch;
  }

  private static List<String> mapConfig(List<String> args, Function<String, Path> config) {
    List<String> out = new ArrayList<>(args);
    for (int i = 0; i + 1 < out.size(); i++) {
      if (out.get(i).equals("--config") || out.get(i).equals("-c")) {
        out.set(i + 1, config.apply(out.get(i + 1)).toString());
      }
    }
    return runtimeValuesAsDefaults(out);
  }

  private static List<String> runtimeValuesAsDefaults(List<String> args) {
    List<String> out = new ArrayList<>(args);
    for (int i = 0; i + 1 < out.size(); i++) {
      String kv = out.get(i + 1);
      int eq = kv.indexOf('=');
      if (out.get(i).equals("--set") && eq > 0 && kv.indexOf('$', eq) > 0) {
        String key = kv.substring(0, eq);
        out.set(i + 1, key + "=" + Keys.find(key).map(Key::defaultText).orElse(""));
      }
    }
    return out;
  }
}
