package io.edgemq.dist.launch;

import io.edgemq.dist.config.Settings;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A role running in this JVM.
 *
 * @param role its name, as in the {@code edgemq <role> listening on port N} line
 * @param port its main port (gRPC, or MQTT for a gateway)
 * @param stopper closes it cleanly
 * @param healthy whether it serves now, for /health
 * @param adjust what the roles started after it must know about it (standalone points its broker
 *     and gateway at its nameserver's bound port)
 * @param api JSON documents the role serves on the HTTP port, by path (operator tools read them)
 */
public record Started(
    String role,
    int port,
    Stopper stopper,
    BooleanSupplier healthy,
    UnaryOperator<Settings> adjust,
    Map<String, Supplier<String>> api) {

  /** Checks the parts. */
  public Started {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(stopper, "stopper");
    Objects.requireNonNull(healthy, "healthy");
    Objects.requireNonNull(adjust, "adjust");
    api = Map.copyOf(api);
  }

  /** A role that serves no JSON documents. */
  public Started(
      String role,
      int port,
      Stopper stopper,
      BooleanSupplier healthy,
      UnaryOperator<Settings> adjust) {
    this(role, port, stopper, healthy, adjust, Map.of());
  }

  /** Closes a role; may fail with the reason the close was not clean. */
  @FunctionalInterface
  public interface Stopper {
    /**
     * @throws Exception when the role could not close cleanly
     */
    void stop() throws Exception;
  }
}
