package io.edgemq.broker.timer;

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
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process (SYNC flush) killed with SIGKILL while messages wait in the timer: after a
 * restart every scheduled message is delivered, and the ones delivered before the kill are not
 * delivered again.
 */
class TimerCrashTest {
  private static final Pattern LISTENING =
      Pattern.compile("edgemq broker listening on port (\\d+)");

  @TempDir Path dir;

  @Test
  void shouldDeliverEveryScheduledMessageOnceAfterAKill9() throws Exception {
    int early = 100;
    int late = 300;
    Process first = start("first");
    try {
      int port = port(first, "first");
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        AdminGrpc.newBlockingStub(ch)
            .createTopic(
                CreateTopicRequest.newBuilder()
                    .setTopic(TopicConfig.newBuilder().setTopic("t").setWriteQueueCount(1))
                    .build());
        BrokerGrpc.BrokerBlockingStub broker = BrokerGrpc.newBlockingStub(ch);
        long now = System.currentTimeMillis();
        for (int i = 0; i < early + late; i++) {
          long at = i < early ? now + 300 : now + 10_000;
          var r =
              broker.send(
                  SendRequest.newBuilder()
                      .setQueueId(0)
                      .setMessage(
                          Message.newBuilder()
                              .setTopic("t")
                              .setDeliveryTimestampMs(at)
                              .setBody(ByteString.copyFromUtf8("m" + i)))
                      .build());
          assertThat(r.getStatus().getCode()).isEqualTo(Code.OK);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> bodies(broker).size() == early);
        // the timer checkpoints within 100 ms of its last firing
        Thread.sleep(500);
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      first.destroyForcibly();
    }

    Process second = start("second");
    try {
      int port = port(second, "second");
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        BrokerGrpc.BrokerBlockingStub broker = BrokerGrpc.newBlockingStub(ch);
        await().atMost(Duration.ofSeconds(30)).until(() -> bodies(broker).size() >= early + late);
        // a second delivery, if there were one, would show within half a second
        await()
            .during(Duration.ofMillis(500))
            .atMost(Duration.ofSeconds(3))
            .until(() -> bodies(broker).size() == early + late);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < early + late; i++) {
          expected.add("m" + i);
        }
        assertThat(bodies(broker)).containsExactlyInAnyOrderElementsOf(expected);
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
      second.destroyForcibly();
    }
  }

  private static List<String> bodies(BrokerGrpc.BrokerBlockingStub broker) {
    List<String> out = new ArrayList<>();
    long offset = 0;
    while (true) {
      PullResponse r =
          broker.pull(
              PullRequest.newBuilder()
                  .setConsumerGroup("g")
                  .setClientId("c")
                  .setTopic("t")
                  .setQueueId(0)
                  .setOffset(offset)
                  .setMaxMessages(1024)
                  .build());
      if (r.getMessagesCount() == 0) {
        return out;
      }
      r.getMessagesList().forEach(m -> out.add(m.getBody().toStringUtf8()));
      offset = r.getNextOffset();
    }
  }

  private Process start(String name) throws java.io.IOException {
    return new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlogback.configurationFile=logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                "io.edgemq.broker.BrokerMain",
                "--data-dir",
                dir.resolve("data").toString(),
                "--listen-host",
                "127.0.0.1",
                "--port",
                "0",
                "--flush-mode",
                "SYNC",
                "--segment-bytes",
                String.valueOf(16 << 20)))
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .redirectError(dir.resolve(name + ".err").toFile())
        .start();
  }

  private int port(Process p, String name) {
    Path out = dir.resolve(name + ".out");
    String line =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    Files.exists(out)
                        ? Files.readAllLines(out).stream()
                            .filter(l -> LISTENING.matcher(l).matches())
                            .findFirst()
                            .orElse(null)
                        : null,
                l -> l != null || !p.isAlive());
    Matcher m = LISTENING.matcher(line == null ? "" : line);
    assertThat(m.matches()).as("%s did not start: %s", name, line).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
