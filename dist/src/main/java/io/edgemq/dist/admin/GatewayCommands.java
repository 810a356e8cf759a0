package io.edgemq.dist.admin;

import io.edgemq.dist.http.SessionsJson;
import io.edgemq.dist.launch.GatewayRole;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code edgemq admin gateway sessions|clients}: a gateway node's MQTT sessions, read from its HTTP
 * port (gateways are not registered with the nameservers, so the node is named on the command
 * line).
 */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = "MQTT sessions and connected clients of a gateway node.",
    subcommands = {GatewayCommands.Sessions.class, GatewayCommands.Clients.class})
final class GatewayCommands extends CommandGroup {
  private static final List<String> COLUMNS =
      List.of(
          "CLIENT",
          "CONNECTED",
          "ADDRESS",
          "MQTT",
          "USER",
          "PERSISTENT",
          "SUBSCRIPTIONS",
          "QUEUED",
          "DROPPED",
          "CREATED",
          "EXPIRES");

  @ParentCommand AdminCommand admin;

  @Option(
      names = {"-g", "--gateway"},
      scope = CommandLine.ScopeType.INHERIT,
      defaultValue = "127.0.0.1:8080",
      description = "the gateway node's HTTP host:port (http.port; default: ${DEFAULT-VALUE})")
  String gateway;

  int list(CommandSpec sub, boolean connectedOnly, String prefix) {
    CommandLine cl = sub.commandLine();
    List<Map<String, Object>> sessions;
    try {
      sessions = SessionsJson.read(fetch());
    } catch (IOException | IllegalArgumentException e) {
      cl.getErr().println("edgemq admin: gateway " + gateway + ": " + e.getMessage());
      cl.getErr().flush();
      return AdminCommand.CALL_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AdminCommand.CALL_FAILED;
    }
    List<List<Object>> rows = new ArrayList<>();
    for (Map<String, Object> s : sessions) {
      boolean connected = Boolean.TRUE.equals(s.get("connected"));
      if ((connectedOnly && !connected)
          || (prefix != null && !String.valueOf(s.get("clientId")).startsWith(prefix))) {
        continue;
      }
      List<Object> row = new ArrayList<>();
      for (String key : SessionsJson.KEYS) {
        row.add(s.get(key));
      }
      rows.add(row);
    }
    return new AdminCommand.Printer(cl.getOut(), admin.json).rows(COLUMNS, rows);
  }

  private String fetch() throws IOException, InterruptedException {
    URI uri;
    try {
      uri = URI.create("http://" + gateway + GatewayRole.SESSIONS_PATH);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected host:port", e);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(
          "HTTP "
              + r.statusCode()
              + " from "
              + uri
              + (r.statusCode() == 404 ? " (is it a gateway's http.port?)" : ""));
    }
    return r.body();
  }

  /** Every session of the node, connected or offline. */
  @Command(
      name = "sessions",
      mixinStandardHelpOptions = true,
      description = "Lists the node's sessions (connected and offline persistent ones).")
  static final class Sessions implements Callable<Integer> {
    @ParentCommand GatewayCommands parent;
    @Spec CommandSpec spec;

    @Option(names = "--client", description = "only client ids starting with this")
    String prefix;

    @Override
    public Integer call() {
      return parent.list(spec, false, prefix);
    }
  }

  /** The connected clients only. */
  @Command(
      name = "clients",
      mixinStandardHelpOptions = true,
      description = "Lists the clients connected to the node now.")
  static final class Clients implements Callable<Integer> {
    @ParentCommand GatewayCommands parent;
    @Spec CommandSpec spec;

    @Option(names = "--client", description = "only client ids starting with this")
    String prefix;

    @Override
    public Integer call() {
      return parent.list(spec, true, prefix);
    }
  }
}
