package io.edgemq.client.rpc;

import io.edgemq.protocol.v1.Address;

/**
 * A {@code host:port} to connect to.
 *
 * @param host host name or address
 * @param port TCP port
 */
public record Endpoint(String host, int port) {

  /**
   * @param a a protocol address
   * @return the endpoint
   */
  public static Endpoint of(Address a) {
    return new Endpoint(a.getHost(), a.getPort());
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
