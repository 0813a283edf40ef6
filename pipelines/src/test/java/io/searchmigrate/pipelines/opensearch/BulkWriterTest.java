package io.searchmigrate.pipelines.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.transforms.document.TargetDocument;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bulk writer's retry and failure rules against a scripted HTTP server (pure logic: which documents are
 * re-sent, which are dead-lettered, when the run stops). The real target is exercised by the end-to-end tests.
 */
class BulkWriterTest {
  private static final Backoff FAST = new Backoff(3, Duration.ofMillis(1), Duration.ofMillis(2));
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  /** Answers each request with the status and body the script gives for (request number, body). */
  private ClusterClient serve(Function<Integer, Response> script) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(exchange.getRequestURI() + "\n" + body);
      Response r = script.apply(requests.size());
      byte[] bytes = r.body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(r.status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    return ClusterClient.connect(ClusterEndpoint.of("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static final class Response {
    final int status;
    final String body;

    Response(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  private static BulkItem doc(String id) {
    return BulkItem.of(new TargetDocument("books", id, null, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)));
  }

  private static final class Collected implements BulkWriter.Outcome {
    final List<String> written = new ArrayList<>();
    final List<FailedDocument> failed = new ArrayList<>();

    @Override
    public void written(BulkItem item) {
      written.add(item.id());
    }

    @Override
    public void failed(FailedDocument failure) {
      failed.add(failure);
    }
  }

  private static String item(int status, String error) {
    return "{\"index\":{\"status\":" + status + (error == null ? "" : ",\"error\":" + error) + "}}";
  }

  @Test
  void wholeRequest429IsRetriedUntilAccepted() throws IOException {
    ClusterClient client = serve(n -> n <= 2 ? new Response(429, "{\"error\":{\"type\":\"es_rejected_execution_exception\"}}")
        : new Response(200, "{\"errors\":false}"));
    Collected out = new Collected();
    new BulkWriter(client, FAST, Duration.ofSeconds(5)).write(List.of(doc("a"), doc("b")), out);
    assertEquals(List.of("a", "b"), out.written);
    assertEquals(3, requests.size());
    assertTrue(requests.get(0).startsWith("/_bulk?filter_path=errors,items.*.status,items.*.error\n"
        + "{\"index\":{\"_index\":\"books\",\"_id\":\"a\"}}\n{\"id\":\"a\"}\n"), requests.get(0));
  }

  @Test
  void onlyRetryableItemsAreResentAndOthersAreDeadLettered() throws IOException {
    ClusterClient client = serve(n -> n == 1
        ? new Response(200, "{\"errors\":true,\"items\":[" + item(201, null) + ","
            + item(429, "{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue full\"}") + ","
            + item(400, "{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse field [n]\",\"caused_by\":"
                + "{\"type\":\"number_format_exception\",\"reason\":\"For input string: \\\"x\\\"\"}}") + "]}")
        : new Response(200, "{\"errors\":false}"));
    Collected out = new Collected();
    new BulkWriter(client, FAST, Duration.ofSeconds(5)).write(List.of(doc("a"), doc("b"), doc("c")), out);
    assertEquals(List.of("a", "b"), out.written);
    assertEquals(2, requests.size());
    assertEquals("/_bulk?filter_path=errors,items.*.status,items.*.error\n{\"index\":{\"_index\":\"books\",\"_id\":\"b\"}}\n"
        + "{\"id\":\"b\"}\n", requests.get(1), "only the rejected item goes again");
    assertEquals(1, out.failed.size());
    FailedDocument c = out.failed.get(0);
    assertEquals("c", c.id());
    assertEquals("mapper_parsing_exception", c.errorType());
    assertEquals("mapper_parsing_exception: failed to parse field [n] (caused by number_format_exception: For input string: \"x\")",
        c.reason());
    assertEquals(400, c.status());
    assertEquals("{\"stage\":\"write\",\"index\":\"books\",\"id\":\"c\",\"routing\":null,\"error_type\":\"mapper_parsing_exception\","
        + "\"reason\":\"mapper_parsing_exception: failed to parse field [n] (caused by number_format_exception: For input string: "
        + "\\\"x\\\")\",\"status\":400,\"action\":{\"index\":{\"_index\":\"books\",\"_id\":\"c\"}},\"source\":{\"id\":\"c\"}}",
        c.toJsonLine());
  }

  @Test
  void persistent503DeadLettersTheBatchAfterTheLastAttempt() throws IOException {
    ClusterClient client = serve(n -> new Response(503, "{\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"blocked\"}}"));
    Collected out = new Collected();
    new BulkWriter(client, FAST, Duration.ofSeconds(5)).write(List.of(doc("a")), out);
    assertEquals(3, requests.size(), "three attempts");
    assertEquals(List.of(), out.written);
    assertEquals("gave up after 3 attempts: target answered HTTP 503: cluster_block_exception: blocked", out.failed.get(0).reason());
  }

  @Test
  void tooLargeBatchesAreHalvedUntilTheyFit() throws IOException {
    ClusterClient client = serve(n -> new Response(200, "{\"errors\":false}"));
    server.removeContext("/");
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(body);
      boolean tooBig = body.lines().count() > 4; // more than two documents
      byte[] bytes = (tooBig ? "{\"error\":\"too large\"}" : "{\"errors\":false}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(tooBig ? 413 : 200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    Collected out = new Collected();
    new BulkWriter(client, FAST, Duration.ofSeconds(5)).write(List.of(doc("a"), doc("b"), doc("c"), doc("d"), doc("e")), out);
    assertEquals(List.of("a", "b", "c", "d", "e"), out.written);
    assertEquals(List.of(), out.failed);
  }

  @Test
  void authenticationFailureStopsTheRun() throws IOException {
    ClusterClient client = serve(n -> new Response(401, "{\"error\":{\"type\":\"security_exception\",\"reason\":\"missing authentication credentials\"}}"));
    UserError e = assertThrows(UserError.class, () -> new BulkWriter(client, FAST, Duration.ofSeconds(5)).write(List.of(doc("a")), new Collected()));
    assertEquals("the target refused the bulk request (HTTP 401): security_exception: missing authentication credentials. "
        + "Check the target credentials and that the user may write to the indices", e.getMessage());
  }

  @Test
  void unreachableTargetStopsTheRunAfterRetrying() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ClusterClient client = ClusterClient.connect(ClusterEndpoint.of("http://127.0.0.1:" + closedPort));
    UserError e = assertThrows(UserError.class, () -> new BulkWriter(client, FAST, Duration.ofSeconds(5)).write(List.of(doc("a")), new Collected()));
    assertTrue(e.getMessage().startsWith("cannot reach http://127.0.0.1:" + closedPort + ": connection refused. Is the cluster "
        + "running, and is the port right? (gave up after 3 attempts"), e.getMessage());
  }
}
