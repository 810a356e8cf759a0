package io.edgemq.nameserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.protocol.v1.Address;
import io.edgemq.protocol.v1.BrokerRole;
import io.edgemq.protocol.v1.Code;
import io.edgemq.protocol.v1.NameServerGrpc;
import io.edgemq.protocol.v1.QueryRouteRequest;
import io.edgemq.protocol.v1.QueryRouteResponse;
import io.edgemq.protocol.v1.RegisterBrokerRequest;
import io.edgemq.protocol.v1.TopicConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nameserver as operators run it: its own JVM, stopped by SIGTERM. */
class NameServerMainProcessTest {
  @TempDir Path dir;

  private Process process;
  private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();

  @AfterEach
  void killLeftover() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldServeRoutesAndExitCleanlyOnSigterm() throws Exception {
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                NameServerMain.class.getName(),
                "--port",
                "0",
                "--kv-file",
                dir.resolve("kv.txt").toString())
            .redirectErrorStream(true)
            .start();
    int port = listeningPort().get(20, TimeUnit.SECONDS);

    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      var stub = NameServerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
      assertThat(stub.registerBroker(registration()).getStatus().getCode()).isEqualTo(Code.OK);
      QueryRouteResponse route =
          stub.queryRoute(QueryRouteRequest.newBuilder().setTopic("telemetry").build());
      assertThat(route.getStatus().getCode()).isEqualTo(Code.OK);
      assertThat(route.getRoute().getEntries(0).getWriteQueueCount()).isEqualTo(4);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    process.destroy(); // SIGTERM

    assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s").isTrue();
    assertThat(process.exitValue()).as(String.join("\n", output)).isIn(0, 143);
  }

  @Test
  void shouldRefuseInvalidConfigurationWithUsageExitCode() throws Exception {
    process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                NameServerMain.class.getName(),
                "--broker-expiry-seconds",
                "0")
            .redirectErrorStream(true)
            .start();
    listeningPort();

    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(String.join("\n", output)).contains("brokerExpiry");
  }

  /** Drains the child's output (so it never blocks on a full pipe) and finds the port in it. */
  private CompletableFuture<Integer> listeningPort() {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  output.add(line);
                  if (line.startsWith(NameServerMain.LISTENING_PREFIX)) {
                    port.complete(
                        Integer.parseInt(
                            line.substring(NameServerMain.LISTENING_PREFIX.length()).trim()));
                  }
                }
                port.completeExceptionally(new IOException("exited before listening: " + output));
              } catch (IOException e) {
                port.completeExceptionally(e);
              }
            },
            "nameserver-output");
    reader.setDaemon(true);
    reader.start();
    return port;
  }

  private static RegisterBrokerRequest registration() {
    return RegisterBrokerRequest.newBuilder()
        .setClusterName("edge")
        .setBrokerName("broker-a")
        .setRole(BrokerRole.BROKER_ROLE_MASTER)
        .setAddress(Address.newBuilder().setHost("127.0.0.1").setPort(10911))
        .addAllTopics(List.of(TopicConfig.newBuilder().setTopic("telemetry").build()))
        .setDataVersion(1)
        .build();
  }
}
