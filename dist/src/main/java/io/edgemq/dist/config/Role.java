package io.edgemq.dist.config;

/** What a key configures: one of the server roles, or the process itself (HTTP endpoint). */
public enum Role {
  /** Keys every server process takes: the HTTP endpoint. */
  PROCESS,
  /** The nameserver's keys. */
  NAMESERVER,
  /** The broker's keys. */
  BROKER,
  /** The MQTT gateway's keys. */
  GATEWAY
}
