package io.edgemq.dist.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code edgemq version}: the build's version and the Java it runs on. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Prints the version.")
public final class VersionCommand implements Callable<Integer> {

  /**
   * @return the version the build wrote into the jar
   */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in =
        VersionCommand.class.getResourceAsStream("/io/edgemq/dist/version.properties")) {
      if (in == null) {
        throw new IllegalStateException("version.properties missing from the build");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }

  @Override
  public Integer call() {
    System.out.println(
        "edgemq "
            + version()
            + " (Java "
            + Runtime.version()
            + ", "
            + System.getProperty("java.vendor")
            + ")");
    return 0;
  }
}
