package io.edgemq.gateway;

import io.edgemq.client.api.ClientConfig;
import io.edgemq.gateway.api.Gateway;
import io.edgemq.gateway.api.GatewayConfig;
import io.edgemq.gateway.auth.AuthenticatorConfig;
import io.edgemq.gateway.link.ClientBrokerLink;
import io.edgemq.gateway.mapping.MappingRule;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs one gateway node until SIGTERM/SIGINT, then closes it. Prints {@code edgemq gateway
 * listening on port N} (the MQTT TCP port) once it accepts connections. See docs/gateway-mqtt.md.
 */
@Command(
    name = "edgemq-gateway",
    mixinStandardHelpOptions = true,
    description = "Runs an edgemq MQTT gateway node in front of the brokers of a cluster.")
public final class GatewayMain implements Callable<Integer> {
  @Option(
      names = "--namesrv",
      required = true,
      split = ",",
      description = "nameservers, host:port[,host:port...]")
  List<String> nameServers;

  @Option(names = "--node-id", defaultValue = "gw1", description = "default: ${DEFAULT-VALUE}")
  String nodeId;

  @Option(names = "--host", defaultValue = "0.0.0.0", description = "default: ${DEFAULT-VALUE}")
  String host;

  @Option(
      names = "--mqtt-port",
      defaultValue = "1883",
      description = "-1 = off; default: ${DEFAULT-VALUE}")
  int mqttPort;

  @Option(
      names = "--ws-port",
      defaultValue = "8083",
      description = "-1 = off; default: ${DEFAULT-VALUE}")
  int wsPort;

  @Option(names = "--tls-port", defaultValue = "-1", description = "-1 = off (default)")
  int tlsPort;

  @Option(names = "--wss-port", defaultValue = "-1", description = "-1 = off (default)")
  int wssPort;

  @Option(names = "--tls-cert", description = "PEM certificate chain")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM PKCS#8 private key")
  Path tlsKey;

  @Option(names = "--tls-client-ca", description = "PEM CA: require client certificates")
  Path tlsClientCa;

  @Option(names = "--password-file", description = "users and PBKDF2 hashes (edgemq passwd)")
  Path passwordFile;

  @Option(names = "--allow-anonymous", description = "accept clients without credentials")
  boolean allowAnonymous;

  @Option(names = "--acl-file", description = "ACL rules; default: allow all")
  Path aclFile;

  @Option(
      names = "--rule",
      description =
          "mapping rule filter=topic[,tag[,keys]], e.g. 'factory/+/+/telemetry/#=telemetry,{4},{2}'")
  List<String> rules = new ArrayList<>();

  @Option(
      names = "--max-connections",
      defaultValue = "1000000",
      description = "default: ${DEFAULT-VALUE}")
  int maxConnections;

  @Option(
      names = "--max-packet-bytes",
      defaultValue = "1048576",
      description = "default: ${DEFAULT-VALUE}")
  int maxPacketBytes;

  @Option(
      names = "--create-topics",
      defaultValue = "0",
      description = "create missing broker topics with this many queues (0 = no; default)")
  int createTopics;

  @Option(
      names = "--session-topic",
      defaultValue = ClientBrokerLink.DEFAULT_SESSION_TOPIC,
      description = "broker topic of persistent sessions (\"\" = this node's memory only)")
  String sessionTopic;

  @Option(
      names = "--retained-topic",
      defaultValue = "mqtt-retained",
      description = "broker topic of retained messages (\"\" = this node's memory only)")
  String retainedTopic;

  @Option(
      names = "--will-topic",
      defaultValue = "mqtt-wills",
      description = "broker topic of the will log (\"\" = this node's memory only)")
  String willTopic;

  @Option(
      names = "--trace",
      arity = "1",
      defaultValue = "true",
      description = "trace device messages (edgemq admin trace), default: ${DEFAULT-VALUE}")
  boolean trace;

  @Option(
      names = "--will-node-timeout-ms",
      defaultValue = "60000",
      description = "a node silent this long in the will log has its wills published by another")
  long willNodeTimeoutMs;

  @Override
  public Integer call() throws IOException, InterruptedException {
    GatewayConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      System.err.println("edgemq gateway: " + e.getMessage());
      return 2;
    }
    ClientBrokerLink link =
        ClientBrokerLink.builder()
            .clientConfig(
                ClientConfig.builder().nameServers(nameServers.toArray(String[]::new)).build())
            .nodeId(nodeId)
            .createTopics(createTopics)
            .sessionTopic(sessionTopic)
            .trace(trace)
            .build();
    Gateway gateway;
    try {
      gateway = Gateway.start(config, link, Clock.systemUTC());
    } catch (IOException | RuntimeException e) {
      link.close();
      System.err.println("edgemq gateway: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    gateway.close();
                    link.close();
                    System.out.println("edgemq gateway stopped");
                  } finally {
                    stopped.countDown();
                  }
                  System.out.flush();
                  Runtime.getRuntime().halt(0);
                },
                "gateway-shutdown"));
    System.out.println("edgemq gateway listening on port " + gateway.port("mqtt"));
    System.out.flush();
    stopped.await();
    return 0;
  }

  GatewayConfig config() {
    List<MappingRule> parsed = new ArrayList<>();
    for (String r : rules) {
      parsed.add(parseRule(r));
    }
    GatewayConfig.Builder b =
        GatewayConfig.builder()
            .nodeId(nodeId)
            .host(host)
            .mqttPort(mqttPort)
            .wsPort(wsPort)
            .tlsPort(tlsPort)
            .wssPort(wssPort)
            .tls(tlsCert, tlsKey, tlsClientCa)
            .maxConnections(maxConnections)
            .maxPacketBytes(maxPacketBytes)
            .mappingRules(parsed)
            .retainedTopic(retainedTopic)
            .willTopic(willTopic)
            .willNodeTimeout(java.time.Duration.ofMillis(willNodeTimeoutMs))
            .auth(
                AuthenticatorConfig.builder()
                    .passwordFile(passwordFile)
                    .allowAnonymous(allowAnonymous)
                    .cacheTtl(Duration.ofMinutes(10))
                    .build())
            .acl(aclFile, false);
    return b.build();
  }

  /**
   * @param spec {@code filter=topic[,tag[,keys]]}
   * @return the rule
   */
  static MappingRule parseRule(String spec) {
    int eq = spec.lastIndexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("rule '" + spec + "': expected filter=topic[,tag[,keys]]");
    }
    String[] parts = spec.substring(eq + 1).split(",", -1);
    if (parts.length > 3) {
      throw new IllegalArgumentException("rule '" + spec + "': at most topic,tag,keys");
    }
    return new MappingRule(
        spec.substring(0, eq),
        parts[0],
        parts.length > 1 ? parts[1] : null,
        parts.length > 2 ? parts[2] : null);
  }

  /**
   * @param args command line
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayMain()).execute(args));
  }
}
