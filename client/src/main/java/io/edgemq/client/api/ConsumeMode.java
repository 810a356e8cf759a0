package io.edgemq.client.api;

/** How a consumer group shares messages. */
public enum ConsumeMode {
  /** Each message goes to one member of the group; offsets are kept per group and queue. */
  CLUSTERING,
  /** Each member gets every message; offsets are kept per group, member (client id) and queue. */
  BROADCASTING
}
