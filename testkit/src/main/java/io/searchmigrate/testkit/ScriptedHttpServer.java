package io.searchmigrate.testkit;

import com.sun.net.httpserver.HttpServer;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * An HTTP server on loopback that answers from a script and records every request: for testing how a client
 * reacts to answers a real cluster gives only under faults (429, 5xx, odd bodies). Real clusters are used for
 * everything else.
 *
 * <pre>{@code
 * try (ScriptedHttpServer server = ScriptedHttpServer.start((n, request) ->
 *     n == 1 ? Reply.json(429, "{}") : Reply.json(200, "{\"errors\":false,\"items\":[]}"))) {
 *   ClusterClient client = server.client();
 *   ...
 *   assertEquals(2, server.requests().size());
 * }
 * }</pre>
 */
public final class ScriptedHttpServer implements AutoCloseable {
  /** One request as the server received it. */
  public record Request(String method, String pathAndQuery, String body) {}

  /** One scripted answer. */
  public record Reply(int status, String contentType, String body) {
    public static Reply json(int status, String body) {
      return new Reply(status, "application/json", body);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private ScriptedHttpServer(BiFunction<Integer, Request, Reply> script) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      int number;
      synchronized (requests) {
        requests.add(request);
        number = requests.size();
      }
      Reply reply = script.apply(number, request);
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.start();
  }

  /** Starts a server that answers request number n (1-based) with {@code script.apply(n, request)}. */
  public static ScriptedHttpServer start(BiFunction<Integer, Request, Reply> script) {
    return new ScriptedHttpServer(script);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public ClusterEndpoint endpoint() {
    return ClusterEndpoint.of(url());
  }

  public ClusterClient client() {
    return ClusterClient.connect(endpoint());
  }

  /** Every request received so far, in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
