package io.edgemq.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the username and password of a CONNECT against the password file.
 *
 * <p>A PBKDF2 check costs milliseconds of CPU by design, and devices reconnect often (flaky links,
 * a gateway restart), so successful checks are cached for {@link AuthenticatorConfig#cacheTtl()},
 * keyed by the username and the SHA-256 of the password: the cache never holds a password, and a
 * different password misses it and is checked in full. Failures are not cached, so guessing always
 * pays for PBKDF2. A cache miss blocks the calling thread for one PBKDF2 run; callers on an event
 * loop should hand misses to a worker thread.
 *
 * <p>{@link #reload()} swaps the user table and its cache together, so a check that was running
 * against the old table can only fill the old, discarded cache.
 */
public final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

  private final AuthenticatorConfig config;
  private final Ticker ticker;
  private final LongAdder verifications = new LongAdder();
  private volatile Users users;

  private Authenticator(AuthenticatorConfig config, Ticker ticker, PasswordFile file) {
    this.config = config;
    this.ticker = ticker;
    this.users = newUsers(file);
  }

  /**
   * Reads the password file, if one is configured.
   *
   * @param config the configuration
   * @return the authenticator
   * @throws AuthFileException if the password file is invalid, naming the line
   * @throws IOException if it cannot be read
   */
  public static Authenticator create(AuthenticatorConfig config) throws IOException {
    return create(config, Ticker.systemTicker());
  }

  /**
   * Reads the password file, if one is configured, with the clock that expires cache entries.
   *
   * @param config the configuration
   * @param ticker the time source of the cache (tests move it by hand)
   * @return the authenticator
   * @throws AuthFileException if the password file is invalid, naming the line
   * @throws IOException if it cannot be read
   */
  public static Authenticator create(AuthenticatorConfig config, Ticker ticker) throws IOException {
    PasswordFile file = config.passwordFile() == null ? null : load(config);
    return new Authenticator(config, ticker, file);
  }

  /**
   * Checks a client's credentials. A client without a username, or any client when no password file
   * is configured, is anonymous (a password without a username is ignored).
   *
   * @param clientId the client id, for the log only
   * @param username the CONNECT username, or null
   * @param password the CONNECT password, or null; not kept, not cleared
   * @return {@link AuthResult.Outcome#SUCCESS} with the verified username (null if anonymous),
   *     {@link AuthResult.Outcome#BAD_CREDENTIALS} for an unknown user or a wrong or missing
   *     password, {@link AuthResult.Outcome#NOT_AUTHORIZED} for an anonymous client when they are
   *     not allowed
   */
  public AuthResult authenticate(String clientId, String username, byte[] password) {
    Users current = users;
    if (current.file == null || username == null) {
      return config.allowAnonymous() ? AuthResult.ANONYMOUS : AuthResult.NOT_AUTHORIZED;
    }
    if (password == null || password.length == 0) {
      // hash() never stores an empty password, so this fails for every user alike
      LOG.debug("client {}: no password for user '{}'", clientId, username);
      return AuthResult.BAD_CREDENTIALS;
    }
    PasswordHash hash = current.file.get(username);
    String key = cacheKey(username, password);
    if (hash != null && current.verified.getIfPresent(key) != null) {
      return new AuthResult(AuthResult.Outcome.SUCCESS, username);
    }
    verifications.increment();
    // an unknown user costs one PBKDF2 run too, so timing does not reveal which users exist
    boolean matches = (hash != null ? hash : current.decoy).matches(password) && hash != null;
    if (!matches) {
      LOG.debug("client {}: bad credentials for user '{}'", clientId, username);
      return AuthResult.BAD_CREDENTIALS;
    }
    current.verified.put(key, Boolean.TRUE);
    return new AuthResult(AuthResult.Outcome.SUCCESS, username);
  }

  /**
   * Reads the password file again and forgets every cached verification. If the file is invalid or
   * unreadable, the current users stay in force and the cache is kept.
   *
   * @throws AuthFileException if the new file is invalid, naming the line
   * @throws IOException if it cannot be read
   */
  public void reload() throws IOException {
    if (config.passwordFile() == null) {
      return;
    }
    users = newUsers(load(config));
  }

  /**
   * @return how many users the password file in force holds; 0 without one
   */
  public int userCount() {
    PasswordFile file = users.file;
    return file == null ? 0 : file.size();
  }

  /** How many PBKDF2 checks ran; what the cache saves shows as the gap to the connect count. */
  long verifications() {
    return verifications.sum();
  }

  private static PasswordFile load(AuthenticatorConfig config) throws IOException {
    PasswordFile file = PasswordFile.load(config.passwordFile());
    LOG.info("password file {}: {} users", file.file(), file.size());
    return file;
  }

  private Users newUsers(PasswordFile file) {
    Cache<String, Boolean> verified =
        Caffeine.newBuilder()
            .maximumSize(config.cacheMaxSize())
            .expireAfterWrite(config.cacheTtl())
            .ticker(ticker)
            // maintenance on the caller's thread: no pool threads on a small edge box
            .executor(Runnable::run)
            .build();
    int iterations = PasswordHash.DEFAULT_ITERATIONS;
    if (file != null && file.size() > 0) {
      iterations = file.get(file.usernames().iterator().next()).iterations();
    }
    return new Users(file, PasswordHash.unmatchable(iterations), verified);
  }

  /** The username (which cannot hold ':') and a digest of the password, never the password. */
  private static String cacheKey(String username, byte[] password) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(password);
      return username + ':' + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * The users in force, swapped as one.
   *
   * @param file the password file, or null if none is configured
   * @param decoy checked for unknown users so they cost as much as known ones
   * @param verified cache keys of successful checks against this file
   */
  private record Users(PasswordFile file, PasswordHash decoy, Cache<String, Boolean> verified) {}
}
