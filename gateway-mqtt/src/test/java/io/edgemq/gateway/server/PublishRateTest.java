package io.edgemq.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublishRateTest {
  @Test
  void allowsOneSecondOfBurstThenPacesToTheRate() {
    PublishRate r = new PublishRate(10, 0);
    for (int i = 0; i < 10; i++) {
      assertThat(r.take(0)).as("burst %d", i).isZero();
    }
    // the 11th needs a tenth of a second of refill
    assertThat(r.take(0)).isEqualTo(100);
    // a second later the bucket has refilled (minus the debt), never above the burst
    assertThat(r.take(1_100)).isZero();
    PublishRate idle = new PublishRate(10, 0);
    for (int i = 0; i < 10; i++) {
      idle.take(60_000);
    }
    assertThat(idle.take(60_000)).isPositive();
  }

  @Test
  void paysBackADebtAtTheRate() {
    PublishRate r = new PublishRate(100, 0);
    long wait = 0;
    for (int i = 0; i < 300; i++) {
      wait = r.take(0);
    }
    // 300 at once at 100/s with 100 saved: the last one is 2 s ahead
    assertThat(wait).isEqualTo(2_000);
  }
}
