package io.edgemq.dist.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The process's HTTP port: {@code GET /metrics} (Prometheus text format 0.0.4), {@code GET /health}
 * (200 {@code UP} while every role serves, 503 {@code DOWN} while starting or stopping), and the
 * JSON documents roles serve for operator tools ({@code /api/...}). The JDK's own server is enough
 * for a scrape every few seconds and a probe.
 */
public final class HttpEndpoint implements AutoCloseable {
  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private HttpEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds and starts serving.
   *
   * @param host address to bind
   * @param port port, 0 for any free one
   * @param registry the meters to serve
   * @param healthy whether the process serves now
   * @return the running endpoint
   * @throws IOException when the port cannot be bound
   */
  public static HttpEndpoint start(
      String host, int port, PrometheusMeterRegistry registry, BooleanSupplier healthy)
      throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new IOException("HTTP port " + host + ":" + port + ": " + e.getMessage(), e);
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "http-endpoint");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> metrics(ex, registry));
    server.createContext("/health", ex -> health(ex, healthy));
    server.start();
    return new HttpEndpoint(server, executor);
  }

  /**
   * Serves a JSON document, computed at each GET.
   *
   * @param path its path, e.g. {@code /api/gateway/sessions}
   * @param json computes the document
   */
  public void serveJson(String path, Supplier<String> json) {
    server.createContext(
        path,
        ex -> {
          if (onlyGet(ex, path)) {
            reply(ex, 200, "application/json", json.get());
          }
        });
  }

  /**
   * @return the bound port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void metrics(HttpExchange ex, PrometheusMeterRegistry registry)
      throws IOException {
    if (!onlyGet(ex, "/metrics")) {
      return;
    }
    reply(ex, 200, TEXT_FORMAT, registry.scrape());
  }

  private static void health(HttpExchange ex, BooleanSupplier healthy) throws IOException {
    if (!onlyGet(ex, "/health")) {
      return;
    }
    boolean up = healthy.getAsBoolean();
    reply(ex, up ? 200 : 503, "text/plain; charset=utf-8", up ? "UP\n" : "DOWN\n");
  }

  private static boolean onlyGet(HttpExchange ex, String path) throws IOException {
    if (!ex.getRequestURI().getPath().equals(path)) {
      reply(ex, 404, "text/plain; charset=utf-8", "not found\n");
      return false;
    }
    if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
      reply(ex, 405, "text/plain; charset=utf-8", "GET only\n");
      return false;
    }
    return true;
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      if (!head) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
