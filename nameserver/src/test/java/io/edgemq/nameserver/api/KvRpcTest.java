package io.edgemq.nameserver.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.DeleteKvConfigRequest;
import io.edgemq.protocol.v1.GetKvConfigRequest;
import io.edgemq.protocol.v1.GetKvConfigResponse;
import io.edgemq.protocol.v1.ListKvConfigRequest;
import io.edgemq.protocol.v1.PutKvConfigRequest;
import io.edgemq.testsupport.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvRpcTest {
  @TempDir Path dir;

  @Test
  void shouldPutGetListAndDeleteEntries() throws Exception {
    try (RunningNameServer ns = RunningNameServer.start()) {
      assertThat(put(ns, "gateway", "rule.1", "factory/+/telemetry -> telemetry"))
          .isEqualTo(Code.OK);
      assertThat(put(ns, "gateway", "rule.2", "x")).isEqualTo(Code.OK);
      assertThat(put(ns, "gateway", "rule.2", "replaced")).isEqualTo(Code.OK);
      assertThat(put(ns, "other", "rule.1", "elsewhere")).isEqualTo(Code.OK);

      GetKvConfigResponse got = get(ns, "gateway", "rule.2");
      assertThat(got.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(got.getValue()).isEqualTo("replaced");
      assertThat(
              ns.stub()
                  .listKvConfig(ListKvConfigRequest.newBuilder().setNamespace("gateway").build())
                  .getEntriesMap())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("rule.1", "factory/+/telemetry -> telemetry", "rule.2", "replaced"));

      assertThat(delete(ns, "gateway", "rule.2")).isEqualTo(Code.OK);
      assertThat(get(ns, "gateway", "rule.2").getStatus().getCode())
          .isEqualTo(Code.CONFIG_NOT_FOUND);
      assertThat(delete(ns, "gateway", "rule.2")).isEqualTo(Code.CONFIG_NOT_FOUND);
      assertThat(
              ns.stub()
                  .listKvConfig(ListKvConfigRequest.newBuilder().setNamespace("unknown").build())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.OK);
    }
  }

  @Test
  void shouldRefuseMissingNamesAndOversizedValues() throws Exception {
    try (RunningNameServer ns = RunningNameServer.start()) {
      assertThat(put(ns, "", "k", "v")).isEqualTo(Code.BAD_REQUEST);
      assertThat(put(ns, "ns", "", "v")).isEqualTo(Code.BAD_REQUEST);
      assertThat(put(ns, "ns", "k", "x".repeat(64 * 1024))).isEqualTo(Code.OK);
      assertThat(put(ns, "ns", "k", "x".repeat(64 * 1024 + 1))).isEqualTo(Code.BAD_REQUEST);
      assertThat(get(ns, "ns", "").getStatus().getCode()).isEqualTo(Code.BAD_REQUEST);
      assertThat(delete(ns, "", "k")).isEqualTo(Code.BAD_REQUEST);
      assertThat(
              ns.stub()
                  .listKvConfig(ListKvConfigRequest.getDefaultInstance())
                  .getStatus()
                  .getCode())
          .isEqualTo(Code.BAD_REQUEST);
    }
  }

  @Test
  void shouldKeepEntriesAcrossRestartWhenFileConfigured() throws Exception {
    Path file = dir.resolve("kv.txt");
    try (RunningNameServer ns = RunningNameServer.start(new MutableClock(), file)) {
      put(ns, "ns", "kept", "line one\nline two\tand a tab");
      put(ns, "ns", "dropped", "v");
      delete(ns, "ns", "dropped");
    }
    assertThat(Files.readString(file)).contains("kept");

    try (RunningNameServer restarted = RunningNameServer.start(new MutableClock(), file)) {
      assertThat(get(restarted, "ns", "kept").getValue())
          .isEqualTo("line one\nline two\tand a tab");
      assertThat(get(restarted, "ns", "dropped").getStatus().getCode())
          .isEqualTo(Code.CONFIG_NOT_FOUND);
    }
  }

  private static Code put(RunningNameServer ns, String namespace, String key, String value) {
    return ns.stub()
        .putKvConfig(
            PutKvConfigRequest.newBuilder()
                .setNamespace(namespace)
                .setKey(key)
                .setValue(value)
                .build())
        .getStatus()
        .getCode();
  }

  private static GetKvConfigResponse get(RunningNameServer ns, String namespace, String key) {
    return ns.stub()
        .getKvConfig(GetKvConfigRequest.newBuilder().setNamespace(namespace).setKey(key).build());
  }

  private static Code delete(RunningNameServer ns, String namespace, String key) {
    return ns.stub()
        .deleteKvConfig(
            DeleteKvConfigRequest.newBuilder().setNamespace(namespace).setKey(key).build())
        .getStatus()
        .getCode();
  }
}
