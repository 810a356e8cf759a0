package io.edgemq.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.client.api.ClientException;
import io.edgemq.protocol.v1.Code;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RetryPolicyTest {

  private static ClientException answer(Code c) {
    return new ClientException(c.getNumber(), "x");
  }

  @ParameterizedTest
  @EnumSource(
      value = Code.class,
      names = {
        "SERVICE_UNAVAILABLE",
        "TOO_MANY_REQUESTS",
        "DISK_FULL",
        "NOT_LEADER",
        "TOPIC_NOT_FOUND",
        "QUEUE_NOT_FOUND"
      })
  void shouldRetry(Code code) {
    assertThat(RetryPolicy.isRetryable(answer(code))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = Code.class,
      names = {
        "BAD_REQUEST",
        "ILLEGAL_TOPIC",
        "ILLEGAL_MESSAGE",
        "MESSAGE_TOO_LARGE",
        "ILLEGAL_GROUP",
        "NO_WRITE_PERMISSION",
        "FLUSH_TIMEOUT",
        "REPLICATION_TIMEOUT",
        "INTERNAL",
        "CODE_UNSPECIFIED"
      })
  void shouldNotRetry(Code code) {
    assertThat(RetryPolicy.isRetryable(answer(code))).isFalse();
  }

  @Test
  void shouldRetryTransportFailuresAndUnknownUnavailableCodes() {
    assertThat(
            RetryPolicy.isRetryable(
                new ClientException(Code.SERVICE_UNAVAILABLE_VALUE, "down", true, null)))
        .isTrue();
    assertThat(RetryPolicy.isRetryable(new ClientException(599, "future code"))).isTrue();
    assertThat(RetryPolicy.isRetryable(new ClientException(699, "future code"))).isFalse();
  }

  @Test
  void shouldStopAfterMaxRetries() {
    RetryPolicy p = new RetryPolicy(2);
    ClientException e = answer(Code.SERVICE_UNAVAILABLE);
    assertThat(p.shouldRetry(1, e)).isTrue();
    assertThat(p.shouldRetry(2, e)).isTrue();
    assertThat(p.shouldRetry(3, e)).isFalse();
    assertThat(new RetryPolicy(0).shouldRetry(1, e)).isFalse();
  }

  @Test
  void shouldRefreshRouteOnStaleRouteCodes() {
    assertThat(RetryPolicy.refreshesRoute(answer(Code.NOT_LEADER))).isTrue();
    assertThat(RetryPolicy.refreshesRoute(answer(Code.TOPIC_NOT_FOUND))).isTrue();
    assertThat(RetryPolicy.refreshesRoute(answer(Code.TOO_MANY_REQUESTS))).isFalse();
  }
}
