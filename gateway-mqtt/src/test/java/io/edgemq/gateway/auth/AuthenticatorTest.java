package io.edgemq.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.edgemq.gateway.auth.AuthResult.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {
  @TempDir Path dir;

  private final FakeTicker ticker = new FakeTicker();

  @Test
  void shouldAcceptTheRightPasswordAndReturnTheVerifiedUsername() throws IOException {
    Authenticator auth = create(builder().passwordFile(passwords("alice", "alice-pw")));

    AuthResult result = auth.authenticate("dev-1", "alice", bytes("alice-pw"));

    assertThat(result).isEqualTo(new AuthResult(Outcome.SUCCESS, "alice"));
    assertThat(result.isSuccess()).isTrue();
    assertThat(auth.userCount()).isEqualTo(1);
  }

  @Test
  void shouldGiveTheSameAnswerForAWrongPasswordAndAnUnknownUser() throws IOException {
    Authenticator auth = create(builder().passwordFile(passwords("alice", "alice-pw")));

    AuthResult wrongPassword = auth.authenticate("dev-1", "alice", bytes("guess"));
    AuthResult unknownUser = auth.authenticate("dev-1", "mallory", bytes("alice-pw"));

    assertThat(wrongPassword).isEqualTo(unknownUser);
    assertThat(wrongPassword.outcome()).isEqualTo(Outcome.BAD_CREDENTIALS);
    assertThat(wrongPassword.username()).isNull();
    // the unknown user paid for a PBKDF2 run too, so timing tells nothing
    assertThat(auth.verifications()).isEqualTo(2);
  }

  @Test
  void shouldRefuseAUsernameWithoutPassword() throws IOException {
    Authenticator auth =
        create(builder().passwordFile(passwords("alice", "alice-pw")).allowAnonymous(true));

    assertThat(auth.authenticate("dev-1", "alice", null).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
    assertThat(auth.authenticate("dev-1", "alice", new byte[0]).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
  }

  @Test
  void shouldRefuseAnonymousClientsUnlessAllowed() throws IOException {
    Path file = passwords("alice", "alice-pw");
    Authenticator strict = create(builder().passwordFile(file));
    Authenticator open = create(builder().passwordFile(file).allowAnonymous(true));

    assertThat(strict.authenticate("dev-1", null, null)).isEqualTo(AuthResult.NOT_AUTHORIZED);
    assertThat(open.authenticate("dev-1", null, null))
        .isEqualTo(new AuthResult(Outcome.SUCCESS, null));
  }

  @Test
  void shouldTreatAPasswordWithoutUsernameAsAnonymous() throws IOException {
    Authenticator auth = create(builder().passwordFile(passwords("alice", "alice-pw")));

    assertThat(auth.authenticate("dev-1", null, bytes("alice-pw")).outcome())
        .isEqualTo(Outcome.NOT_AUTHORIZED);
  }

  @Test
  void shouldTreatEveryClientAsAnonymousWithoutAPasswordFile() throws IOException {
    Authenticator open = create(builder().allowAnonymous(true));
    Authenticator closed = create(builder());

    // the claimed username is dropped, so no ACL rule for "admin" can apply to this client
    assertThat(open.authenticate("dev-1", "admin", bytes("anything")))
        .isEqualTo(new AuthResult(Outcome.SUCCESS, null));
    assertThat(closed.authenticate("dev-1", "admin", bytes("anything")).outcome())
        .isEqualTo(Outcome.NOT_AUTHORIZED);
    assertThat(open.userCount()).isZero();
  }

  @Test
  void shouldNeverMatchAPasswordThatIsNotUtf8() throws IOException {
    Authenticator auth = create(builder().passwordFile(passwords("alice", "alice-pw")));

    assertThat(auth.authenticate("dev-1", "alice", new byte[] {(byte) 0xC3}).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
  }

  @Test
  void shouldRunPbkdf2OnlyOnceForRepeatedReconnects() throws IOException {
    Authenticator auth = create(builder().passwordFile(passwords("alice", "alice-pw")));

    for (int i = 0; i < 5; i++) {
      assertThat(auth.authenticate("dev-1", "alice", bytes("alice-pw")).isSuccess()).isTrue();
    }

    assertThat(auth.verifications()).isEqualTo(1);
  }

  @Test
  void shouldCheckADifferentPasswordInFullDespiteACachedSuccess() throws IOException {
    Authenticator auth = create(builder().passwordFile(passwords("alice", "alice-pw")));
    auth.authenticate("dev-1", "alice", bytes("alice-pw"));

    AuthResult result = auth.authenticate("dev-1", "alice", bytes("alice-pw2"));

    assertThat(result.outcome()).isEqualTo(Outcome.BAD_CREDENTIALS);
    assertThat(auth.verifications()).isEqualTo(2);
  }

  @Test
  void shouldNotCacheFailures() throws IOException {
    Authenticator auth = create(builder().passwordFile(passwords("alice", "alice-pw")));

    auth.authenticate("dev-1", "alice", bytes("guess"));
    auth.authenticate("dev-1", "alice", bytes("guess"));

    assertThat(auth.verifications()).isEqualTo(2);
  }

  @Test
  void shouldVerifyAgainAfterTheCacheTtl() throws IOException {
    Authenticator auth =
        create(
            builder()
                .passwordFile(passwords("alice", "alice-pw"))
                .cacheTtl(Duration.ofMinutes(10)));
    auth.authenticate("dev-1", "alice", bytes("alice-pw"));

    ticker.advance(Duration.ofMinutes(10).minusNanos(1));
    auth.authenticate("dev-1", "alice", bytes("alice-pw"));
    assertThat(auth.verifications()).isEqualTo(1);

    ticker.advance(Duration.ofNanos(1));
    assertThat(auth.authenticate("dev-1", "alice", bytes("alice-pw")).isSuccess()).isTrue();
    assertThat(auth.verifications()).isEqualTo(2);
  }

  @Test
  void shouldVerifyEveryTimeWhenTheCacheIsDisabled() throws IOException {
    Authenticator auth =
        create(builder().passwordFile(passwords("alice", "alice-pw")).cacheMaxSize(0));

    auth.authenticate("dev-1", "alice", bytes("alice-pw"));
    auth.authenticate("dev-1", "alice", bytes("alice-pw"));

    assertThat(auth.verifications()).isEqualTo(2);
  }

  @Test
  void shouldApplyAChangedPasswordAndForgetCachedSuccessesOnReload() throws IOException {
    Path file = passwords("alice", "old-pw");
    Authenticator auth = create(builder().passwordFile(file));
    assertThat(auth.authenticate("dev-1", "alice", bytes("old-pw")).isSuccess()).isTrue();

    PasswordFile.putUser(file, "alice", hash("new-pw"), false);
    PasswordFile.putUser(file, "bob", hash("bob-pw"), false);
    auth.reload();

    assertThat(auth.authenticate("dev-1", "alice", bytes("old-pw")).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
    assertThat(auth.authenticate("dev-1", "alice", bytes("new-pw")).isSuccess()).isTrue();
    assertThat(auth.authenticate("dev-2", "bob", bytes("bob-pw")).isSuccess()).isTrue();
    assertThat(auth.userCount()).isEqualTo(2);
  }

  @Test
  void shouldRefuseARemovedUserAfterReloadEvenIfCached() throws IOException {
    Path file = passwords("alice", "alice-pw");
    Authenticator auth = create(builder().passwordFile(file));
    auth.authenticate("dev-1", "alice", bytes("alice-pw"));

    PasswordFile.removeUser(file, "alice");
    auth.reload();

    assertThat(auth.authenticate("dev-1", "alice", bytes("alice-pw")).outcome())
        .isEqualTo(Outcome.BAD_CREDENTIALS);
  }

  @Test
  void shouldKeepTheCurrentUsersWhenTheNewFileIsInvalid() throws IOException {
    Path file = passwords("alice", "alice-pw");
    Authenticator auth = create(builder().passwordFile(file));
    Files.writeString(file, "alice:" + hash("new-pw").encoded() + "\nbroken line\n");

    assertThatThrownBy(auth::reload)
        .isInstanceOf(AuthFileException.class)
        .hasMessage(file + ":2: expected <username>:<password hash>");

    assertThat(auth.authenticate("dev-1", "alice", bytes("alice-pw")).isSuccess()).isTrue();
    assertThat(auth.authenticate("dev-1", "alice", bytes("new-pw")).isSuccess()).isFalse();
  }

  @Test
  void shouldKeepTheCurrentUsersWhenTheFileIsGone() throws IOException {
    Path file = passwords("alice", "alice-pw");
    Authenticator auth = create(builder().passwordFile(file));
    Files.delete(file);

    assertThatThrownBy(auth::reload).isInstanceOf(IOException.class);

    assertThat(auth.authenticate("dev-1", "alice", bytes("alice-pw")).isSuccess()).isTrue();
  }

  @Test
  void shouldIgnoreReloadWithoutAPasswordFile() throws IOException {
    Authenticator auth = create(builder().allowAnonymous(true));

    auth.reload();

    assertThat(auth.authenticate("dev-1", null, null).isSuccess()).isTrue();
  }

  @Test
  void shouldRefuseToStartWithAnInvalidPasswordFile() throws IOException {
    Path file = dir.resolve("passwd");
    Files.writeString(file, "alice:plain\n");

    assertThatThrownBy(() -> create(builder().passwordFile(file)))
        .isInstanceOf(AuthFileException.class)
        .hasMessageStartingWith(file + ":1: ");
  }

  @Test
  void shouldValidateTheConfiguration() {
    assertThatThrownBy(() -> builder().cacheMaxSize(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cacheMaxSize");
    assertThatThrownBy(() -> builder().cacheTtl(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cacheTtl");
    AuthenticatorConfig defaults = builder().build();
    assertThat(defaults.passwordFile()).isNull();
    assertThat(defaults.allowAnonymous()).isFalse();
    assertThat(defaults.cacheMaxSize()).isEqualTo(10_000);
    assertThat(defaults.cacheTtl()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void shouldNotLetARefusalCarryAUsername() {
    assertThatThrownBy(() -> new AuthResult(Outcome.BAD_CREDENTIALS, "alice"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Authenticator create(AuthenticatorConfig.Builder builder) throws IOException {
    return Authenticator.create(builder.build(), ticker);
  }

  private static AuthenticatorConfig.Builder builder() {
    return AuthenticatorConfig.builder();
  }

  private Path passwords(String username, String password) throws IOException {
    Path file = dir.resolve("passwd");
    Files.write(file, List.of("# test users", username + ":" + hash(password).encoded()));
    return file;
  }

  private static PasswordHash hash(String password) {
    return PasswordHash.parse(PasswordHash.hash(password.toCharArray(), 1000));
  }

  private static byte[] bytes(String password) {
    return password.getBytes(StandardCharsets.UTF_8);
  }

  /** A cache clock that moves only when told. */
  private static final class FakeTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
      return nanos.get();
    }

    void advance(Duration by) {
      nanos.addAndGet(by.toNanos());
    }
  }
}
