package io.edgemq.broker.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.broker.api.TransactionConfig.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransactionConfigTest {

  @Test
  void shouldDefaultToRocketMqsCheckSettings() {
    TransactionConfig d = TransactionConfig.defaults();

    assertThat(d.checkInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.maxChecks()).isEqualTo(15);
    assertThat(d.defaultOutcome()).isEqualTo(Outcome.ROLLBACK);
    assertThat(BrokerConfig.builder(Path.of("d")).build().transaction()).isEqualTo(d);
  }

  @Test
  void shouldNameTheKeyOfABadValue() {
    assertThatThrownBy(() -> new TransactionConfig(Duration.ofMillis(99), 1, Outcome.COMMIT))
        .hasMessageContaining("transactionCheckInterval");
    assertThatThrownBy(() -> new TransactionConfig(Duration.ofDays(2), 1, Outcome.COMMIT))
        .hasMessageContaining("transactionCheckInterval");
    assertThatThrownBy(() -> new TransactionConfig(Duration.ofSeconds(1), 0, Outcome.COMMIT))
        .hasMessageContaining("transactionMaxChecks");
    assertThatThrownBy(() -> new TransactionConfig(Duration.ofSeconds(1), 1001, Outcome.COMMIT))
        .hasMessageContaining("transactionMaxChecks");
    assertThatThrownBy(() -> new TransactionConfig(Duration.ofSeconds(1), 1, null))
        .hasMessageContaining("transactionDefaultOutcome");
    assertThatThrownBy(() -> BrokerConfig.builder(Path.of("d")).transaction(null).build())
        .hasMessageContaining("transaction");
  }
}
