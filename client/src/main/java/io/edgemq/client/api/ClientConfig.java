package io.edgemq.client.api;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every client (producer, consumers, admin) needs: the nameservers, the call timeout, the
 * route refresh period and the client id. Immutable; built with {@link #builder()}.
 */
public final class ClientConfig {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final List<InetSocketAddress> nameServers;
  private final Duration requestTimeout;
  private final Duration routeRefreshInterval;
  private final String clientId;

  private ClientConfig(Builder b) {
    this.nameServers = List.copyOf(b.nameServers);
    this.requestTimeout = b.requestTimeout;
    this.routeRefreshInterval = b.routeRefreshInterval;
    this.clientId = b.clientId;
  }

  /**
   * Starts a builder.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A new client id: {@code pid@n@random}.
   *
   * @return a fresh id, unique per call
   */
  public static String newClientId() {
    return ProcessHandle.current().pid()
        + "@"
        + INSTANCES.incrementAndGet()
        + "@"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
  }

  /**
   * @return the nameservers, tried in turn
   */
  public List<InetSocketAddress> nameServers() {
    return nameServers;
  }

  /**
   * @return the deadline of every call except long-poll pulls
   */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * @return how often routes are queried again
   */
  public Duration routeRefreshInterval() {
    return routeRefreshInterval;
  }

  /**
   * The configured client id. Without one, every client instance made with this config gets its own
   * {@link #newClientId()}.
   *
   * @return the id, if configured: it keys queue assignments and, in broadcasting, offsets
   */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  /** Builds a {@link ClientConfig}. */
  public static final class Builder {
    private final List<InetSocketAddress> nameServers = new ArrayList<>();
    private Duration requestTimeout = Duration.ofSeconds(3);
    private Duration routeRefreshInterval = Duration.ofSeconds(30);
    private String clientId;

    private Builder() {}

    /**
     * @param addresses nameservers as {@code host:port} (required, at least one)
     * @return this
     */
    public Builder nameServers(String... addresses) {
      for (String a : addresses) {
        int colon = a.lastIndexOf(':');
        if (colon <= 0 || colon == a.length() - 1) {
          throw new IllegalArgumentException("nameserver " + a + ": expected host:port");
        }
        int port;
        try {
          port = Integer.parseInt(a.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("nameserver " + a + ": port is not a number", e);
        }
        nameServer(new InetSocketAddress(a.substring(0, colon), port));
      }
      return this;
    }

    /**
     * @param address one more nameserver
     * @return this
     */
    public Builder nameServer(InetSocketAddress address) {
      nameServers.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /**
     * @param timeout deadline of every call except long-poll pulls (default 3 s)
     * @return this
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * @param interval how often routes are queried again (default 30 s)
     * @return this
     */
    public Builder routeRefreshInterval(Duration interval) {
      this.routeRefreshInterval = interval;
      return this;
    }

    /**
     * @param clientId the id of the client made with this config (default: a new {@code
     *     pid@n@random} per client instance); set a stable one for a broadcasting consumer to
     *     resume from its offsets after a restart, and use a config per client instance then
     * @return this
     */
    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /**
     * @return the config
     * @throws IllegalArgumentException naming a bad value
     */
    public ClientConfig build() {
      if (nameServers.isEmpty()) {
        throw new IllegalArgumentException("nameServers: at least one is required");
      }
      positive(requestTimeout, "requestTimeout");
      positive(routeRefreshInterval, "routeRefreshInterval");
      if (clientId != null && clientId.isBlank()) {
        throw new IllegalArgumentException("clientId: must not be blank");
      }
      return new ClientConfig(this);
    }
  }

  static void positive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + "=" + d + ": must be positive");
    }
  }
}
