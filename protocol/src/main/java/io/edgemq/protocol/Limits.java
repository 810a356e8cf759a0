package io.edgemq.protocol;

/** Limits that servers and clients of {@code edgemq.v1} must configure alike. */
public final class Limits {

  /**
   * Largest gRPC message a server accepts and a client receives, in bytes (16 MiB). gRPC's default
   * (4 MiB) is smaller than one message of the broker's default maximum body size plus its
   * envelope, and than a pull answer of several such messages; both sides set {@code
   * maxInboundMessageSize} to this. A call over it fails with gRPC status {@code
   * RESOURCE_EXHAUSTED}.
   */
  public static final int MAX_RPC_MESSAGE_BYTES = 16 * 1024 * 1024;

  private Limits() {}
}
