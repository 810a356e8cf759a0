package io.edgemq.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PasswordHashTest {
  private static final int FAST = PasswordHash.MIN_ITERATIONS;

  @Test
  void shouldVerifyThePasswordItWasMadeFrom() {
    String encoded = PasswordHash.hash("s3cret".toCharArray(), FAST);

    assertThat(PasswordHash.verify("s3cret".toCharArray(), encoded)).isTrue();
    assertThat(PasswordHash.verify("s3cret".getBytes(StandardCharsets.UTF_8), encoded)).isTrue();
  }

  @Test
  void shouldRejectAWrongPassword() {
    String encoded = PasswordHash.hash("s3cret".toCharArray(), FAST);

    assertThat(PasswordHash.verify("s3cret ".toCharArray(), encoded)).isFalse();
    assertThat(PasswordHash.verify("S3cret".getBytes(StandardCharsets.UTF_8), encoded)).isFalse();
  }

  @Test
  void shouldMatchTheUtf8BytesOfANonAsciiTextPassword() {
    String password = "pässwörd-\uD83D\uDD11";
    String encoded = PasswordHash.hash(password.toCharArray(), FAST);

    assertThat(PasswordHash.verify(password.getBytes(StandardCharsets.UTF_8), encoded)).isTrue();
    assertThat(PasswordHash.verify(password.getBytes(StandardCharsets.ISO_8859_1), encoded))
        .isFalse();
  }

  @Test
  void shouldNeverMatchBytesThatAreNotUtf8() {
    // a lenient decoder would turn 0xFF into U+FFFD and match this hash
    String encoded = PasswordHash.hash("\uFFFD".toCharArray(), FAST);

    assertThat(PasswordHash.verify(new byte[] {(byte) 0xFF}, encoded)).isFalse();
    assertThat(PasswordHash.verify("\uFFFD".getBytes(StandardCharsets.UTF_8), encoded)).isTrue();
  }

  @Test
  void shouldAgreeWithAnIndependentPbkdf2Implementation() {
    // Python: hashlib.pbkdf2_hmac('sha256', 'pässwörd-🔑'.encode(), bytes(range(16)), 1000, 32)
    String encoded =
        "$pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw$86tUC1RegULoBAVlXOxJ/CoJlf1NqxlwPVXsAoYtbdM";

    assertThat(PasswordHash.verify("pässwörd-\uD83D\uDD11".toCharArray(), encoded)).isTrue();
    assertThat(PasswordHash.verify("pässwörd-".toCharArray(), encoded)).isFalse();
  }

  @Test
  void shouldStoreIterationsSaltAndHashInBase64() {
    String encoded = PasswordHash.hash("x".toCharArray(), 1234);

    // 16-byte salt and 32-byte hash, unpadded Base64
    assertThat(encoded).matches("\\$pbkdf2-sha256\\$1234\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(PasswordHash.parse(encoded).iterations()).isEqualTo(1234);
    assertThat(PasswordHash.parse(encoded).encoded()).isEqualTo(encoded);
  }

  @Test
  void shouldUseTheDefaultIterationsWhenNoneAreGiven() {
    String encoded = PasswordHash.hash("x".toCharArray());

    assertThat(PasswordHash.parse(encoded).iterations()).isEqualTo(27_500);
  }

  @Test
  void shouldSaltEveryHashAfresh() {
    String first = PasswordHash.hash("same".toCharArray(), FAST);
    String second = PasswordHash.hash("same".toCharArray(), FAST);

    assertThat(first).isNotEqualTo(second);
    assertThat(PasswordHash.verify("same".toCharArray(), second)).isTrue();
  }

  @Test
  void shouldAcceptPaddedBase64WrittenByOtherTools() {
    String encoded =
        "$pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw==$86tUC1RegULoBAVlXOxJ/CoJlf1NqxlwPVXsAoYtbdM=";

    assertThat(PasswordHash.verify("pässwörd-\uD83D\uDD11".toCharArray(), encoded)).isTrue();
  }

  @Test
  void shouldRefuseToHashAnEmptyPasswordAndNeverMatchOne() {
    String encoded = PasswordHash.hash("x".toCharArray(), FAST);

    assertThatThrownBy(() -> PasswordHash.hash(new char[0], FAST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThat(PasswordHash.verify(new byte[0], encoded)).isFalse();
    assertThat(PasswordHash.verify(new char[0], encoded)).isFalse();
  }

  @Test
  void shouldRefuseAPasswordWithAnUnpairedSurrogate() {
    assertThatThrownBy(() -> PasswordHash.hash("ab\uD800".toCharArray(), FAST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void shouldRefuseIterationsOutOfRange() {
    assertThatThrownBy(() -> PasswordHash.hash("x".toCharArray(), 999))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1000-10000000, was 999");
    assertThatThrownBy(() -> PasswordHash.hash("x".toCharArray(), 10_000_001))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "s3cret | must start with '$pbkdf2-sha256$'",
        "$pbkdf2-sha1$1000$AAECAwQFBgcICQoLDA0ODw$86tUC1RegULoBAVlXOxJ/CoJlf1NqxlwPVXsAoYtbdM"
            + " | must start with",
        "$pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw | 2 fields after the algorithm instead of 3",
        "$pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw$86tUC1RegULoBAVlXOxJ/CoJlf1NqxlwPVXsAoYtbdM$"
            + " | 4 fields",
        "$pbkdf2-sha256$many$AAECAwQFBgcICQoLDA0ODw$86tUC1RegULoBAVlXOxJ/CoJlf1NqxlwPVXsAoYtbdM"
            + " | iterations 'many' is not a number",
        "$pbkdf2-sha256$10$AAECAwQFBgcICQoLDA0ODw$86tUC1RegULoBAVlXOxJ/CoJlf1NqxlwPVXsAoYtbdM"
            + " | iterations must be 1000-10000000, was 10",
        "$pbkdf2-sha256$1000$AAE*AwQFBgcICQoLDA0ODw$86tUC1RegULoBAVlXOxJ/CoJlf1NqxlwPVXsAoYtbdM"
            + " | salt is not valid Base64",
        "$pbkdf2-sha256$1000$AAECAw$86tUC1RegULoBAVlXOxJ/CoJlf1NqxlwPVXsAoYtbdM"
            + " | salt must be 8-64 bytes, was 4",
        "$pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw$86tUC1RegULoBAVlXOxJ/CoJlf1Nqxlw"
            + " | hash must be 32 bytes, was 24",
        "$pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw$!!!! | hash is not valid Base64",
      })
  void shouldExplainWhatIsWrongWithAMalformedHash(String encoded, String reason) {
    assertThatThrownBy(() -> PasswordHash.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
    assertThatThrownBy(() -> PasswordHash.verify("x".toCharArray(), encoded))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldKeepSaltAndHashOutOfToString() {
    PasswordHash hash = PasswordHash.parse(PasswordHash.hash("x".toCharArray(), FAST));

    assertThat(hash.toString()).isEqualTo("PasswordHash[pbkdf2-sha256, iterations=1000]");
  }
}
