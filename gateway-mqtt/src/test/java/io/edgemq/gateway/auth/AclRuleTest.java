package io.edgemq.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.gateway.auth.AclRule.Action;
import io.edgemq.gateway.auth.AclRule.Kind;
import io.edgemq.gateway.auth.AclRule.Who;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AclRuleTest {

  @Test
  void shouldParseEachKindOfWho() {
    assertThat(AclRule.parse("allow all publish a/b").who()).isEqualTo(new Who(Kind.ALL, null));
    assertThat(AclRule.parse("allow anonymous publish a/b").who())
        .isEqualTo(new Who(Kind.ANONYMOUS, null));
    assertThat(AclRule.parse("allow user:alice publish a/b").who())
        .isEqualTo(new Who(Kind.USER, "alice"));
    assertThat(AclRule.parse("allow client:sensor-* publish a/b").who())
        .isEqualTo(new Who(Kind.CLIENT, "sensor-*"));
  }

  @Test
  void shouldParsePermissionActionAndFilter() {
    AclRule rule = AclRule.parse("  deny\tuser:bob   pubsub  devices/+/cmd  ");

    assertThat(rule)
        .isEqualTo(new AclRule(false, new Who(Kind.USER, "bob"), Action.PUBSUB, "devices/+/cmd"));
    assertThat(rule.toString()).isEqualTo("deny user:bob pubsub devices/+/cmd");
    assertThat(AclRule.parse("allow all subscribe #").action()).isEqualTo(Action.SUBSCRIBE);
    assertThat(AclRule.parse("allow all publish #").action()).isEqualTo(Action.PUBLISH);
  }

  @Test
  void shouldTakeTheRestOfTheLineAsTheFilterSpacesIncluded() {
    assertThat(AclRule.parse("allow all publish living room/lamp 1").filter())
        .isEqualTo("living room/lamp 1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "allow all publish | expected 'allow|deny <who> publish|subscribe|pubsub <topic filter>'",
        "permit all publish a | unknown permission 'permit', expected allow or deny",
        "allow everyone publish a | unknown <who> 'everyone'",
        "allow user: publish a | username must not be empty",
        "allow user:a:b publish a | must not contain ':'",
        "allow client: publish a | unknown <who> 'client:'",
        "allow all read a | unknown action 'read', expected publish, subscribe or pubsub",
        "allow all publish a/b# | a wildcard must occupy a whole level",
        "allow all publish #/a | '#' must be the last level",
        "allow all publish a/%c# | a wildcard must occupy a whole level",
        "allow anonymous publish users/%u | a rule for anonymous clients cannot use %u",
      })
  void shouldExplainWhatIsWrongWithARule(String line, String reason) {
    assertThatThrownBy(() -> AclRule.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void shouldMatchWhoAgainstClientIdAndVerifiedUsername() {
    assertThat(new Who(Kind.ALL, null).matches("c", null)).isTrue();
    assertThat(new Who(Kind.ANONYMOUS, null).matches("c", null)).isTrue();
    assertThat(new Who(Kind.ANONYMOUS, null).matches("c", "alice")).isFalse();
    assertThat(new Who(Kind.USER, "alice").matches("c", "alice")).isTrue();
    assertThat(new Who(Kind.USER, "alice").matches("alice", null)).isFalse();
    assertThat(new Who(Kind.CLIENT, "sensor-*").matches("sensor-7", "bob")).isTrue();
    assertThat(new Who(Kind.CLIENT, "sensor-*").matches("actuator-7", "bob")).isFalse();
  }

  @Test
  void shouldRefuseAWhoWithoutTheValueItsKindNeeds() {
    assertThatThrownBy(() -> new Who(Kind.USER, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Who(Kind.CLIENT, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Who(Kind.ALL, "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "*, '', true",
    "*, anything, true",
    "sensor-*, sensor-, true",
    "sensor-*, sensor-12, true",
    "sensor-*, Sensor-12, false",
    "sensor-?, sensor-1, true",
    "sensor-?, sensor-12, false",
    "*-gw-*, plant-gw-3, true",
    "*-gw-*, plant-gw, false",
    "a*b*c, aXbYbZc, true",
    "a*b*c, aXbYbZ, false",
    "exact, exact, true",
    "exact, exactly, false",
    "??, ab, true",
    "??, a, false",
  })
  void shouldGlobClientIds(String pattern, String clientId, boolean expected) {
    assertThat(AclRule.glob(pattern, clientId)).isEqualTo(expected);
  }

  @Test
  void shouldSubstituteUsernameAndClientId() {
    AclRule rule = AclRule.parse("allow all pubsub tenants/%u/devices/%c/#");

    assertThat(rule.filterFor("dev-1", "acme")).isEqualTo("tenants/acme/devices/dev-1/#");
    assertThat(AclRule.parse("allow all publish a/b").filterFor("x", null)).isEqualTo("a/b");
    assertThat(AclRule.parse("allow all publish a/dev-%c/state").filterFor("7", null))
        .isEqualTo("a/dev-7/state");
    assertThat(AclRule.parse("allow all publish rate/100%").filterFor("7", null))
        .isEqualTo("rate/100%");
  }

  @Test
  void shouldNotSubstituteInsideASubstitutedValue() {
    AclRule rule = AclRule.parse("allow all publish users/%u");

    assertThat(rule.filterFor("dev-1", "x%c")).isEqualTo("users/x%c");
  }

  @ParameterizedTest(name = "client id \"{0}\"")
  @CsvSource({"a/#", "#", "+", "a/b", "$SYS", "''"})
  void shouldNotApplyWhenTheClientIdWouldWidenOrMoveTheFilter(String clientId) {
    AclRule rule = AclRule.parse("allow all pubsub %c/#");

    assertThat(rule.filterFor(clientId, "alice")).isNull();
  }

  @Test
  void shouldNotApplyToAnAnonymousClientWhenTheFilterNeedsAUsername() {
    AclRule rule = AclRule.parse("allow all pubsub users/%u/#");

    assertThat(rule.filterFor("dev-1", null)).isNull();
    assertThat(rule.filterFor("dev-1", "a+b")).isNull();
  }
}
