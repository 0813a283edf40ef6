package io.searchmigrate.pipelines.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofSeconds(10));
  /** Gives up at the first trouble. */
  private static final Backoff IMPATIENT = new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ZERO);
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

  /** A server on {@code port} (0: any) that answers each bulk body as {@code answer} says. */
  private ClusterClient serveBodies(int port, Function<String, Response> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(body);
      Response r = answer.apply(body);
      byte[] bytes = r.body.getBytes(StandardCharsets.UTF_8);
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

  @Test
  void aBodyIsTheActionAndSourceLinesAsJacksonWritesThem() {
    BulkItem item = BulkItem.of(new TargetDocument("bo\"oks", "a\\b\u00e9", "r1", "{\"x\":1}".getBytes(StandardCharsets.UTF_8)));
    assertEquals("{\"index\":{\"_index\":\"bo\\\"oks\",\"_id\":\"a\\\\b\u00e9\",\"routing\":\"r1\"}}\n{\"x\":1}\n",
        new String(BulkWriter.body(List.of(item)), StandardCharsets.UTF_8));
    assertEquals(item.size(), BulkWriter.body(List.of(item)).length);
    assertEquals("{\"delete\":{\"_index\":\"books\",\"_id\":\"d\"}}\n", new String(BulkWriter.body(List.of(
        BulkItem.deleteOf(new TargetDocument("books", "d", null, "{}".getBytes(StandardCharsets.UTF_8))))), StandardCharsets.UTF_8));
  }

  @Test
  void onlyACompleteAnswerWithoutErrorsIsTakenWhole() {
    List<BulkItem> two = List.of(doc("a"), doc("b"));
    assertTrue(BulkWriter.allAcknowledged(bytes("{\"errors\":false,\"items\":[{\"index\":{\"status\":201}},"
        + "{\"index\":{\"_id\":\"b\",\"status\":200}}]}"), two));
    assertFalse(BulkWriter.allAcknowledged(bytes("{\"errors\":true,\"items\":[{\"index\":{\"status\":201}},"
        + "{\"index\":{\"status\":400,\"error\":{\"type\":\"x\"}}}]}"), two));
    assertFalse(BulkWriter.allAcknowledged(bytes("{\"errors\":false,\"items\":[{\"index\":{\"status\":201}}]}"), two));
    assertFalse(BulkWriter.allAcknowledged(bytes("{\"errors\":false,\"items\":[{\"index\":{\"status\":201}},"
        + "{\"index\":{\"status\":429}}]}"), two));
    assertFalse(BulkWriter.allAcknowledged(bytes("{\"items\":[{\"index\":{\"status\":201}},{\"index\":{\"status\":201}}]}"), two));
    assertFalse(BulkWriter.allAcknowledged(bytes("{}"), two));
    assertFalse(BulkWriter.allAcknowledged(bytes("<html>"), two));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static BulkItem doc(String id) {
    return BulkItem.of(new TargetDocument("books", id, null, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)));
  }

  private static class Collected implements BulkWriter.Outcome {
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

  /** The bulk answer accepting n documents. */
  private static String accepted(int n) {
    return "{\"errors\":false,\"items\":[" + String.join(",", java.util.Collections.nCopies(n, item(201, null))) + "]}";
  }

  /** Documents in a bulk body (two lines each). */
  private static int docsIn(String body) {
    return (int) body.lines().count() / 2;
  }

  @Test
  void wholeRequest429IsRetriedUntilAccepted() throws IOException {
    ClusterClient client = serve(n -> n <= 2 ? new Response(429, "{\"error\":{\"type\":\"es_rejected_execution_exception\"}}")
        : new Response(200, accepted(2)));
    Collected out = new Collected();
    new BulkWriter(client, FAST, Duration.ofSeconds(5)).write(List.of(doc("a"), doc("b")), out);
    assertEquals(List.of("a", "b"), out.written);
    assertEquals(3, requests.size());
    assertTrue(requests.get(0).startsWith("/_bulk?filter_path=errors,items.*.status,items.*.error\n"
        + "{\"index\":{\"_index\":\"books\",\"_id\":\"a\"}}\n{\"id\":\"a\"}\n"), requests.get(0));
  }

  @Test
  void deletesAreOneLineAndADocumentAlreadyAbsentCountsAsDeleted() throws IOException {
    ClusterClient client = serve(n -> new Response(200, "{\"errors\":true,\"items\":["
        + "{\"delete\":{\"status\":200}},{\"delete\":{\"status\":404}},"
        + "{\"delete\":{\"status\":404,\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index\"}}}]}"));
    Collected out = new Collected();
    List<BulkItem> deletes = new ArrayList<>();
    for (String id : List.of("a", "b", "c")) {
      deletes.add(BulkItem.deleteOf(new TargetDocument("books", id, "r-" + id, "{}".getBytes(StandardCharsets.UTF_8))));
    }
    new BulkWriter(client, FAST, Duration.ofSeconds(5)).write(deletes, out);
    assertEquals("/_bulk?filter_path=errors,items.*.status,items.*.error\n"
        + "{\"delete\":{\"_index\":\"books\",\"_id\":\"a\",\"routing\":\"r-a\"}}\n"
        + "{\"delete\":{\"_index\":\"books\",\"_id\":\"b\",\"routing\":\"r-b\"}}\n"
        + "{\"delete\":{\"_index\":\"books\",\"_id\":\"c\",\"routing\":\"r-c\"}}\n", requests.get(0));
    assertEquals(List.of("a", "b"), out.written, "b was not there: deleted all the same");
    assertEquals(1, out.failed.size());
    assertEquals("{\"stage\":\"delete\",\"index\":\"books\",\"id\":\"c\",\"routing\":\"r-c\",\"error_type\":"
        + "\"index_not_found_exception\",\"reason\":\"index_not_found_exception: no such index\",\"status\":404,\"action\":"
        + "{\"delete\":{\"_index\":\"books\",\"_id\":\"c\",\"routing\":\"r-c\"}}}", out.failed.get(0).toJsonLine());
  }

  @Test
  void onlyRetryableItemsAreResentAndOthersAreDeadLettered() throws IOException {
    ClusterClient client = serve(n -> n == 1
        ? new Response(200, "{\"errors\":true,\"items\":[" + item(201, null) + ","
            + item(429, "{\"type\":\"es_rejected_execution_exception\",\"reason\":\"queue full\"}") + ","
            + item(400, "{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse field [n]\",\"caused_by\":"
                + "{\"type\":\"number_format_exception\",\"reason\":\"For input string: \\\"x\\\"\"}}") + "]}")
        : new Response(200, accepted(1)));
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
  void aTargetThatStaysAwayStopsTheRunAfterTheTimeoutAndNothingIsDeadLettered() throws IOException {
    ClusterClient client = serve(n -> new Response(503, "{\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"blocked\"}}"));
    Collected out = new Collected();
    Backoff briefly = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(300));
    UserError e = assertThrows(UserError.class, () -> new BulkWriter(client, briefly, Duration.ofSeconds(5)).write(List.of(doc("a")), out));
    assertTrue(e.getMessage().matches("gave up on the target after 0 s \\(--target-unavailable-timeout 0 s\\): the target answered "
        + "HTTP 503: cluster_block_exception: blocked\\. 1 document\\(s\\) of a batch were not written; documents already written "
        + "stay\\. Run the backfill again once the target is healthy: documents keep their ids, so a second run overwrites rather "
        + "than duplicates"), e.getMessage());
    assertTrue(requests.size() > 3, "tried again and again for the whole timeout: " + requests.size());
    assertEquals(List.of(), out.written);
    assertEquals(List.of(), out.failed, "the target's trouble is not the document's");
  }

  @Test
  void answersThatAreNotBulkAnswersAreRetriedNotCountedAsWritten() throws IOException {
    List<String> waits = new CopyOnWriteArrayList<>();
    ClusterClient client = serve(n -> switch (n) {
      case 1 -> new Response(200, "{}");
      case 2 -> new Response(200, "<html><body>Gateway says hello</body></html>");
      case 3 -> new Response(200, "{\"errors\":false}");
      case 4 -> new Response(200, "{\"errors\":false,\"items\":[" + item(201, null) + "]}");
      case 5 -> new Response(200, "{\"errors\":false,\"items\":[{\"index\":{}},{\"index\":{}}]}");
      case 6 -> new Response(302, "");
      default -> new Response(200, accepted(2));
    });
    Collected out = new Collected() {
      @Override
      public void waiting(String reason, long troubledMillis) {
        waits.add(reason);
      }
    };
    new BulkWriter(client, FAST, Duration.ofSeconds(5)).write(List.of(doc("a"), doc("b")), out);
    assertEquals(List.of("a", "b"), out.written);
    assertEquals(List.of(), out.failed);
    assertEquals(7, requests.size());
    assertEquals(List.of(
        "the target answered HTTP 200 without the bulk answer's 'errors' field (a proxy or gateway in between?): {}",
        "the target answered HTTP 200 with a body that is not JSON (a proxy or gateway in between?): <html><body>Gateway says "
            + "hello</body></html>",
        "the bulk answer holds 0 item(s) for 2 document(s) sent",
        "the bulk answer holds 1 item(s) for 2 document(s) sent",
        "the bulk answer has an item without a status: {\"index\":{}}",
        "the target answered HTTP 302 to a bulk request"), waits);
  }

  @Test
  void aWholeRequestRefusedWith400IsSplitUntilTheDocumentAtFaultIsAlone() throws IOException {
    ClusterClient client = serveBodies(0, body -> body.contains("\"_id\":\"c\"")
        ? new Response(400, "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"Malformed action\"},\"status\":400}")
        : new Response(200, accepted(docsIn(body))));
    Collected out = new Collected();
    new BulkWriter(client, FAST, Duration.ofSeconds(5)).write(List.of(doc("a"), doc("b"), doc("c"), doc("d"), doc("e")), out);
    assertEquals(List.of("a", "b", "d", "e"), out.written);
    assertEquals(1, out.failed.size());
    assertEquals("c", out.failed.get(0).id());
    assertEquals("illegal_argument_exception", out.failed.get(0).errorType());
    assertEquals("the target refused a bulk request holding only this document (HTTP 400): illegal_argument_exception: "
        + "Malformed action", out.failed.get(0).reason());
  }

  @Test
  void aTargetThatRefusesConnectionsForAWhileIsWaitedFor() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ClusterClient client = ClusterClient.connect(ClusterEndpoint.of("http://127.0.0.1:" + port));
    List<String> waits = new CopyOnWriteArrayList<>();
    Collected out = new Collected() {
      @Override
      public void waiting(String reason, long troubledMillis) {
        waits.add(reason);
        if (waits.size() == 3) { // the target comes back on its port
          try {
            serveBodies(port, body -> new Response(200, accepted(docsIn(body))));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      }
    };
    new BulkWriter(client, FAST, Duration.ofSeconds(5)).write(List.of(doc("a"), doc("b")), out);
    assertEquals(List.of("a", "b"), out.written);
    assertEquals(List.of(), out.failed);
    assertEquals(3, waits.size());
    assertEquals("cannot reach http://127.0.0.1:" + port + ": connection refused. Is the cluster running, and is the port right?",
        waits.get(0));
  }

  @Test
  void tooLargeBatchesAreHalvedUntilTheyFit() throws IOException {
    ClusterClient client = serveBodies(0, body -> body.lines().count() > 4 // more than two documents
        ? new Response(413, "{\"error\":\"too large\"}") : new Response(200, accepted(docsIn(body))));
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
  void unreachableTargetStopsTheRunOnceTheTimeoutHasPassed() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ClusterClient client = ClusterClient.connect(ClusterEndpoint.of("http://127.0.0.1:" + closedPort));
    UserError e = assertThrows(UserError.class, () -> new BulkWriter(client, IMPATIENT, Duration.ofSeconds(5)).write(List.of(doc("a")), new Collected()));
    assertEquals("gave up on the target after 0 s (--target-unavailable-timeout 0 s): cannot reach http://127.0.0.1:" + closedPort
        + ": connection refused. Is the cluster running, and is the port right? 1 document(s) of a batch were not written; "
        + "documents already written stay. Run the backfill again once the target is healthy: documents keep their ids, so a "
        + "second run overwrites rather than duplicates", e.getMessage());
  }
}
