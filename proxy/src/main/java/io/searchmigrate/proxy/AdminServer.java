package io.searchmigrate.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.Executors;

/**
 * {@code GET /health} (200 while serving, 503 while draining; "kafka" is connecting, up or down; "mode" is source or
 * target), {@code GET /metrics} (Prometheus text) and {@code GET|POST /mode} (the switchover, see {@link #mode}).
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
          + proxy.openConnections() + ",\"mode\":\"" + (proxy.onTarget() ? "target" : "source") + "\"}\n";
      send(exchange, serving ? 200 : 503, "application/json", body);
    });
    http.createContext("/mode", exchange -> mode(exchange, proxy));
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

  /**
   * {@code GET /mode}: where requests go now and how many are in flight to each cluster; {@code POST /mode?to=target}
   * (or {@code to=source}) switches, then answers the same. A switch needs the proxy's switch token (HTTP basic auth
   * with the token as password, or a bearer token) when it has one, else a client on loopback.
   */
  private static void mode(HttpExchange exchange, ProxyServer proxy) throws IOException {
    String method = exchange.getRequestMethod();
    boolean changed = false;
    if (method.equals("POST")) {
      String refusal = switchRefusal(exchange, proxy.switchToken());
      if (refusal != null) {
        send(exchange, 403, "application/json", error(refusal));
        return;
      }
      String query = exchange.getRequestURI().getRawQuery();
      String to = query == null ? "" : query.replaceFirst("^(?:.*&)?to=([^&]*).*$", "$1");
      if (!to.equals("target") && !to.equals("source")) {
        send(exchange, 400, "application/json", error("POST /mode?to=target or ?to=source (found '" + (query == null ? "" : query) + "')"));
        return;
      }
      try {
        changed = proxy.switchTo(to.equals("target"));
      } catch (IllegalStateException e) {
        send(exchange, 409, "application/json", error(e.getMessage()));
        return;
      }
    } else if (!method.equals("GET")) {
      exchange.getResponseHeaders().set("Allow", "GET, POST");
      send(exchange, 405, "application/json", error("GET /mode, or POST /mode?to=target|source"));
      return;
    }
    long[] inFlight = proxy.requestsInFlight();
    ProxyMetrics m = proxy.metrics();
    String body = "{\"mode\":\"" + (proxy.onTarget() ? "target" : "source") + "\",\"changed\":" + changed
        + ",\"target\":" + (proxy.targetUrl() == null ? "null" : "\"" + proxy.targetUrl() + "\"")
        + ",\"in_flight\":{\"source\":" + inFlight[0] + ",\"target\":" + inFlight[1] + "}"
        + ",\"requests_to_target\":" + m.requestsToTarget.sum() + ",\"mutating_requests_to_target\":"
        + m.mutatingRequestsToTarget.sum() + ",\"switches\":" + m.switches.sum() + "}\n";
    send(exchange, 200, "application/json", body);
  }

  /** Why this switch request is not allowed, or null when it is. */
  private static String switchRefusal(HttpExchange exchange, String token) {
    if (token == null) {
      return exchange.getRemoteAddress().getAddress().isLoopbackAddress() ? null
          : "this proxy has no switch token (--switch-token), so only a client on its own machine (loopback) may switch it";
    }
    String presented = presentedToken(exchange.getRequestHeaders().getFirst("Authorization"));
    return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))
        ? null : "a switch needs this proxy's switch token (HTTP basic auth with the token as password, or Bearer)";
  }

  private static String presentedToken(String authorization) {
    if (authorization == null) {
      return null;
    }
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).strip();
    }
    if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        return pair.substring(pair.indexOf(':') + 1);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  private static String error(String message) {
    return "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n";
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
