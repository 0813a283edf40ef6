package io.searchmigrate.common.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP server on the loopback that answers every request with the same status and body, for the client's tests.
 *
 * <pre>{@code
 * try (FixedAnswerServer server = FixedAnswerServer.start(404, "{\"error\":\"no handler\"}")) {
 *   ClusterClient.connect(ClusterEndpoint.of(server.url())).get("/");
 * }
 * }</pre>
 */
final class FixedAnswerServer implements AutoCloseable {
  private final HttpServer server;

  private FixedAnswerServer(HttpServer server) {
    this.server = server;
  }

  static FixedAnswerServer start(int status, String body) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    return new FixedAnswerServer(server);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
