package io.edgemq.gateway.api;

import io.edgemq.gateway.auth.AuthenticatorConfig;
import io.edgemq.gateway.mapping.MappingRule;
import io.edgemq.gateway.mapping.MappingTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The gateway's settings, validated when built: a bad value fails at start with the key's name and
 * the reason. See docs/gateway-mqtt.md for the table of keys and defaults.
 *
 * @param nodeId this gateway node's id, unique in the cluster ({@code [A-Za-z0-9_-]{1,40}})
 * @param host the address to listen on
 * @param mqttPort MQTT over TCP, or -1 for off (0 = any free port)
 * @param wsPort MQTT over WebSocket on path {@code /mqtt}, or -1 for off
 * @param tlsPort MQTT over TLS, or -1 for off (needs tlsCert and tlsKey)
 * @param wssPort MQTT over secure WebSocket, or -1 for off (needs tlsCert and tlsKey)
 * @param tlsCert PEM certificate chain of the server, or null
 * @param tlsKey PEM PKCS#8 private key of the server, or null
 * @param tlsClientCa PEM CA certificates; when set, TLS clients must present a certificate it
 *     signed, or null
 * @param maxConnections connections accepted at once; more are closed at once
 * @param maxPacketBytes largest MQTT packet accepted (and told to MQTT 5 clients)
 * @param connectTimeout how long a new connection may take to send CONNECT
 * @param maxKeepAlive the longest keep-alive granted (MQTT 5: told to the client as Server Keep
 *     Alive when the client asks for more or for none); 0 = accept what the client asks
 * @param receiveMaximum QoS 1/2 PUBLISHes a client may have unacknowledged towards the gateway
 * @param maxInflight QoS 1/2 PUBLISHes the gateway has unacknowledged towards one client
 * @param maxQueuedPerSession messages queued for one session beyond its in-flight window; the
 *     newest are dropped (and counted) beyond it
 * @param topicAliasMaximum topic aliases a client may use towards the gateway (MQTT 5)
 * @param sessionExpiryMax the longest session expiry granted
 * @param sessionCheckpointInterval how often persistent sessions whose position moved are written
 *     to the brokers (after a crash of this node, a resumed session may get up to this much of QoS
 *     1 messages twice)
 * @param retainedTopic broker topic retained messages are kept in (every node reads it whole); ""
 *     keeps them in each node's memory only
 * @param retainedRefreshAfter a retained message older than this (plus up to an hour per node) is
 *     stored again, so the brokers' retention does not delete it; keep it well below that
 * @param willTopic broker topic the will log is kept in (every node reads it whole); "" keeps wills
 *     in each node's memory only
 * @param willNodeTimeout a node silent in the will log for longer is taken for dead, and another
 *     node publishes the wills it held (it writes a heartbeat every sixth of this)
 * @param mappingRules topic mapping rules, first match wins
 * @param fallbackTopic broker topic for MQTT topics whose first level is no valid broker topic
 * @param auth password file and anonymous access
 * @param aclFile ACL rules file, or null for allow-all
 * @param aclDefaultAllow what applies when no ACL rule matches
 * @param publishRatePerClient PUBLISHes per second one connection may send (bursts up to one
 *     second's worth); a faster client is slowed by TCP, as the gateway stops reading it; 0 = no
 *     limit
 */
public record GatewayConfig(
    String nodeId,
    String host,
    int mqttPort,
    int wsPort,
    int tlsPort,
    int wssPort,
    Path tlsCert,
    Path tlsKey,
    Path tlsClientCa,
    int maxConnections,
    int maxPacketBytes,
    Duration connectTimeout,
    int maxKeepAlive,
    int receiveMaximum,
    int maxInflight,
    int maxQueuedPerSession,
    int topicAliasMaximum,
    Duration sessionExpiryMax,
    Duration sessionCheckpointInterval,
    String retainedTopic,
    Duration retainedRefreshAfter,
    String willTopic,
    Duration willNodeTimeout,
    List<MappingRule> mappingRules,
    String fallbackTopic,
    AuthenticatorConfig auth,
    Path aclFile,
    boolean aclDefaultAllow,
    int publishRatePerClient) {

  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_-]{1,40}");

  /** Checks every value. */
  public GatewayConfig {
    require(nodeId != null && NODE.matcher(nodeId).matches(), "nodeId", nodeId, "[A-Za-z0-9_-]");
    Objects.requireNonNull(host, "host");
    port(mqttPort, "mqttPort");
    port(wsPort, "wsPort");
    port(tlsPort, "tlsPort");
    port(wssPort, "wssPort");
    boolean tls = tlsPort >= 0 || wssPort >= 0;
    require(
        !tls || (tlsCert != null && tlsKey != null), "tlsCert", tlsCert, "needed for TLS ports");
    require(maxConnections > 0, "maxConnections", maxConnections, "> 0");
    require(
        maxPacketBytes >= 64 && maxPacketBytes <= 268_435_455,
        "maxPacketBytes",
        maxPacketBytes,
        "64..268435455");
    require(
        connectTimeout != null && !connectTimeout.isNegative() && !connectTimeout.isZero(),
        "connectTimeout",
        connectTimeout,
        "> 0");
    require(maxKeepAlive >= 0 && maxKeepAlive <= 65_535, "maxKeepAlive", maxKeepAlive, "0..65535");
    require(
        receiveMaximum >= 1 && receiveMaximum <= 65_535,
        "receiveMaximum",
        receiveMaximum,
        "1..65535");
    require(maxInflight >= 1 && maxInflight <= 65_535, "maxInflight", maxInflight, "1..65535");
    require(maxQueuedPerSession >= 0, "maxQueuedPerSession", maxQueuedPerSession, ">= 0");
    require(
        topicAliasMaximum >= 0 && topicAliasMaximum <= 65_535,
        "topicAliasMaximum",
        topicAliasMaximum,
        "0..65535");
    require(
        sessionExpiryMax != null && !sessionExpiryMax.isNegative(),
        "sessionExpiryMax",
        sessionExpiryMax,
        ">= 0");
    require(
        sessionCheckpointInterval != null
            && !sessionCheckpointInterval.isNegative()
            && !sessionCheckpointInterval.isZero(),
        "sessionCheckpointInterval",
        sessionCheckpointInterval,
        "> 0");
    require(
        retainedTopic != null && (retainedTopic.isEmpty() || plainTopic(retainedTopic)),
        "retainedTopic",
        retainedTopic,
        "\"\" (memory only) or 1-127 characters of [A-Za-z0-9_-]");
    require(
        willTopic != null && (willTopic.isEmpty() || plainTopic(willTopic)),
        "willTopic",
        willTopic,
        "\"\" (memory only) or 1-127 characters of [A-Za-z0-9_-]");
    require(
        willNodeTimeout != null && willNodeTimeout.toMillis() >= 600,
        "willNodeTimeout",
        willNodeTimeout,
        ">= 600 ms");
    require(
        retainedRefreshAfter != null && retainedRefreshAfter.toMinutes() >= 1,
        "retainedRefreshAfter",
        retainedRefreshAfter,
        ">= 1 minute");
    mappingRules = List.copyOf(mappingRules);
    Objects.requireNonNull(fallbackTopic, "fallbackTopic");
    Objects.requireNonNull(auth, "auth");
    require(publishRatePerClient >= 0, "publishRatePerClient", publishRatePerClient, ">= 0");
  }

  /**
   * @return a builder with the defaults of docs/gateway-mqtt.md
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the mapping table of the rules and fallback topic
   */
  public MappingTable mappingTable() {
    return new MappingTable(mappingRules, fallbackTopic, MappingTable.DEFAULT_CACHE_SIZE);
  }

  private static void port(int p, String key) {
    require(p >= -1 && p <= 65_535, key, p, "-1 (off) or 0..65535");
  }

  private static boolean plainTopic(String t) {
    if (t.length() > 127) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static void require(boolean ok, String key, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException(key + "=" + value + ": " + rule);
    }
  }

  /** Builds a {@link GatewayConfig}. */
  public static final class Builder {
    private String nodeId = "gw1";
    private String host = "0.0.0.0";
    private int mqttPort = 1883;
    private int wsPort = 8083;
    private int tlsPort = -1;
    private int wssPort = -1;
    private Path tlsCert;
    private Path tlsKey;
    private Path tlsClientCa;
    private int maxConnections = 1_000_000;
    private int maxPacketBytes = 1 << 20;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxKeepAlive = 0;
    private int receiveMaximum = 128;
    private int maxInflight = 32;
    private int maxQueuedPerSession = 1000;
    private int topicAliasMaximum = 64;
    private Duration sessionExpiryMax = Duration.ofDays(7);
    private Duration sessionCheckpointInterval = Duration.ofSeconds(1);
    private String retainedTopic = "mqtt-retained";
    private String willTopic = "mqtt-wills";
    private Duration willNodeTimeout = Duration.ofSeconds(60);
    private Duration retainedRefreshAfter = Duration.ofHours(24);
    private List<MappingRule> mappingRules = List.of();
    private String fallbackTopic = MappingTable.DEFAULT_FALLBACK_TOPIC;
    // anonymous access is off unless a config (standalone, demo) turns it on
    private AuthenticatorConfig auth = AuthenticatorConfig.builder().allowAnonymous(false).build();
    private Path aclFile;
    private boolean aclDefaultAllow = true;
    private int publishRatePerClient = 0;

    private Builder() {}

    /**
     * @param v node id @return this
     */
    public Builder nodeId(String v) {
      nodeId = v;
      return this;
    }

    /**
     * @param v listen address @return this
     */
    public Builder host(String v) {
      host = v;
      return this;
    }

    /**
     * @param v MQTT TCP port, -1 off @return this
     */
    public Builder mqttPort(int v) {
      mqttPort = v;
      return this;
    }

    /**
     * @param v WebSocket port, -1 off @return this
     */
    public Builder wsPort(int v) {
      wsPort = v;
      return this;
    }

    /**
     * @param v TLS port, -1 off @return this
     */
    public Builder tlsPort(int v) {
      tlsPort = v;
      return this;
    }

    /**
     * @param v secure WebSocket port, -1 off @return this
     */
    public Builder wssPort(int v) {
      wssPort = v;
      return this;
    }

    /**
     * @param cert PEM certificate chain
     * @param key PEM PKCS#8 key
     * @param clientCa PEM CA for client certificates, or null
     * @return this
     */
    public Builder tls(Path cert, Path key, Path clientCa) {
      tlsCert = cert;
      tlsKey = key;
      tlsClientCa = clientCa;
      return this;
    }

    /**
     * @param v connections at once @return this
     */
    public Builder maxConnections(int v) {
      maxConnections = v;
      return this;
    }

    /**
     * @param v largest packet @return this
     */
    public Builder maxPacketBytes(int v) {
      maxPacketBytes = v;
      return this;
    }

    /**
     * @param v CONNECT deadline @return this
     */
    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    /**
     * @param v longest keep-alive, 0 = any @return this
     */
    public Builder maxKeepAlive(int v) {
      maxKeepAlive = v;
      return this;
    }

    /**
     * @param v inbound unacknowledged QoS 1/2 @return this
     */
    public Builder receiveMaximum(int v) {
      receiveMaximum = v;
      return this;
    }

    /**
     * @param v outbound unacknowledged QoS 1/2 per client @return this
     */
    public Builder maxInflight(int v) {
      maxInflight = v;
      return this;
    }

    /**
     * @param v queued messages per session @return this
     */
    public Builder maxQueuedPerSession(int v) {
      maxQueuedPerSession = v;
      return this;
    }

    /**
     * @param v inbound topic aliases @return this
     */
    public Builder topicAliasMaximum(int v) {
      topicAliasMaximum = v;
      return this;
    }

    /**
     * @param v longest session expiry @return this
     */
    public Builder sessionExpiryMax(Duration v) {
      sessionExpiryMax = v;
      return this;
    }

    /**
     * @param v how often moved persistent sessions are written @return this
     */
    public Builder sessionCheckpointInterval(Duration v) {
      sessionCheckpointInterval = v;
      return this;
    }

    /**
     * @param v the retained topic, "" for memory only @return this
     */
    public Builder retainedTopic(String v) {
      retainedTopic = v;
      return this;
    }

    /**
     * @param v the will topic, "" for memory only @return this
     */
    public Builder willTopic(String v) {
      willTopic = v;
      return this;
    }

    /**
     * @param v how long a node may be silent before its wills are taken over (default 60 s)
     * @return this
     */
    public Builder willNodeTimeout(Duration v) {
      willNodeTimeout = v;
      return this;
    }

    /**
     * @param v age at which retained messages are stored again @return this
     */
    public Builder retainedRefreshAfter(Duration v) {
      retainedRefreshAfter = v;
      return this;
    }

    /**
     * @param v mapping rules @return this
     */
    public Builder mappingRules(List<MappingRule> v) {
      mappingRules = v;
      return this;
    }

    /**
     * @param v fallback broker topic @return this
     */
    public Builder fallbackTopic(String v) {
      fallbackTopic = v;
      return this;
    }

    /**
     * @param v authentication settings @return this
     */
    public Builder auth(AuthenticatorConfig v) {
      auth = v;
      return this;
    }

    /**
     * @param file ACL rules, or null for none
     * @param defaultAllow when no rule matches
     * @return this
     */
    public Builder acl(Path file, boolean defaultAllow) {
      aclFile = file;
      aclDefaultAllow = defaultAllow;
      return this;
    }

    /**
     * @param v PUBLISHes per second per connection, 0 = no limit @return this
     */
    public Builder publishRatePerClient(int v) {
      publishRatePerClient = v;
      return this;
    }

    /**
     * @return the config
     * @throws IllegalArgumentException naming the bad key
     */
    public GatewayConfig build() {
      return new GatewayConfig(
          nodeId,
          host,
          mqttPort,
          wsPort,
          tlsPort,
          wssPort,
          tlsCert,
          tlsKey,
          tlsClientCa,
          maxConnections,
          maxPacketBytes,
          connectTimeout,
          maxKeepAlive,
          receiveMaximum,
          maxInflight,
          maxQueuedPerSession,
          topicAliasMaximum,
          sessionExpiryMax,
          sessionCheckpointInterval,
          retainedTopic,
          retainedRefreshAfter,
          willTopic,
          willNodeTimeout,
          mappingRules,
          fallbackTopic,
          auth,
          aclFile,
          aclDefaultAllow,
          publishRatePerClient);
    }
  }
}
