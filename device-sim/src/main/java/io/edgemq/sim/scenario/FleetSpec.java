package io.edgemq.sim.scenario;

import java.time.Duration;
import java.util.List;

/**
 * A group of devices that share their connection settings and streams.
 *
 * @param name fleet name (used in ids and reports)
 * @param count number of devices
 * @param idPattern client id pattern: {@code {index}}, {@code {index:N}} (zero padded to N digits)
 *     and {@code {fleet}}
 * @param connectRate connections started per second (the ramp)
 * @param mqttVersion 3 (3.1.1) or 5
 * @param qos QoS of every PUBLISH and command subscription
 * @param cleanSession clean session (3) / clean start (5)
 * @param sessionExpiry MQTT 5 session expiry interval (0 for a clean session)
 * @param keepAlive keep-alive interval
 * @param credentialsFile lines {@code username:password}; device n takes line n modulo their count
 * @param tls connect with TLS
 * @param tlsCaFile PEM CA certificate to trust (default: the JVM's trust store)
 * @param maxInflight unacknowledged PUBLISHes per device before sends are skipped (and counted)
 * @param streams what each device publishes
 * @param churn disconnect/reconnect cycle, or null
 * @param receiveCommands subscribe to {@code commands.topic} and count commands received
 */
public record FleetSpec(
    String name,
    Integer count,
    String idPattern,
    Double connectRate,
    Integer mqttVersion,
    Integer qos,
    Boolean cleanSession,
    Duration sessionExpiry,
    Duration keepAlive,
    String credentialsFile,
    Boolean tls,
    String tlsCaFile,
    Integer maxInflight,
    List<StreamSpec> streams,
    ChurnSpec churn,
    Boolean receiveCommands) {

  /** The largest fleet one process simulates (descriptors and ephemeral ports run out beyond). */
  public static final int MAX_DEVICES = 200_000;

  /** Checks each field and fills defaults. */
  public FleetSpec {
    name = name == null ? "devices" : name;
    if (!name.matches("[A-Za-z0-9_.-]{1,40}")) {
      throw new IllegalArgumentException(
          "fleet name '" + name + "' must be 1-40 of [A-Za-z0-9_.-]");
    }
    if (count == null || count < 1 || count > MAX_DEVICES) {
      throw new IllegalArgumentException("count " + count + " must be 1.." + MAX_DEVICES);
    }
    idPattern = idPattern == null ? "{fleet}-{index}" : idPattern;
    DeviceIds.check(idPattern);
    connectRate = connectRate == null ? 1000.0 : connectRate;
    if (!(connectRate > 0) || connectRate > 100_000) {
      throw new IllegalArgumentException(
          "connectRate " + connectRate + "/s is impossible: must be above 0 and at most 100000");
    }
    mqttVersion = mqttVersion == null ? 5 : mqttVersion;
    if (mqttVersion != 3 && mqttVersion != 5) {
      throw new IllegalArgumentException("mqttVersion " + mqttVersion + " must be 3 or 5");
    }
    qos = qos == null ? 1 : qos;
    if (qos < 0 || qos > 2) {
      throw new IllegalArgumentException("qos " + qos + " must be 0, 1 or 2");
    }
    cleanSession = cleanSession == null || cleanSession;
    sessionExpiry = sessionExpiry == null ? Duration.ZERO : sessionExpiry;
    keepAlive = keepAlive == null ? Duration.ofSeconds(60) : keepAlive;
    if (keepAlive.isNegative() || keepAlive.getSeconds() > 65_535) {
      throw new IllegalArgumentException("keepAlive " + keepAlive + " must be 0..65535 s");
    }
    tls = tls != null && tls;
    maxInflight = maxInflight == null ? 1000 : maxInflight;
    if (maxInflight < 1) {
      throw new IllegalArgumentException("maxInflight must be at least 1");
    }
    streams = streams == null ? List.of() : List.copyOf(streams);
    receiveCommands = receiveCommands != null && receiveCommands;
    if (churn != null && cleanSession) {
      throw new IllegalArgumentException(
          "churn needs cleanSession: false (a clean session forgets what was queued offline)");
    }
    if (churn != null && mqttVersion == 5 && sessionExpiry.isZero()) {
      throw new IllegalArgumentException("churn with MQTT 5 needs a sessionExpiry above 0");
    }
  }

  /** Whether this fleet subscribes to commands. */
  public boolean receivesCommands() {
    return receiveCommands;
  }
}
