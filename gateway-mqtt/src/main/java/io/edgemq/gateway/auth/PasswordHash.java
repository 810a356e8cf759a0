package io.edgemq.gateway.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A PBKDF2-HMAC-SHA256 password hash, stored as {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>}
 * with the salt (16 random bytes) and the hash (32 bytes) in standard Base64 without padding.
 *
 * <p>The PBKDF2 input is the password's UTF-8 bytes. The JDK's {@code PBKDF2WithHmacSHA256} takes a
 * {@code char[]} and encodes it as UTF-8 itself, so a text password ({@link #hash(char[], int)})
 * and the binary MQTT password field ({@link #matches(byte[])}) meet at the same bytes: the MQTT
 * bytes are decoded strictly as UTF-8 and handed over as characters, which re-encode to exactly the
 * bytes received. A binary password that is not valid UTF-8 can never have been hashed, so it never
 * matches. The hashes are therefore plain PBKDF2 and can be checked by any other implementation.
 *
 * <p>Instances are immutable: the password table keeps parsed hashes so a check does not decode
 * Base64 again.
 */
public final class PasswordHash {
  /**
   * Default work factor. A device fleet reconnects in storms after a gateway restart or a network
   * outage, and every first connect of a device costs one PBKDF2 run: under 10 ms on a current x86
   * core once JIT-compiled, several times that on a small ARM board. Successful checks are then
   * cached (see {@link Authenticator}), so the cost is paid once per device and cache period. At
   * 27,500 a storm of a few thousand devices is absorbed in seconds to tens of seconds, while an
   * offline guess still costs 55,000 SHA-256 compressions. This is below OWASP's 600,000 for
   * interactive logins; raise it where the password file is the main secret at risk and connects
   * are rare.
   */
  public static final int DEFAULT_ITERATIONS = 27_500;

  /** Fewest iterations accepted when hashing or reading a hash; below it PBKDF2 adds little. */
  public static final int MIN_ITERATIONS = 1_000;

  /** Most iterations accepted, so one bad line cannot make every connect take minutes. */
  public static final int MAX_ITERATIONS = 10_000_000;

  static final String PREFIX = "$pbkdf2-sha256$";
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;
  private static final int MIN_SALT_BYTES = 8;
  private static final int MAX_SALT_BYTES = 64;
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private PasswordHash(int iterations, byte[] salt, byte[] hash) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  /**
   * Hashes a password with a fresh random salt and the default work factor.
   *
   * @param password the password; not cleared
   * @return the encoded hash
   */
  public static String hash(char[] password) {
    return hash(password, DEFAULT_ITERATIONS);
  }

  /**
   * Hashes a password with a fresh random salt.
   *
   * @param password the password, non-empty; not cleared
   * @param iterations the PBKDF2 work factor, {@value #MIN_ITERATIONS}-{@value #MAX_ITERATIONS}
   * @return the encoded hash, {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>}
   * @throws IllegalArgumentException if the password is empty or holds an unpaired surrogate, or
   *     the iterations are out of range
   */
  public static String hash(char[] password, int iterations) {
    return create(password, iterations).encoded();
  }

  /** {@link #hash(char[], int)} without the round trip through the stored form. */
  static PasswordHash create(char[] password, int iterations) {
    checkIterations(iterations);
    if (password.length == 0) {
      throw new IllegalArgumentException("password must not be empty");
    }
    checkEncodable(password);
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new PasswordHash(iterations, salt, pbkdf2(password, salt, iterations, HASH_BYTES));
  }

  /**
   * Checks a text password against an encoded hash.
   *
   * @param password the password; not cleared
   * @param encoded a hash as made by {@link #hash(char[], int)}
   * @return whether the password matches
   * @throws IllegalArgumentException if {@code encoded} is malformed
   */
  public static boolean verify(char[] password, String encoded) {
    return parse(encoded).matches(password);
  }

  /**
   * Checks an MQTT (binary) password against an encoded hash.
   *
   * @param password the password bytes, UTF-8; not cleared
   * @param encoded a hash as made by {@link #hash(char[], int)}
   * @return whether the password matches; false if the bytes are not valid UTF-8
   * @throws IllegalArgumentException if {@code encoded} is malformed
   */
  public static boolean verify(byte[] password, String encoded) {
    return parse(encoded).matches(password);
  }

  /**
   * Reads an encoded hash.
   *
   * @param encoded {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>}
   * @return the parsed hash
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static PasswordHash parse(String encoded) {
    if (encoded == null || !encoded.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "password hash must start with '" + PREFIX + "' (only PBKDF2-HMAC-SHA256 is supported)");
    }
    String[] fields = encoded.substring(PREFIX.length()).split("\\$", -1);
    if (fields.length != 3) {
      throw new IllegalArgumentException(
          "password hash must be "
              + PREFIX
              + "<iterations>$<salt>$<hash>, found "
              + fields.length
              + " fields after the algorithm instead of 3");
    }
    int iterations;
    try {
      iterations = Integer.parseInt(fields[0]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "password hash iterations '" + fields[0] + "' is not a number", e);
    }
    checkIterations(iterations);
    byte[] salt = decode("salt", fields[1]);
    if (salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES) {
      throw new IllegalArgumentException(
          "password hash salt must be "
              + MIN_SALT_BYTES
              + "-"
              + MAX_SALT_BYTES
              + " bytes, was "
              + salt.length);
    }
    byte[] hash = decode("hash", fields[2]);
    if (hash.length != HASH_BYTES) {
      throw new IllegalArgumentException(
          "password hash must be " + HASH_BYTES + " bytes, was " + hash.length);
    }
    return new PasswordHash(iterations, salt, hash);
  }

  /**
   * Checks an MQTT (binary) password.
   *
   * @param password the password bytes, UTF-8; not cleared
   * @return whether it matches; false if the bytes are not valid UTF-8
   */
  public boolean matches(byte[] password) {
    char[] chars = decodeUtf8(password);
    if (chars == null) {
      return false;
    }
    try {
      return matches(chars);
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /**
   * Checks a text password.
   *
   * @param password the password; not cleared
   * @return whether it matches
   */
  public boolean matches(char[] password) {
    if (password.length == 0) {
      // PBEKeySpec cannot take an empty password, and hash() never makes one for it
      return false;
    }
    byte[] candidate = pbkdf2(password, salt, iterations, hash.length);
    // constant time, so the response time does not tell how many leading bytes were right
    return MessageDigest.isEqual(candidate, hash);
  }

  /**
   * @return the PBKDF2 work factor of this hash
   */
  public int iterations() {
    return iterations;
  }

  /**
   * @return the stored form, {@code $pbkdf2-sha256$<iterations>$<salt>$<hash>}
   */
  public String encoded() {
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + iterations + '$' + b64.encodeToString(salt) + '$' + b64.encodeToString(hash);
  }

  /** A hash of random bytes that no password matches, costing as much to check as a real one. */
  static PasswordHash unmatchable(int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    byte[] hash = new byte[HASH_BYTES];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(hash);
    return new PasswordHash(iterations, salt, hash);
  }

  @Override
  public String toString() {
    // no salt or hash in logs: they are what an offline guesser needs
    return "PasswordHash[pbkdf2-sha256, iterations=" + iterations + "]";
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bytes) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
    try {
      return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      // every Java 17 runtime ships PBKDF2WithHmacSHA256; its absence is a broken JDK
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    } finally {
      spec.clearPassword();
    }
  }

  private static void checkIterations(int iterations) {
    if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException(
          "password hash iterations must be "
              + MIN_ITERATIONS
              + "-"
              + MAX_ITERATIONS
              + ", was "
              + iterations);
    }
  }

  private static byte[] decode(String what, String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "password hash " + what + " is not valid Base64: " + e.getMessage(), e);
    }
  }

  /** Strict UTF-8 decoding; null if the bytes are malformed. */
  private static char[] decodeUtf8(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
      char[] out = new char[chars.remaining()];
      chars.get(out);
      // the decoder's buffer held the password too
      Arrays.fill(chars.array(), '\0');
      return out;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The JDK would silently turn an unpaired surrogate into '?', hashing a different password. */
  private static void checkEncodable(char[] password) {
    if (!StandardCharsets.UTF_8.newEncoder().canEncode(CharBuffer.wrap(password))) {
      throw new IllegalArgumentException("password is not valid Unicode (unpaired surrogate)");
    }
  }
}
