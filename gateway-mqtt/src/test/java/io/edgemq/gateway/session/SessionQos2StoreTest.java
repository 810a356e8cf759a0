package io.edgemq.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An inbound QoS 2 store in progress is visible to the next connection of the same session. */
class SessionQos2StoreTest {

  @Test
  void aStoreInProgress_isFound_untilItEnds_thenThePacketIdAwaitsRelease() {
    Session s = new Session("c", true, 10);
    CompletableFuture<String> store = new CompletableFuture<>();
    CompletableFuture<String> tracked = s.storingQos2(7, store);
    assertThat(s.storingQos2(7)).isSameAs(tracked);
    assertThat(s.awaitingRelease()).doesNotContain(7);
    // whoever acknowledges from the tracked future sees the bookkeeping done
    CompletableFuture<Boolean> seenAtAck =
        tracked.thenApply(v -> s.storingQos2(7) == null && s.awaitingRelease().contains(7));

    store.complete("id");
    assertThat(seenAtAck.join()).isTrue();
    assertThat(tracked.join()).isEqualTo("id");
  }

  @Test
  void aFailedStore_isForgotten_andDoesNotAwaitRelease() {
    Session s = new Session("c", true, 10);
    CompletableFuture<String> store = new CompletableFuture<>();
    CompletableFuture<String> tracked = s.storingQos2(8, store);
    store.completeExceptionally(new IllegalStateException("broker down"));
    assertThat(tracked).isCompletedExceptionally();
    assertThat(s.storingQos2(8)).isNull();
    assertThat(s.awaitingRelease()).isEmpty();
  }

  @Test
  void aNewerStoreOfTheSameId_isNotRemovedByTheOlderOnesEnd() {
    Session s = new Session("c", true, 10);
    CompletableFuture<String> old = new CompletableFuture<>();
    CompletableFuture<String> newer = new CompletableFuture<>();
    s.storingQos2(9, old);
    CompletableFuture<String> newerTracked = s.storingQos2(9, newer);
    old.completeExceptionally(new IllegalStateException("x"));
    assertThat(s.storingQos2(9)).isSameAs(newerTracked);
  }
}
