package io.edgemq.dist.launch;

import io.edgemq.dist.http.HttpEndpoint;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The roles of a process, running; {@link #close()} stops them in reverse start order. */
public final class Launched implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Launched.class);

  private final String process;
  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gcMetrics;
  private final List<Started> roles;
  volatile HttpEndpoint http;
  volatile boolean ready;
  private boolean closed;

  Launched(
      String process,
      PrometheusMeterRegistry registry,
      JvmGcMetrics gcMetrics,
      List<Started> roles) {
    this.process = process;
    this.registry = registry;
    this.gcMetrics = gcMetrics;
    this.roles = roles;
  }

  /**
   * @return the process's name
   */
  public String process() {
    return process;
  }

  synchronized void add(Started role) {
    roles.add(role);
  }

  /**
   * @return whether every role serves: started and not stopping
   */
  public boolean healthy() {
    if (!ready) {
      return false;
    }
    for (Started r : roles) {
      if (!r.healthy().getAsBoolean()) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param role {@code nameserver}, {@code broker} or {@code gateway}
   * @return its main port, if this process runs it
   */
  public Optional<Integer> port(String role) {
    return roles.stream().filter(r -> r.role().equals(role)).map(Started::port).findFirst();
  }

  /**
   * @return the HTTP endpoint's port, if it is on
   */
  public Optional<Integer> httpPort() {
    HttpEndpoint h = http;
    return h == null ? Optional.empty() : Optional.of(h.port());
  }

  /**
   * @return the meters of every role and the JVM
   */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Stops every role, last started first, then the HTTP endpoint. Calling it again does nothing.
   *
   * @return whether every role stopped cleanly (the store closed, offsets written)
   */
  public synchronized boolean stop() {
    if (closed) {
      return true;
    }
    closed = true;
    ready = false;
    boolean clean = true;
    for (int i = roles.size() - 1; i >= 0; i--) {
      Started r = roles.get(i);
      try {
        r.stopper().stop();
        LOG.info("edgemq {}: {} stopped", process, r.role());
      } catch (Exception e) {
        clean = false;
        LOG.error("edgemq {}: {} did not stop cleanly", process, r.role(), e);
      }
    }
    HttpEndpoint h = http;
    if (h != null) {
      h.close();
    }
    gcMetrics.close();
    registry.close();
    return clean;
  }

  /** Same as {@link #stop()}, for try-with-resources. */
  @Override
  public void close() {
    stop();
  }
}
