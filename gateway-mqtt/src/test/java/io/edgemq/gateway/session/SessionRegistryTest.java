package io.edgemq.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.testsupport.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which copy of a session wins when two nodes hold one: the one created later. */
class SessionRegistryTest {

  static SessionState record(long incarnation, long lastSeen, long createdAt) {
    return new SessionState(
        "c",
        incarnation,
        false,
        60_000,
        lastSeen,
        createdAt,
        List.of(),
        Map.of(),
        List.of(),
        Set.of());
  }

  @Test
  void aCheckpointOfAnOlderCopy_writtenDuringATakeover_doesNotDropTheNewerCopy() {
    MutableClock clock = new MutableClock(1_000);
    SessionRegistry r = new SessionRegistry(clock, 10);
    Session mine = r.open("c", true, true, Optional.empty()).session(); // created at 1,000
    clock.advance(Duration.ofMillis(500));
    // the other node's old copy (created at 900) checkpoints at 1,500, after this copy was made
    assertThat(r.superseded(record(42, 1_500, 900))).isNull();
    assertThat(r.find("c")).isSameAs(mine);
    // a copy created after this one (a takeover elsewhere) drops it
    assertThat(r.superseded(record(43, 1_500, 1_200))).isSameAs(mine);
    assertThat(r.find("c")).isNull();
  }

  @Test
  void resume_prefersTheLocalCopyOverAnOlderStoredOne_andANewerStoredOneOverTheLocalCopy() {
    MutableClock clock = new MutableClock(1_000);
    SessionRegistry r = new SessionRegistry(clock, 10);
    Session local = r.open("c", true, true, Optional.empty()).session();
    clock.advance(Duration.ofMillis(100));
    SessionRegistry.Opened same = r.open("c", false, true, Optional.of(record(7, 1_050, 900)));
    assertThat(same.session()).isSameAs(local);
    assertThat(same.restored()).isFalse();
    SessionRegistry.Opened newer = r.open("c", false, true, Optional.of(record(8, 1_090, 1_050)));
    assertThat(newer.restored()).isTrue();
    assertThat(newer.session()).isNotSameAs(local);
  }
}
