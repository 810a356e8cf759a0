package io.edgemq.sim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes {@code report.json} and {@code report.html} into a folder. */
public final class ReportWriter {
  private ReportWriter() {}

  /**
   * Writes both reports.
   *
   * @param r the report
   * @param dir the folder (created if missing)
   * @throws IOException if they cannot be written
   */
  public static void write(RunReport r, Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    json.writeValue(dir.resolve("report.json").toFile(), r);
    Files.writeString(dir.resolve("report.html"), HtmlReport.render(r), StandardCharsets.UTF_8);
  }
}
