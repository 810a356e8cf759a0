package io.edgemq.protocol;

/**
 * Default TCP ports of every edgemq endpoint. All are configurable; these are what a component
 * listens on, and what a client dials, when nothing else is configured.
 */
public final class Ports {

  /** Nameserver, gRPC {@code edgemq.v1} service {@code NameServer}. */
  public static final int NAMESERVER = 9876;

  /** Broker, gRPC {@code edgemq.v1} services {@code Broker} and {@code Admin}. */
  public static final int BROKER = 10911;

  /** Broker replication, master to replica. */
  public static final int BROKER_HA = 10912;

  /** Broker, the RocketMQ v2 compatible gRPC endpoint. */
  public static final int BROKER_ROCKETMQ = 8081;

  /** MQTT over TCP. */
  public static final int MQTT = 1883;

  /** MQTT over TLS. */
  public static final int MQTT_TLS = 8883;

  /** MQTT over WebSocket (path {@code /mqtt}, subprotocol {@code mqtt}). */
  public static final int MQTT_WS = 8083;

  /** MQTT over secure WebSocket (path {@code /mqtt}, subprotocol {@code mqtt}). */
  public static final int MQTT_WSS = 8084;

  /** Per-process HTTP: {@code /metrics}, {@code /health}, admin REST, web console. */
  public static final int HTTP = 8080;

  private Ports() {}
}
