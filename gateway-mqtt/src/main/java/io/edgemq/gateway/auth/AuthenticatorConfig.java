package io.edgemq.gateway.auth;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The configuration of an {@link Authenticator}, validated when built.
 *
 * @param passwordFile the password file (see {@link PasswordFile}); null means no user is
 *     configured: usernames are then not checked and every client is anonymous
 * @param allowAnonymous whether a client without a verified username may connect
 * @param cacheMaxSize how many successful verifications are remembered; 0 disables the cache
 * @param cacheTtl how long a successful verification is remembered; positive
 */
public record AuthenticatorConfig(
    Path passwordFile, boolean allowAnonymous, long cacheMaxSize, Duration cacheTtl) {

  /** Default {@link #cacheMaxSize()}: 10,000 device credentials, about 1 MB. */
  public static final long DEFAULT_CACHE_MAX_SIZE = 10_000;

  /** Default {@link #cacheTtl()}: 10 minutes. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(10);

  /**
   * Validates the values.
   *
   * @throws IllegalArgumentException naming the key whose value is out of range
   */
  public AuthenticatorConfig {
    if (cacheMaxSize < 0) {
      throw new IllegalArgumentException("cacheMaxSize must be >= 0, was " + cacheMaxSize);
    }
    if (cacheTtl == null || cacheTtl.isNegative() || cacheTtl.isZero()) {
      throw new IllegalArgumentException("cacheTtl must be a positive duration, was " + cacheTtl);
    }
  }

  /**
   * Starts a builder with every default set.
   *
   * @return a builder: no password file, anonymous refused, 10,000 entries, 10 minutes
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link AuthenticatorConfig}; every key starts at its default. */
  public static final class Builder {
    private Path passwordFile;
    private boolean allowAnonymous;
    private long cacheMaxSize = DEFAULT_CACHE_MAX_SIZE;
    private Duration cacheTtl = DEFAULT_CACHE_TTL;

    private Builder() {}

    /**
     * @param passwordFile the password file, or null for none
     * @return this builder
     */
    public Builder passwordFile(Path passwordFile) {
      this.passwordFile = passwordFile;
      return this;
    }

    /**
     * @param allowAnonymous whether clients without a verified username may connect
     * @return this builder
     */
    public Builder allowAnonymous(boolean allowAnonymous) {
      this.allowAnonymous = allowAnonymous;
      return this;
    }

    /**
     * @param cacheMaxSize successful verifications remembered; 0 disables the cache
     * @return this builder
     */
    public Builder cacheMaxSize(long cacheMaxSize) {
      this.cacheMaxSize = cacheMaxSize;
      return this;
    }

    /**
     * @param cacheTtl how long a successful verification is remembered
     * @return this builder
     */
    public Builder cacheTtl(Duration cacheTtl) {
      this.cacheTtl = cacheTtl;
      return this;
    }

    /**
     * @return the validated configuration
     * @throws IllegalArgumentException naming the key whose value is out of range
     */
    public AuthenticatorConfig build() {
      return new AuthenticatorConfig(passwordFile, allowAnonymous, cacheMaxSize, cacheTtl);
    }
  }
}
