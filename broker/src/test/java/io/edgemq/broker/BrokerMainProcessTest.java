package io.edgemq.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.edgemq.protocol.v1.AdminGrpc;
import io.edgemq.protocol.v1.BrokerGrpc;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.CreateTopicRequest;
import io.edgemq.protocol.v1.Message;
import io.edgemq.protocol.v1.PullRequest;
import io.edgemq.protocol.v1.PullResponse;
import io.edgemq.protocol.v1.SendRequest;
import io.edgemq.protocol.v1.TopicConfig;
import io.edgemq.store.api.MessageStore;
import io.edgemq.store.api.StoreConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerMainProcessTest {
  private static final Pattern LISTENING =
      Pattern.compile("edgemq broker listening on port (\\d+)");

  @TempDir Path dir;

  private String lineMatching(Pattern p) throws java.io.IOException {
    Path out = dir.resolve("stdout.txt");
    if (!Files.exists(out)) {
      return null;
    }
    return Files.readAllLines(out).stream()
        .filter(l -> p.matcher(l).matches())
        .findFirst()
        .orElse(null);
  }

  @Test
  void shouldServeAsAChildProcessAndStopCleanlyOnSigterm() throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // the broker's own logging config (stderr), not the tests' (stdout)
                    "-Dlogback.configurationFile=logback.xml",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.edgemq.broker.BrokerMain",
                    "--data-dir",
                    dir.toString(),
                    "--listen-host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--segment-bytes",
                    String.valueOf(16 << 20)))
            .redirectOutput(dir.resolve("stdout.txt").toFile())
            .redirectError(dir.resolve("stderr.txt").toFile())
            .start();
    try {
      String line =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> lineMatching(LISTENING), l -> l != null || !p.isAlive());
      Matcher m = LISTENING.matcher(line == null ? "" : line);
      assertThat(m.matches()).as("first line: %s", line).isTrue();
      int port = Integer.parseInt(m.group(1));

      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        AdminGrpc.newBlockingStub(ch)
            .createTopic(
                CreateTopicRequest.newBuilder()
                    .setTopic(TopicConfig.newBuilder().setTopic("t").setWriteQueueCount(1))
                    .build());
        var sent =
            BrokerGrpc.newBlockingStub(ch)
                .send(
                    SendRequest.newBuilder()
                        .setMessage(
                            Message.newBuilder()
                                .setTopic("t")
                                .setBody(ByteString.copyFromUtf8("hello")))
                        .build());
        assertThat(sent.getStatus().getCode()).isEqualTo(Code.OK);
        PullResponse pulled =
            BrokerGrpc.newBlockingStub(ch)
                .pull(
                    PullRequest.newBuilder()
                        .setConsumerGroup("g")
                        .setClientId("c")
                        .setTopic("t")
                        .setQueueId(0)
                        .setLongPollTimeoutMs(5_000)
                        .build());
        assertThat(pulled.getMessages(0).getBody().toStringUtf8()).isEqualTo("hello");
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(lineMatching(Pattern.compile("edgemq broker stopped"))).isNotNull();
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    try (MessageStore store =
        MessageStore.open(
            StoreConfig.builder(dir.resolve("store")).commitLogSegmentBytes(16 << 20).build(),
            Clock.systemUTC())) {
      assertThat(store.recoveryReport().cleanShutdown()).isTrue();
      assertThat(store.maxQueueOffset("t", 0)).isEqualTo(1);
    }
  }
}
