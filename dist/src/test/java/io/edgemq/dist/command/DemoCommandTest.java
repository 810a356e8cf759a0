package io.edgemq.dist.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgemq.dist.EdgemqMain;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code edgemq demo} starts a real standalone server on free ports, runs a short verified
 * telemetry fleet against it through real MQTT connections, and stops.
 */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void demo_runsAVerifiedFleetAgainstItsOwnServer_andPasses() throws Exception {
    Path reports = dir.resolve("reports");
    int code =
        new CommandLine(new EdgemqMain())
            .execute(
                "demo", "--devices", "20", "--duration", "3s", "--report-dir", reports.toString());
    assertThat(code).as("the simulator's verdict").isZero();
    assertThat(Files.list(reports).map(p -> p.getFileName().toString()).toList())
        .contains("report.json", "report.html");
    assertThat(Files.readString(reports.resolve("report.json"))).contains("\"lost\"");
  }
}
