package io.edgemq.dist.launch;

import io.edgemq.dist.config.Keys;
import io.edgemq.dist.config.Settings;
import io.edgemq.dist.http.HttpEndpoint;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one start/stop shape of every server subcommand: the HTTP endpoint first (a taken port fails
 * before any data is opened), then each role in order, each handing what the next must know;
 * stopping goes the other way. A role that fails to start stops those already started.
 */
public final class Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private Launcher() {}

  /**
   * Starts the roles and returns once all serve.
   *
   * @param process the process's name for log lines ({@code standalone}, {@code broker}...)
   * @param settings its settings
   * @param starters the roles, in start order
   * @param clock the roles' clock
   * @param out where the {@code listening on port} lines go (scripts and tests read them)
   * @return the running process
   * @throws Exception why a role could not start; those started are stopped again
   */
  public static Launched start(
      String process, Settings settings, List<RoleStarter> starters, Clock clock, PrintStream out)
      throws Exception {
    Launched launched = prepare(process);
    startRoles(launched, settings, starters, clock, out);
    return launched;
  }

  private static Launched prepare(String process) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new Launched(process, registry, bindJvmMetrics(registry), new CopyOnWriteArrayList<>());
  }

  /**
   * Starts the HTTP endpoint and the roles while holding the process's lock, so a stop asked for
   * meanwhile (SIGTERM during start) waits and then stops every role that got started.
   */
  private static void startRoles(
      Launched launched,
      Settings settings,
      List<RoleStarter> starters,
      Clock clock,
      PrintStream out)
      throws Exception {
    synchronized (launched) {
      LOG.info("edgemq {} starting with {}", launched.process(), settings.texts());
      try {
        int httpPort = settings.get(Keys.HTTP_PORT);
        if (httpPort >= 0) {
          launched.http =
              HttpEndpoint.start(
                  settings.get(Keys.HTTP_HOST), httpPort, launched.registry(), launched::healthy);
          out.println("edgemq http listening on port " + launched.http.port());
        }
        Settings current = settings;
        for (RoleStarter starter : starters) {
          Started role = starter.start(current, launched.registry(), clock);
          launched.add(role);
          if (launched.http != null) {
            role.api().forEach(launched.http::serveJson);
          }
          current = role.adjust().apply(current);
          out.println("edgemq " + role.role() + " listening on port " + role.port());
          out.flush();
        }
      } catch (Exception | Error e) {
        launched.stop();
        throw e;
      }
      launched.ready = true;
      LOG.info("edgemq {} started", launched.process());
    }
  }

  /**
   * Runs until SIGTERM or Ctrl-C, then stops cleanly and ends the JVM: status 0 after a clean stop,
   * 1 otherwise (a JVM ended by a signal would report 128 + signal, which supervisors read as a
   * crash).
   *
   * @param process the process's name
   * @param settings its settings
   * @param starters its roles in start order
   * @return never: the JVM ends with the status above, or 1 when a role could not start
   */
  public static int runUntilSignalled(
      String process, Settings settings, List<RoleStarter> starters) {
    Launched launched = prepare(process);
    // registered first: a SIGTERM during start waits for it, then stops what started
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  boolean clean = launched.stop();
                  System.out.println(
                      "edgemq " + process + " stopped" + (clean ? "" : " uncleanly"));
                  System.out.flush();
                  Runtime.getRuntime().halt(clean ? 0 : 1);
                },
                process + "-shutdown"));
    try {
      startRoles(launched, settings, starters, Clock.systemUTC(), System.out);
    } catch (Exception e) {
      LOG.error("edgemq {} could not start: {}", process, describe(e));
      System.err.println("edgemq " + process + " could not start: " + describe(e));
      System.err.flush();
      // the shutdown hook has nothing left to stop
      Runtime.getRuntime().halt(1);
    }
    try {
      new CountDownLatch(1).await(); // until the shutdown hook halts the JVM
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** One line for an operator: the message and its cause's, no stack trace. */
  static String describe(Throwable e) {
    String text = e.getMessage() == null ? e.toString() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
      text += " (" + cause.getMessage() + ")";
    }
    return text;
  }

  private static JvmGcMetrics bindJvmMetrics(PrometheusMeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics(); // holds GC listeners until closed
    gc.bindTo(registry);
    return gc;
  }
}
