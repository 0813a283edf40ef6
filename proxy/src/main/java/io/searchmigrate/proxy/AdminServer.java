package io.searchmigrate.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * {@code GET /health} (200 while serving, 503 while draining; "kafka" is connecting, up or down) and
 * {@code GET /metrics} (Prometheus text).
 */
final class AdminServer {
  private final HttpServer http;

  private AdminServer(HttpServer http) {
    this.http = http;
  }

  static AdminServer start(InetSocketAddress address, ProxyServer proxy) {
    HttpServer http;
    try {
      http = HttpServer.create(address, 16);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot listen for health and metrics on " + address + ": " + e.getMessage(), e);
    }
    http.createContext("/health", exchange -> {
      boolean serving = !proxy.draining();
      String body = "{\"status\":\"" + (serving ? "serving" : "draining") + "\",\"kafka\":\""
          + proxy.kafkaState() + "\",\"node\":\"" + proxy.nodeId() + "\",\"connections\":"
          + proxy.openConnections() + "}\n";
      send(exchange, serving ? 200 : 503, "application/json", body);
    });
    http.createContext("/metrics", exchange ->
        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", proxy.metrics().prometheusText()));
    http.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "proxy-admin");
      t.setDaemon(true);
      return t;
    }));
    http.start();
    return new AdminServer(http);
  }

  InetSocketAddress address() {
    return http.getAddress();
  }

  void stop() {
    http.stop(0);
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
