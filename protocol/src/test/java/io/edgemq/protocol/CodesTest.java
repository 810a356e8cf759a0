package io.edgemq.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgemq.protocol.Codes.Kind;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.Status;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodesTest {

  private static List<Code> definedCodes() {
    return Arrays.stream(Code.values()).filter(c -> c != Code.UNRECOGNIZED).toList();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "OK, SUCCESS",
    "BAD_REQUEST, INVALID_REQUEST",
    "ILLEGAL_TAG_EXPRESSION, INVALID_REQUEST",
    "MESSAGE_TOO_LARGE, INVALID_REQUEST",
    "TOPIC_NOT_FOUND, NOT_FOUND",
    "BROKER_NOT_FOUND, NOT_FOUND",
    "OFFSET_NOT_FOUND, NOT_FOUND",
    "NO_WRITE_PERMISSION, NOT_PERMITTED",
    "NO_READ_PERMISSION, NOT_PERMITTED",
    "OFFSET_GONE, CONFLICT",
    "QUEUE_NOT_ASSIGNED, CONFLICT",
    "SUBSCRIPTION_CONFLICT, CONFLICT",
    "FLUSH_TIMEOUT, UNAVAILABLE",
    "DISK_FULL, UNAVAILABLE",
    "NOT_LEADER, UNAVAILABLE",
    "SERVICE_UNAVAILABLE, UNAVAILABLE",
    "INTERNAL, INTERNAL",
    "CODE_UNSPECIFIED, INTERNAL"
  })
  void shouldClassifyByNumberRange(Code code, Kind kind) {
    assertThat(Codes.kind(code.getNumber())).isEqualTo(kind);
    assertThat(Codes.kind(Codes.status(code, ""))).isEqualTo(kind);
  }

  @Test
  void shouldKeepEveryErrorCodeInsideTheDocumentedRanges() {
    for (Code code : definedCodes()) {
      int n = code.getNumber();
      boolean special = code == Code.CODE_UNSPECIFIED || code == Code.OK;
      assertThat(special || (n >= 100 && n < 700)).as(code + " = " + n).isTrue();
    }
  }

  @Test
  void shouldTreatUnknownNumbersByTheirRange() {
    assertThat(Codes.kind(199)).isEqualTo(Kind.INVALID_REQUEST);
    assertThat(Codes.kind(598)).isEqualTo(Kind.UNAVAILABLE);
    assertThat(Codes.kind(42)).isEqualTo(Kind.INTERNAL);
    assertThat(Codes.kind(7000)).isEqualTo(Kind.INTERNAL);
    assertThat(Codes.kind(-1)).isEqualTo(Kind.INTERNAL);
  }

  @Test
  void shouldRetryOnlyTheUnavailableClass() {
    List<Code> retryable =
        definedCodes().stream().filter(c -> Codes.isRetryable(c.getNumber())).toList();

    assertThat(retryable)
        .containsExactlyInAnyOrder(
            Code.SERVICE_UNAVAILABLE,
            Code.TOO_MANY_REQUESTS,
            Code.FLUSH_TIMEOUT,
            Code.REPLICATION_TIMEOUT,
            Code.DISK_FULL,
            Code.NOT_LEADER,
            Code.REQUEST_TIMEOUT);
  }

  @Test
  void shouldSayWhichSendOutcomesWereWritten() {
    List<Code> written =
        definedCodes().stream().filter(c -> Codes.isWritten(c.getNumber())).toList();

    assertThat(written)
        .containsExactlyInAnyOrder(Code.OK, Code.FLUSH_TIMEOUT, Code.REPLICATION_TIMEOUT);
  }

  @Test
  void shouldBuildStatuses() {
    Status s = Codes.status(Code.DISK_FULL, "usage 0.93 > 0.90");

    assertThat(s.getCode()).isEqualTo(Code.DISK_FULL);
    assertThat(s.getMessage()).isEqualTo("usage 0.93 > 0.90");
    assertThat(Codes.isOk(s)).isFalse();
    assertThat(Codes.isOk(Codes.ok())).isTrue();
    assertThat(Codes.ok().getMessage()).isEmpty();
  }

  @Test
  void shouldRefuseToSendUnrecognized() {
    assertThatThrownBy(() -> Codes.status(Code.UNRECOGNIZED, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UNRECOGNIZED");
  }
}
