package io.edgemq.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.gateway.topic.InvalidTopicException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclTest {
  @TempDir Path dir;

  @Test
  void shouldLetTheFirstMatchingRuleDecideAPublish() {
    Acl acl = acl("deny all publish devices/+/config", "allow all publish devices/#");

    assertThat(acl.canPublish("c", null, "devices/d1/state")).isTrue();
    assertThat(acl.canPublish("c", null, "devices/d1/config")).isFalse();
    assertThat(acl.canPublish("c", null, "other")).isFalse();
  }

  @Test
  void shouldNotLetALaterDenyOverrideAnEarlierAllow() {
    Acl acl = acl("allow all publish devices/#", "deny all publish devices/+/config");

    assertThat(acl.canPublish("c", null, "devices/d1/config")).isTrue();
  }

  @Test
  void shouldFallBackToTheDefault() throws IOException {
    Path file = write("# nothing but comments", "");

    assertThat(Acl.load(file, false, 10).canPublish("c", "u", "a")).isFalse();
    assertThat(Acl.load(file, true, 10).canPublish("c", "u", "a")).isTrue();
    assertThat(Acl.load(file, true, 10).defaultAllow()).isTrue();
  }

  @Test
  void shouldApplyRulesOnlyToTheirWho() {
    Acl acl =
        acl(
            "allow user:alice publish alice/#",
            "allow client:sensor-* publish sensors/#",
            "allow anonymous publish public/#");

    assertThat(acl.canPublish("c", "alice", "alice/x")).isTrue();
    assertThat(acl.canPublish("c", "bob", "alice/x")).isFalse();
    assertThat(acl.canPublish("alice", null, "alice/x")).isFalse();
    assertThat(acl.canPublish("sensor-1", "bob", "sensors/t")).isTrue();
    assertThat(acl.canPublish("pump-1", "bob", "sensors/t")).isFalse();
    assertThat(acl.canPublish("c", null, "public/x")).isTrue();
    assertThat(acl.canPublish("c", "alice", "public/x")).isFalse();
  }

  @Test
  void shouldApplyRulesOnlyToTheirAction() {
    Acl acl =
        acl("allow all publish up/#", "allow all subscribe down/#", "allow all pubsub both/#");

    assertThat(acl.canPublish("c", null, "up/x")).isTrue();
    assertThat(acl.canSubscribe("c", null, "up/x")).isFalse();
    assertThat(acl.canPublish("c", null, "down/x")).isFalse();
    assertThat(acl.canSubscribe("c", null, "down/x")).isTrue();
    assertThat(acl.canPublish("c", null, "both/x")).isTrue();
    assertThat(acl.canSubscribe("c", null, "both/#")).isTrue();
  }

  @Test
  void shouldGiveEachDeviceItsOwnSubtree() {
    Acl acl = acl("allow all pubsub devices/%c/#", "allow all subscribe users/%u/inbox");

    assertThat(acl.canPublish("d1", null, "devices/d1/state")).isTrue();
    assertThat(acl.canPublish("d1", null, "devices/d2/state")).isFalse();
    assertThat(acl.canSubscribe("d1", null, "devices/d1/#")).isTrue();
    assertThat(acl.canSubscribe("d1", null, "devices/+/state")).isFalse();
    assertThat(acl.canSubscribe("d1", "alice", "users/alice/inbox")).isTrue();
    assertThat(acl.canSubscribe("d1", "bob", "users/alice/inbox")).isFalse();
  }

  @Test
  void shouldNotLetAClientIdWithWildcardsWidenItsRights() {
    Acl acl = acl("allow all pubsub devices/%c/#");

    // substituted literally these would become devices/#/# (invalid) or devices/+/# (everyone's)
    assertThat(acl.canSubscribe("#", null, "devices/#")).isFalse();
    assertThat(acl.canSubscribe("+", null, "devices/+/#")).isFalse();
    assertThat(acl.canSubscribe("a/+", null, "devices/a/+/#")).isFalse();
    assertThat(acl.canPublish("+", null, "devices/other/state")).isFalse();
    assertThat(acl.canPublish("a/b", null, "devices/a/b/x")).isFalse();
  }

  @Test
  void shouldNotLetAClientIdReachTheDollarTopics() {
    Acl acl = acl("allow all subscribe %c/#");

    assertThat(acl.canSubscribe("$SYS", null, "$SYS/#")).isFalse();
    assertThat(acl.canSubscribe("dev", null, "dev/#")).isTrue();
  }

  @Test
  void shouldNotApplyAUsernameRuleToAnonymousClients() {
    Acl acl = acl("allow all pubsub users/%u/#");

    assertThat(acl.canPublish("c", null, "users/x")).isFalse();
    assertThat(acl.canPublish("c", "bob", "users/bob/x")).isTrue();
  }

  @Test
  void shouldGrantASubscriptionOnlyWhenAnAllowRuleCoversAllOfIt() {
    Acl acl = acl("allow all subscribe sensors/+/temperature");

    assertThat(acl.canSubscribe("c", null, "sensors/kitchen/temperature")).isTrue();
    assertThat(acl.canSubscribe("c", null, "sensors/+/temperature")).isTrue();
    // could also receive sensors/kitchen/humidity, which no rule allows
    assertThat(acl.canSubscribe("c", null, "sensors/#")).isFalse();
    assertThat(acl.canSubscribe("c", null, "sensors/kitchen/+")).isFalse();
  }

  @Test
  void shouldLetAPartlyMatchingAllowFallThroughToLaterRules() {
    Acl acl = acl("allow all subscribe sensors/+/temperature", "allow all subscribe sensors/#");

    assertThat(acl.canSubscribe("c", null, "sensors/#")).isTrue();
  }

  @Test
  void shouldRefuseASubscriptionThatCouldReceiveAnythingAnEarlierDenyCovers() {
    Acl acl = acl("deny all subscribe secret/#", "allow all subscribe #");

    assertThat(acl.canSubscribe("c", null, "#")).isFalse();
    assertThat(acl.canSubscribe("c", null, "+/keys")).isFalse();
    assertThat(acl.canSubscribe("c", null, "secret/keys")).isFalse();
    assertThat(acl.canSubscribe("c", null, "sensors/#")).isTrue();
    assertThat(acl.canSubscribe("c", null, "secretive/#")).isTrue();
  }

  @Test
  void shouldApplyADenyThatOnlyPartlyOverlapsTheSubscription() {
    Acl acl = acl("deny all subscribe sensors/vault/temperature", "allow all subscribe sensors/#");

    assertThat(acl.canSubscribe("c", null, "sensors/+/temperature")).isFalse();
    assertThat(acl.canSubscribe("c", null, "sensors/kitchen/temperature")).isTrue();
    assertThat(acl.canSubscribe("c", null, "sensors/+/humidity")).isTrue();
  }

  @Test
  void shouldKeepDollarTopicsOutOfRootWildcards() {
    Acl acl = acl("deny all subscribe $SYS/#", "allow all pubsub #");

    // '#' never matches $SYS topics, so it does not overlap the deny and is granted
    assertThat(acl.canSubscribe("c", null, "#")).isTrue();
    assertThat(acl.canSubscribe("c", null, "$SYS/broker/uptime")).isFalse();
    assertThat(acl.canPublish("c", null, "$SYS/x")).isFalse();
  }

  @Test
  void shouldCheckTheInnerFilterOfASharedSubscription() {
    Acl acl = acl("allow all subscribe jobs/#");

    assertThat(acl.canSubscribe("c", null, "jobs/+")).isTrue();
    // not stripped by the caller: a $ filter no ordinary rule covers, so refused
    assertThat(acl.canSubscribe("c", null, "$share/workers/jobs/+")).isFalse();
  }

  @Test
  void shouldDecideTheDocumentedExampleAsDescribed() throws IOException {
    Path file =
        write(
            "# operators may use every topic except credentials",
            "deny   all                subscribe  secrets/#",
            "allow  user:ops           pubsub     #",
            "allow  client:sensor-*    pubsub     devices/%c/#",
            "allow  all                subscribe  tenants/%u/commands/+",
            "allow  anonymous          pubsub     sandbox/#",
            "deny   all                pubsub     #");
    Acl acl = Acl.load(file, false, 100);

    assertThat(acl.canSubscribe("console", "ops", "#")).isFalse();
    assertThat(acl.canSubscribe("console", "ops", "plant/#")).isTrue();
    assertThat(acl.canPublish("console", "ops", "secrets/key")).isTrue();
    assertThat(acl.canPublish("sensor-7", "acme", "devices/sensor-7/temp")).isTrue();
    assertThat(acl.canPublish("sensor-7", "acme", "devices/sensor-8/temp")).isFalse();
    assertThat(acl.canSubscribe("sensor-7", "acme", "tenants/acme/commands/+")).isTrue();
    assertThat(acl.canSubscribe("sensor-7", "acme", "tenants/other/commands/+")).isFalse();
    assertThat(acl.canPublish("demo", null, "sandbox/x")).isTrue();
    assertThat(acl.canPublish("demo", null, "devices/demo/x")).isFalse();
  }

  @Test
  void shouldRejectAnInvalidTopicOrFilter() {
    Acl acl = acl("allow all pubsub #");

    assertThatThrownBy(() -> acl.canPublish("c", null, "a/+"))
        .isInstanceOf(InvalidTopicException.class);
    assertThatThrownBy(() -> acl.canSubscribe("c", null, "a/#/b"))
        .isInstanceOf(InvalidTopicException.class);
    assertThatThrownBy(() -> Acl.allowAll().canPublish("c", null, ""))
        .isInstanceOf(InvalidTopicException.class);
  }

  @Test
  void shouldNameTheLineAndReasonOfABadRule() throws IOException {
    Path file = write("# rules", "allow all publish a/#", "", "allow all publsh b/#");

    assertThatThrownBy(() -> Acl.load(file, false, 10))
        .isInstanceOf(AuthFileException.class)
        .hasMessage(file + ":4: unknown action 'publsh', expected publish, subscribe or pubsub")
        .satisfies(e -> assertThat(((AuthFileException) e).line()).isEqualTo(4));
  }

  @Test
  void shouldLoadRulesInFileOrder() throws IOException {
    Path file = write("  # comment", "deny client:x-* publish #", "allow all subscribe a/%u/#");

    Acl acl = Acl.load(file, false, 10);

    assertThat(acl.rules())
        .extracting(AclRule::toString)
        .containsExactly("deny client:x-* publish #", "allow all subscribe a/%u/#");
  }

  @Test
  void shouldCacheDecisionsWithinItsBound() {
    Acl acl = Acl.of(List.of(AclRule.parse("allow all publish a/#")), false, 3);

    acl.canPublish("c", null, "a/1");
    acl.canPublish("c", null, "a/1");
    assertThat(acl.cachedDecisions()).isEqualTo(1);

    for (int i = 0; i < 50; i++) {
      assertThat(acl.canPublish("c", null, "a/" + i)).isTrue();
    }
    assertThat(acl.cachedDecisions()).isLessThanOrEqualTo(3);
  }

  @Test
  void shouldKeepDecisionsForDifferentClientsUsersAndActionsApart() {
    Acl acl = acl("allow user:alice publish t", "allow client:sub subscribe t");

    assertThat(acl.canPublish("c", "alice", "t")).isTrue();
    assertThat(acl.canPublish("c", null, "t")).isFalse();
    assertThat(acl.canPublish("c", "bob", "t")).isFalse();
    assertThat(acl.canSubscribe("c", "alice", "t")).isFalse();
    assertThat(acl.canSubscribe("sub", "alice", "t")).isTrue();
    assertThat(acl.cachedDecisions()).isEqualTo(5);
  }

  @Test
  void shouldApplyNewRulesAndForgetDecisionsOnReload() throws IOException {
    Path file = write("allow all publish a");
    Acl acl = Acl.load(file, false, 10);
    assertThat(acl.canPublish("c", null, "a")).isTrue();

    Files.write(file, List.of("deny all publish a", "allow all publish b"));
    acl.reload();

    assertThat(acl.canPublish("c", null, "a")).isFalse();
    assertThat(acl.canPublish("c", null, "b")).isTrue();
  }

  @Test
  void shouldKeepTheCurrentRulesWhenTheNewFileIsInvalid() throws IOException {
    Path file = write("allow all publish a");
    Acl acl = Acl.load(file, false, 10);
    Files.write(file, List.of("allow all publish b", "allow all"));

    assertThatThrownBy(acl::reload)
        .isInstanceOf(AuthFileException.class)
        .hasMessageStartingWith(file + ":2: ");

    assertThat(acl.canPublish("c", null, "a")).isTrue();
    assertThat(acl.canPublish("c", null, "b")).isFalse();
  }

  @Test
  void shouldOnlyReloadAnAclReadFromAFile() {
    assertThatThrownBy(() -> Acl.allowAll().reload()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shouldAllowEverythingWhenAskedTo() {
    Acl acl = Acl.allowAll();

    assertThat(acl.canPublish("c", null, "any/topic")).isTrue();
    assertThat(acl.canSubscribe("c", null, "#")).isTrue();
    assertThat(acl.canSubscribe("c", null, "$SYS/#")).isTrue();
    assertThat(acl.rules()).isEmpty();
  }

  @Test
  void shouldRefuseANegativeCacheSize() {
    assertThatThrownBy(() -> Acl.of(List.of(), false, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cacheMaxSize");
  }

  private static Acl acl(String... rules) {
    return Acl.of(Arrays.stream(rules).map(AclRule::parse).toList(), false, 100);
  }

  private Path write(String... lines) throws IOException {
    Path file = dir.resolve("acl");
    Files.write(file, List.of(lines));
    return file;
  }
}
