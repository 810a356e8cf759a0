package io.edgemq.sim.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PayloadTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Envelope ENV =
      new Envelope(0xABCDEF0123456789L, "dev-42", 3, 1234, 1_700_000_000_123_456L);

  @ParameterizedTest
  @EnumSource(PayloadKind.class)
  void shouldCarryTheEnvelopeInJsonThatParses(PayloadKind kind) throws Exception {
    byte[] p = PayloadFormat.JSON.encode(ENV, kind.newModel(new SplittableRandom(1)), 0);
    JsonNode n = JSON.readTree(p);
    assertThat(n.get("dev").asText()).isEqualTo("dev-42");
    assertThat(n.get("seq").asLong()).isEqualTo(1234);
    assertThat(Envelope.read(p)).contains(ENV);
  }

  @ParameterizedTest
  @EnumSource(PayloadKind.class)
  void shouldCarryTheEnvelopeInBinary(PayloadKind kind) {
    byte[] p = PayloadFormat.BINARY.encode(ENV, kind.newModel(new SplittableRandom(1)), 0);
    assertThat(Envelope.read(p)).contains(ENV);
  }

  @ParameterizedTest
  @EnumSource(PayloadFormat.class)
  void shouldPadToTheAskedSize(PayloadFormat format) throws Exception {
    byte[] p = format.encode(ENV, PayloadKind.GPS.newModel(new SplittableRandom(1)), 1000);
    assertThat(p).hasSize(1000);
    assertThat(Envelope.read(p)).contains(ENV);
    if (format == PayloadFormat.JSON) {
      assertThat(JSON.readTree(p).get("lat").isNumber()).isTrue();
    }
  }

  @Test
  void shouldNotReadForeignPayloads() {
    assertThat(Envelope.read("21.5".getBytes())).isEmpty();
    assertThat(Envelope.read(new byte[0])).isEmpty();
    assertThat(Envelope.read("{\"temp\":1}".getBytes())).isEmpty();
  }

  @Test
  void shouldWalkTemperatureInSmallStepsWithinBounds() {
    List<Double> v = readings(PayloadKind.TEMPERATURE, "temp", 5000);
    for (int i = 1; i < v.size(); i++) {
      assertThat(Math.abs(v.get(i) - v.get(i - 1))).isLessThan(0.5);
      assertThat(v.get(i)).isBetween(-40.0, 125.0);
    }
    // it wanders: not constant
    assertThat(v.stream().distinct().count()).isGreaterThan(100);
  }

  @Test
  void shouldOnlyCountUp() {
    List<Double> v = readings(PayloadKind.COUNTER, "pulses", 1000);
    for (int i = 1; i < v.size(); i++) {
      assertThat(v.get(i)).isGreaterThanOrEqualTo(v.get(i - 1));
    }
  }

  @Test
  void shouldMoveAGpsTrackAtVehicleSpeed() {
    List<Double> lat = readings(PayloadKind.GPS, "lat", 600);
    List<Double> speed = readings(PayloadKind.GPS, "speed", 600);
    for (int i = 1; i < lat.size(); i++) {
      // one reading a second at ≤ 40 m/s: at most ~0.0004° of latitude
      assertThat(Math.abs(lat.get(i) - lat.get(i - 1))).isLessThan(0.0004);
      assertThat(speed.get(i)).isBetween(0.0, 40.0);
    }
  }

  @Test
  void shouldReportMostlyOkStatusWithOccasionalEvents() throws Exception {
    PayloadModel m = PayloadKind.STATUS.newModel(new SplittableRandom(7));
    int ok = 0;
    for (int i = 0; i < 2000; i++) {
      JsonNode n = JSON.readTree(PayloadFormat.JSON.encode(ENV, m, 0));
      ok += n.get("state").asText().equals("OK") ? 1 : 0;
    }
    assertThat(ok).isBetween(1500, 1990);
  }

  private static List<Double> readings(PayloadKind kind, String field, int n) {
    PayloadModel m = kind.newModel(new SplittableRandom(3));
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try {
        out.add(JSON.readTree(PayloadFormat.JSON.encode(ENV, m, 0)).get(field).asDouble());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    return out;
  }
}
