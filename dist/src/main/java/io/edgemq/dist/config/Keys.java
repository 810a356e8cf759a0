package io.edgemq.dist.config;

import static io.edgemq.dist.config.Role.BROKER;
import static io.edgemq.dist.config.Role.GATEWAY;
import static io.edgemq.dist.config.Role.NAMESERVER;
import static io.edgemq.dist.config.Role.PROCESS;

import io.edgemq.broker.api.TransactionConfig;
import io.edgemq.gateway.mapping.MappingRule;
import io.edgemq.store.api.FlushMode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every key the launcher accepts, with its default. docs/dist.md lists the same table; {@code
 * KeysDocTest} keeps the two in step.
 */
public final class Keys {
  private static final Map<String, Key<?>> ALL = new LinkedHashMap<>();

  // --- the process ---------------------------------------------------------------------------
  /** HTTP port of /metrics and /health. */
  public static final Key<Integer> HTTP_PORT =
      def("http.port", PROCESS, "8080", "HTTP port of /metrics and /health; -1 = off", port(true));

  /** HTTP listen address. */
  public static final Key<String> HTTP_HOST =
      def("http.host", PROCESS, "0.0.0.0", "address the HTTP endpoint binds", Values::host);

  // --- nameserver ----------------------------------------------------------------------------
  /** Nameserver gRPC port. */
  public static final Key<Integer> NAMESERVER_PORT =
      def("nameserver.port", NAMESERVER, "9876", "gRPC port (0 = any free one)", port(false));

  /** How long a silent broker stays registered. */
  public static final Key<Duration> NAMESERVER_BROKER_EXPIRY =
      def(
          "nameserver.brokerExpiry",
          NAMESERVER,
          "120s",
          "drop a broker silent this long (unless it registered its own timeout)",
          Values::duration);

  /** Expiry scan period. */
  public static final Key<Duration> NAMESERVER_EXPIRY_SCAN =
      def(
          "nameserver.expiryScanInterval",
          NAMESERVER,
          "5s",
          "how often silent brokers are looked for",
          Values::duration);

  /** KV config file. */
  public static final Key<Path> NAMESERVER_KV_FILE =
      def(
          "nameserver.kvFile",
          NAMESERVER,
          "",
          "file keeping the KV config across restarts; empty = memory only",
          Values::optionalPath);

  // --- broker --------------------------------------------------------------------------------
  /** Broker data directory. */
  public static final Key<Path> BROKER_DATA_DIR =
      def("broker.dataDir", BROKER, "data/broker", "topics, offsets and the store", Values::path);

  /** Broker group name. */
  public static final Key<String> BROKER_NAME =
      def(
          "broker.name",
          BROKER,
          "broker-a",
          "broker group name, unique in the cluster",
          Values::name);

  /** Cluster name. */
  public static final Key<String> BROKER_CLUSTER =
      def("broker.clusterName", BROKER, "DefaultCluster", "cluster name", Values::name);

  /** Id in the broker group. */
  public static final Key<Long> BROKER_ID =
      def("broker.id", BROKER, "0", "id in the broker group; 0 = master", longIn(0, 1024));

  /** gRPC listen address. */
  public static final Key<String> BROKER_LISTEN_HOST =
      def("broker.listenHost", BROKER, "0.0.0.0", "address the gRPC server binds", Values::host);

  /** gRPC port. */
  public static final Key<Integer> BROKER_PORT =
      def("broker.port", BROKER, "10911", "gRPC port (0 = any free one)", port(false));

  /** Host registered with nameservers. */
  public static final Key<String> BROKER_ADVERTISED_HOST =
      def(
          "broker.advertisedHost",
          BROKER,
          "127.0.0.1",
          "host clients are told to connect to",
          Values::host);

  /** Nameservers to register with. */
  public static final Key<List<InetSocketAddress>> BROKER_NAMESRV =
      def(
          "broker.namesrv",
          BROKER,
          "127.0.0.1:9876",
          "nameservers host:port[,host:port]; standalone: its own nameserver",
          Values::addresses);

  /** Heartbeat period to nameservers. */
  public static final Key<Duration> BROKER_HEARTBEAT =
      def("broker.heartbeatInterval", BROKER, "30s", "heartbeat to nameservers", Values::duration);

  /** Topic auto-creation. */
  public static final Key<Boolean> BROKER_AUTO_CREATE =
      def(
          "broker.autoCreateTopics",
          BROKER,
          "false",
          "create an unknown topic on its first send",
          Values::bool);

  /** Queues of created topics. */
  public static final Key<Integer> BROKER_QUEUES =
      def(
          "broker.defaultQueueCount",
          BROKER,
          "8",
          "queues of auto-created topics",
          Values.intIn(1, 1024));

  /** Long-poll bound. */
  public static final Key<Duration> BROKER_LONG_POLL =
      def("broker.longPollMax", BROKER, "30s", "longest a pull is parked", Values::duration);

  /** Client heartbeat period told to clients. */
  public static final Key<Duration> BROKER_CLIENT_HEARTBEAT =
      def(
          "broker.clientHeartbeatInterval",
          BROKER,
          "10s",
          "interval clients are told to heartbeat at",
          Values::duration);

  /** Consumer expiry. */
  public static final Key<Duration> BROKER_MEMBER_TIMEOUT =
      def(
          "broker.memberTimeout",
          BROKER,
          "30s",
          "a silent consumer leaves its group after this",
          Values::duration);

  /** Offset flush period. */
  public static final Key<Duration> BROKER_OFFSET_FLUSH =
      def(
          "broker.offsetFlushInterval",
          BROKER,
          "5s",
          "how often consumer offsets are written",
          Values::duration);

  /** Flush mode. */
  public static final Key<FlushMode> STORE_FLUSH_MODE =
      def(
          "broker.store.flushMode",
          BROKER,
          "ASYNC",
          "ASYNC (flush every flushInterval) or SYNC (ack after fsync)",
          Values.oneOf(FlushMode.class));

  /** ASYNC flush period. */
  public static final Key<Duration> STORE_FLUSH_INTERVAL =
      def("broker.store.flushInterval", BROKER, "500ms", "ASYNC flush period", Values::duration);

  /** Segment size. */
  public static final Key<Integer> STORE_SEGMENT_BYTES =
      def(
          "broker.store.segmentBytes",
          BROKER,
          "1073741824",
          "CommitLog segment size",
          Values.intIn(64 * 1024, Integer.MAX_VALUE));

  /** Preallocation. */
  public static final Key<Boolean> STORE_PREALLOCATE =
      def(
          "broker.store.preallocate",
          BROKER,
          "true",
          "fill new segments with zeros before use",
          Values::bool);

  /** Largest message. */
  public static final Key<Integer> STORE_MAX_MESSAGE =
      def(
          "broker.store.maxMessageBytes",
          BROKER,
          "4194304",
          "largest message body",
          Values.intIn(1024, 64 << 20));

  /** Retention. */
  public static final Key<Duration> STORE_RETENTION =
      def("broker.store.retention", BROKER, "72h", "how long segments are kept", Values::duration);

  /** Disk usage that deletes old segments early. */
  public static final Key<Double> STORE_DISK_CLEAN =
      def(
          "broker.store.diskCleanRatio",
          BROKER,
          "0.75",
          "disk usage above which the oldest segments go",
          Values::ratio);

  /** Disk usage that refuses writes. */
  public static final Key<Double> STORE_DISK_REFUSE =
      def(
          "broker.store.diskRefuseWritesRatio",
          BROKER,
          "0.90",
          "disk usage above which sends are refused",
          Values::ratio);

  /** Default retries before the dead-letter topic. */
  public static final Key<Integer> BROKER_MAX_RETRIES =
      def(
          "broker.maxRetries",
          BROKER,
          "16",
          "retries of a failed message before %DLQ%{group}, for groups that set none",
          Values.intIn(0, 64));

  /** Default retry ladder. */
  public static final Key<List<Duration>> BROKER_RETRY_BACKOFF =
      def(
          "broker.retryBackoff",
          BROKER,
          "10s,30s,1m,2m,3m,4m,5m,6m,7m,8m,9m,10m,20m,30m,1h,2h",
          "back-off before retry n (the last repeats)",
          Values::durations);

  /** FIFO retry in place. */
  public static final Key<Duration> BROKER_FIFO_RETRY_BACKOFF =
      def(
          "broker.fifoRetryBackoff",
          BROKER,
          "1s",
          "pause before a FIFO group retries a failed message in place (its queue waits)",
          Values::duration);

  /** Delay levels. */
  public static final Key<List<Duration>> BROKER_DELAY_LEVELS =
      def(
          "broker.delayLevels",
          BROKER,
          "1s,5s,10s,30s,1m,2m,3m,4m,5m,6m,7m,8m,9m,10m,20m,30m,1h,2h",
          "delay of level n",
          Values::durations);

  /** Furthest-ahead scheduled delivery. */
  public static final Key<Duration> BROKER_TIMER_MAX_DELAY =
      def(
          "broker.timerMaxDelay",
          BROKER,
          "3d",
          "the furthest ahead a delay or timer message may be due",
          Values::duration);

  /** Timer roll window. */
  public static final Key<Duration> BROKER_TIMER_ROLL_WINDOW =
      def(
          "broker.timerRollWindow",
          BROKER,
          "24h",
          "a scheduled message due later is written again each window (≤ retention − 1h)",
          Values::duration);

  /** First transaction check and the pause between checks. */
  public static final Key<Duration> BROKER_TX_CHECK_INTERVAL =
      def(
          "broker.transactionCheckInterval",
          BROKER,
          "60s",
          "a half message without an outcome is checked this long after it was stored, then again"
              + " each interval",
          Values::duration);

  /** Checks before the default outcome. */
  public static final Key<Integer> BROKER_TX_MAX_CHECKS =
      def(
          "broker.transactionMaxChecks",
          BROKER,
          "15",
          "checks of a half message before the default outcome applies",
          Values.intIn(1, 1000));

  /** What happens to a half message nobody answered for. */
  public static final Key<TransactionConfig.Outcome> BROKER_TX_DEFAULT_OUTCOME =
      def(
          "broker.transactionDefaultOutcome",
          BROKER,
          "ROLLBACK",
          "COMMIT or ROLLBACK after the last unanswered check (logged as a WARN)",
          Keys::outcome);

  private static TransactionConfig.Outcome outcome(String text) {
    try {
      return TransactionConfig.Outcome.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + text + "' is not COMMIT or ROLLBACK");
    }
  }

  // --- gateway -------------------------------------------------------------------------------
  /** Nameservers of the gateway's client. */
  public static final Key<List<InetSocketAddress>> GATEWAY_NAMESRV =
      def(
          "gateway.namesrv",
          GATEWAY,
          "127.0.0.1:9876",
          "nameservers host:port[,host:port]; standalone: its own nameserver",
          Values::addresses);

  /** Node id. */
  public static final Key<String> GATEWAY_NODE_ID =
      def("gateway.nodeId", GATEWAY, "gw1", "node id, unique among gateways", Values::name);

  /** Listen address. */
  public static final Key<String> GATEWAY_HOST =
      def("gateway.host", GATEWAY, "0.0.0.0", "address the MQTT listeners bind", Values::host);

  /** MQTT TCP port. */
  public static final Key<Integer> GATEWAY_MQTT_PORT =
      def("gateway.mqttPort", GATEWAY, "1883", "MQTT over TCP", port(true));

  /** WebSocket port. */
  public static final Key<Integer> GATEWAY_WS_PORT =
      def("gateway.wsPort", GATEWAY, "8083", "MQTT over WebSocket, path /mqtt", port(true));

  /** TLS port. */
  public static final Key<Integer> GATEWAY_TLS_PORT =
      def("gateway.tlsPort", GATEWAY, "-1", "MQTT over TLS (needs tlsCert, tlsKey)", port(true));

  /** Secure WebSocket port. */
  public static final Key<Integer> GATEWAY_WSS_PORT =
      def("gateway.wssPort", GATEWAY, "-1", "MQTT over secure WebSocket", port(true));

  /** TLS certificate. */
  public static final Key<Path> GATEWAY_TLS_CERT =
      def("gateway.tlsCert", GATEWAY, "", "PEM certificate chain", Values::optionalPath);

  /** TLS key. */
  public static final Key<Path> GATEWAY_TLS_KEY =
      def("gateway.tlsKey", GATEWAY, "", "PEM PKCS#8 private key", Values::optionalPath);

  /** Client CA. */
  public static final Key<Path> GATEWAY_TLS_CLIENT_CA =
      def(
          "gateway.tlsClientCa",
          GATEWAY,
          "",
          "PEM CA; when set, TLS clients need a certificate",
          Values::optionalPath);

  /** Password file. */
  public static final Key<Path> GATEWAY_PASSWORD_FILE =
      def(
          "gateway.passwordFile",
          GATEWAY,
          "",
          "users and PBKDF2 hashes (edgemq passwd)",
          Values::optionalPath);

  /** Anonymous access. */
  public static final Key<Boolean> GATEWAY_ANONYMOUS =
      def(
          "gateway.allowAnonymous",
          GATEWAY,
          "false",
          "accept clients without credentials",
          Values::bool);

  /** ACL file. */
  public static final Key<Path> GATEWAY_ACL_FILE =
      def("gateway.aclFile", GATEWAY, "", "ACL rules; empty = allow all", Values::optionalPath);

  /** Mapping rules. */
  public static final Key<List<MappingRule>> GATEWAY_RULES =
      def(
          "gateway.rules",
          GATEWAY,
          "",
          "mapping rules filter=topic[,tag[,keys]] separated by ';'",
          Keys::rules);

  /** Fallback topic. */
  public static final Key<String> GATEWAY_FALLBACK_TOPIC =
      def(
          "gateway.fallbackTopic",
          GATEWAY,
          "mqtt",
          "broker topic when the first level is no valid topic",
          Function.identity());

  /** Connection limit. */
  public static final Key<Integer> GATEWAY_MAX_CONNECTIONS =
      def(
          "gateway.maxConnections",
          GATEWAY,
          "1000000",
          "connections at once",
          Values.intIn(1, Integer.MAX_VALUE));

  /** Packet limit. */
  public static final Key<Integer> GATEWAY_MAX_PACKET =
      def(
          "gateway.maxPacketBytes",
          GATEWAY,
          "1048576",
          "largest MQTT packet",
          Values.intIn(64, 268_435_455));

  /** Per-client publish rate. */
  public static final Key<Integer> GATEWAY_PUBLISH_RATE =
      def(
          "gateway.publishRatePerClient",
          GATEWAY,
          "0",
          "PUBLISHes per second per connection; 0 = no limit",
          Values.intIn(0, Integer.MAX_VALUE));

  /** Topic creation by the gateway. */
  public static final Key<Integer> GATEWAY_CREATE_TOPICS =
      def(
          "gateway.createTopics",
          GATEWAY,
          "0",
          "create missing broker topics with this many queues; 0 = no",
          Values.intIn(0, 1024));

  /** Persistent session records. */
  public static final Key<String> GATEWAY_SESSION_TOPIC =
      def(
          "gateway.sessionTopic",
          GATEWAY,
          "mqtt-sessions",
          "broker topic of persistent MQTT sessions; none = this node's memory only",
          Keys::noneIsEmpty);

  /** Session checkpoints. */
  public static final Key<Duration> GATEWAY_CHECKPOINT_INTERVAL =
      def(
          "gateway.sessionCheckpointInterval",
          GATEWAY,
          "1s",
          "how often moved persistent sessions are written to the session topic",
          Values::duration);

  /** Retained messages. */
  public static final Key<String> GATEWAY_RETAINED_TOPIC =
      def(
          "gateway.retainedTopic",
          GATEWAY,
          "mqtt-retained",
          "broker topic of retained messages, read whole by every node; none = memory only",
          Keys::noneIsEmpty);

  /** Wills. */
  public static final Key<String> GATEWAY_WILL_TOPIC =
      def(
          "gateway.willTopic",
          GATEWAY,
          "mqtt-wills",
          "broker topic of the will log, read whole by every node; none = memory only",
          Keys::noneIsEmpty);

  /** Silence after which a node's wills are taken over. */
  public static final Key<Duration> GATEWAY_WILL_NODE_TIMEOUT =
      def(
          "gateway.willNodeTimeout",
          GATEWAY,
          "60s",
          "a node silent this long in the will log has its wills published by another node",
          Values::duration);

  /** Message trace of device messages. */
  public static final Key<Boolean> GATEWAY_TRACE =
      def(
          "gateway.trace",
          GATEWAY,
          "true",
          "trace device messages (SEND event, brokers' STORE/RETRY/DLQ events); see admin trace",
          Values::bool);

  private Keys() {}

  // "none" turns a gateway log topic off: an empty value is refused for every key
  private static String noneIsEmpty(String text) {
    return text.equals("none") ? "" : text;
  }

  private static <T> Key<T> def(
      String name, Role role, String dflt, String description, Function<String, T> parser) {
    Key<T> key = new Key<>(name, role, dflt, description, parser);
    if (!dflt.isEmpty()) {
      key.parse(dflt); // a bad default is a bug here, not an operator's problem
    }
    ALL.put(name, key);
    return key;
  }

  private static Function<String, Integer> port(boolean allowOff) {
    return Values.port(allowOff);
  }

  private static Function<String, Long> longIn(long min, long max) {
    return Values.longIn(min, max);
  }

  private static List<MappingRule> rules(String text) {
    List<MappingRule> out = new ArrayList<>();
    for (String spec : text.split(";")) {
      String s = spec.trim();
      if (s.isEmpty()) {
        continue;
      }
      int eq = s.lastIndexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("rule '" + s + "': expected filter=topic[,tag[,keys]]");
      }
      String[] parts = s.substring(eq + 1).split(",", -1);
      if (parts.length > 3) {
        throw new IllegalArgumentException("rule '" + s + "': at most topic,tag,keys");
      }
      out.add(
          new MappingRule(
              s.substring(0, eq),
              parts[0],
              parts.length > 1 ? parts[1] : null,
              parts.length > 2 ? parts[2] : null));
    }
    return List.copyOf(out);
  }

  /**
   * @return every key, in table order
   */
  public static List<Key<?>> all() {
    return List.copyOf(ALL.values());
  }

  /**
   * @param name a key name
   * @return the key, if there is one of that name
   */
  public static Optional<Key<?>> find(String name) {
    return Optional.ofNullable(ALL.get(name));
  }

  /**
   * @return the names of every key, unmodifiable
   */
  public static Map<String, Key<?>> byName() {
    return Collections.unmodifiableMap(ALL);
  }
}
