package io.edgemq.nameserver.api;

import io.edgemq.protocol.Ports;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The configuration of one nameserver, validated when built.
 *
 * @param port TCP port of the gRPC endpoint, 0-65535; 0 binds an ephemeral port (see {@link
 *     NameServer#port()})
 * @param brokerExpiry how long a broker stays registered without a heartbeat when its registration
 *     does not name its own timeout; positive
 * @param expiryScanInterval how often silent brokers are looked for; positive
 * @param kvConfigFile where KV config entries are kept across restarts; null keeps them in memory
 *     only
 */
public record NameServerConfig(
    int port, Duration brokerExpiry, Duration expiryScanInterval, Path kvConfigFile) {

  /** Default {@link #port()}: 9876. */
  public static final int DEFAULT_PORT = Ports.NAMESERVER;

  /** Default {@link #brokerExpiry()}: 120 s, the {@code heartbeat_timeout_ms} default. */
  public static final Duration DEFAULT_BROKER_EXPIRY = Duration.ofSeconds(120);

  /** Default {@link #expiryScanInterval()}: 5 s, so a broker is dropped at most 5 s late. */
  public static final Duration DEFAULT_EXPIRY_SCAN_INTERVAL = Duration.ofSeconds(5);

  /**
   * Validates the values.
   *
   * @throws IllegalArgumentException naming the key whose value is out of range
   */
  public NameServerConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535 (0 = ephemeral), was " + port);
    }
    requirePositive("brokerExpiry", brokerExpiry);
    requirePositive("expiryScanInterval", expiryScanInterval);
  }

  /**
   * Starts a builder with every default set.
   *
   * @return a new builder: port 9876, brokerExpiry 120 s, expiryScanInterval 5 s, no KV file
   */
  public static Builder builder() {
    return new Builder();
  }

  private static void requirePositive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration, was " + value);
    }
    if (value.toMillis() == 0) {
      throw new IllegalArgumentException(key + " must be at least 1 ms, was " + value);
    }
  }

  /** Builds a {@link NameServerConfig}; every key starts at its default. */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private Duration brokerExpiry = DEFAULT_BROKER_EXPIRY;
    private Duration expiryScanInterval = DEFAULT_EXPIRY_SCAN_INTERVAL;
    private Path kvConfigFile;

    private Builder() {}

    /**
     * Sets the port.
     *
     * @param port 0-65535; 0 = ephemeral
     * @return this builder
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Sets the default broker expiry.
     *
     * @param brokerExpiry positive
     * @return this builder
     */
    public Builder brokerExpiry(Duration brokerExpiry) {
      this.brokerExpiry = brokerExpiry;
      return this;
    }

    /**
     * Sets how often silent brokers are looked for.
     *
     * @param expiryScanInterval positive
     * @return this builder
     */
    public Builder expiryScanInterval(Duration expiryScanInterval) {
      this.expiryScanInterval = expiryScanInterval;
      return this;
    }

    /**
     * Sets the KV config file.
     *
     * @param kvConfigFile the file, or null to keep KV config in memory only
     * @return this builder
     */
    public Builder kvConfigFile(Path kvConfigFile) {
      this.kvConfigFile = kvConfigFile;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the key whose value is out of range
     */
    public NameServerConfig build() {
      return new NameServerConfig(port, brokerExpiry, expiryScanInterval, kvConfigFile);
    }
  }
}
