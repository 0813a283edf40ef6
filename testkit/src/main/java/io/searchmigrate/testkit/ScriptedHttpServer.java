package io.searchmigrate.testkit;

import com.sun.net.httpserver.HttpServer;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 *
 * <p>{@link #relay(String, BiFunction)} puts it in front of a real cluster: requests the script answers with null are
 * forwarded, so a test injects a fault (a gateway's {@code 200 {}}, a 503, a pause) between a client and a real target.
 */
public final class ScriptedHttpServer implements AutoCloseable {
  /** One request as the server received it; header names in lower case. */
  public record Request(String method, String pathAndQuery, String body, Map<String, List<String>> headers) {
    public Request(String method, String pathAndQuery, String body) {
      this(method, pathAndQuery, body, Map.of());
    }

    /** The first value of a header, or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /** One scripted answer. */
  public record Reply(int status, String contentType, String body) {
    public static Reply json(int status, String body) {
      return new Reply(status, "application/json", body);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "scripted-http");
    t.setDaemon(true);
    return t;
  });

  private ScriptedHttpServer(BiFunction<Integer, Request, Reply> script, String upstream) {
    HttpClient http = upstream == null ? null : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      Map<String, List<String>> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), headers);
      int number;
      synchronized (requests) {
        requests.add(request);
        number = requests.size();
      }
      Reply reply = script.apply(number, request);
      if (reply == null) {
        reply = forward(http, upstream, request, exchange.getRequestHeaders().getFirst("Content-Type"));
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", reply.contentType());
      exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a server that answers request number n (1-based) with {@code script.apply(n, request)}. */
  public static ScriptedHttpServer start(BiFunction<Integer, Request, Reply> script) {
    return new ScriptedHttpServer(script, null);
  }

  /**
   * Starts a server in front of {@code upstreamUrl}: request number n gets {@code script.apply(n, request)}, or, when
   * that is null, the upstream's answer (a 502 when the upstream cannot be reached, as a load balancer would say).
   */
  public static ScriptedHttpServer relay(String upstreamUrl, BiFunction<Integer, Request, Reply> script) {
    return new ScriptedHttpServer(script, upstreamUrl.replaceAll("/+$", ""));
  }

  private static Reply forward(HttpClient http, String upstream, Request request, String contentType) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(upstream + request.pathAndQuery()))
        .timeout(Duration.ofMinutes(2))
        .method(request.method(), request.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(request.body()));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    try {
      HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse("application/json"),
          response.body());
    } catch (IOException e) {
      return Reply.json(502, "{\"error\":{\"type\":\"bad_gateway\",\"reason\":\"upstream unreachable: "
          + e.getClass().getSimpleName() + "\"},\"status\":502}");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reply.json(502, "{}");
    }
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
    executor.shutdownNow();
  }
}
