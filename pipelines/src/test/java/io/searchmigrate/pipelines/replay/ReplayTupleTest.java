package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.transforms.http.HttpRequestMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The tuple line, exactly: how each kind of body is kept, headers redacted, one or several target requests. */
class ReplayTupleTest {
  private static final String SOURCE_ANSWER = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\n\r\n"
      + "{\"result\":\"created\",\n  \"n\": 1.50}";

  private static CapturedRequest captured(byte[] request) {
    return new CapturedRequest("c1", 3, "PUT", "/i/_doc/1", true, request,
        SOURCE_ANSWER.getBytes(StandardCharsets.UTF_8), 201, 1_700_000_000_000_000L, 1_700_000_000_000_500L,
        1_700_000_000_002_000L, true);
  }

  private static HttpRequestMessage parse(String raw) {
    return HttpRequestMessage.parse(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Content-Length is not among a parsed message's headers: it is set from the body when the request is sent. */
  @Test
  void oneJsonValueIsKeptAsSentOnOneLineAndCredentialsAreRedacted() {
    String raw = "PUT /i/_doc/1 HTTP/1.1\r\nHost: src\r\nAuthorization: Basic c2VjcmV0\r\nX-A: 1\r\nx-a: 2\r\n"
        + "Content-Length: 20\r\n\r\n{\"a\": 1e2,\r\n \"b\":[]}";
    HttpRequestMessage source = parse(raw);
    String line = ReplayTuple.of(captured(raw.getBytes(StandardCharsets.ISO_8859_1)), source, List.of(source),
        List.of(201), List.of("{\"result\":\"created\"}".getBytes(StandardCharsets.UTF_8)), List.of(4L),
        List.of("rule-a"));
    String request = "{\"method\":\"PUT\",\"path\":\"/i/_doc/1\",\"headers\":{\"host\":\"src\","
        + "\"authorization\":\"[redacted]\",\"x-a\":\"2\"},\"body\":{\"a\": 1e2,   \"b\":[]}}";
    assertEquals("{\"connection\":\"c1\",\"request_index\":3,\"timestamp\":\"2023-11-14T22:13:20Z\","
        + "\"source_request\":" + request + ","
        + "\"source_response\":{\"status\":201,\"body\":{\"result\":\"created\",   \"n\": 1.50},\"latency_ms\":1.5},"
        + "\"target_request\":" + request + ","
        + "\"target_response\":{\"status\":201,\"body\":{\"result\":\"created\"},\"latency_ms\":4},"
        + "\"status_match\":true,\"rewrites\":[\"rule-a\"]}", line);
  }

  @Test
  void ndjsonBrokenJsonAndBinaryBodiesAreTextOrBase64AndSeveralTargetRequestsAreArrays() {
    String bulk = "{\"index\":{}}\n{\"a\":1}\n";
    String raw = "POST /_bulk HTTP/1.1\r\nContent-Length: " + bulk.length() + "\r\n\r\n" + bulk;
    HttpRequestMessage source = parse(raw);
    HttpRequestMessage broken = HttpRequestMessage.of("POST", "/a/_search", List.of(),
        "{\"query\":".getBytes(StandardCharsets.UTF_8));
    HttpRequestMessage binary = HttpRequestMessage.of("POST", "/b/_doc", List.of(), new byte[] {(byte) 0xC3, 0x28});
    String line = ReplayTuple.of(captured(raw.getBytes(StandardCharsets.ISO_8859_1)), source,
        List.of(broken, binary), List.of(400, 201), List.of(new byte[0], "text".getBytes(StandardCharsets.UTF_8)),
        List.of(1L, 2L), List.of(), new ClusterResponse("POST", "/b/_doc", 201, "[1]".getBytes(StandardCharsets.UTF_8)),
        7);
    assertEquals("{\"connection\":\"c1\",\"request_index\":3,\"timestamp\":\"2023-11-14T22:13:20Z\","
        + "\"source_request\":{\"method\":\"POST\",\"path\":\"/_bulk\",\"headers\":{},"
        + "\"body\":\"{\\\"index\\\":{}}\\n{\\\"a\\\":1}\\n\"},"
        + "\"source_response\":{\"status\":201,\"body\":{\"result\":\"created\",   \"n\": 1.50},\"latency_ms\":1.5},"
        + "\"target_request\":[{\"method\":\"POST\",\"path\":\"/a/_search\",\"headers\":{},\"body\":\"{\\\"query\\\":\"},"
        + "{\"method\":\"POST\",\"path\":\"/b/_doc\",\"headers\":{},\"body\":{\"base64\":\"wyg=\"}}],"
        + "\"target_response\":[{\"status\":400,\"body\":null,\"latency_ms\":1},"
        + "{\"status\":201,\"body\":\"text\",\"latency_ms\":2}],"
        + "\"target_response_repeat\":{\"status\":201,\"body\":[1],\"latency_ms\":7},"
        + "\"status_match\":false,\"rewrites\":[]}", line);
  }

  /** A source answer gzipped in chunks (a client that sent Accept-Encoding: gzip) is kept as its client read it. */
  @Test
  void aChunkedGzippedSourceAnswerIsKeptAsItsJson() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write("{\"found\":true}".getBytes(StandardCharsets.UTF_8));
    }
    byte[] body = zipped.toByteArray();
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    answer.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\n"
        + "transfer-encoding: chunked\r\n\r\n" + Integer.toHexString(5) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    answer.write(body, 0, 5);
    answer.write(("\r\n" + Integer.toHexString(body.length - 5) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    answer.write(body, 5, body.length - 5);
    answer.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    String raw = "GET /i/_doc/1 HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n";
    CapturedRequest read = new CapturedRequest("c1", 3, "GET", "/i/_doc/1", false, raw.getBytes(StandardCharsets.ISO_8859_1),
        answer.toByteArray(), 200, 1_700_000_000_000_000L, 1_700_000_000_000_500L, 1_700_000_000_002_000L, true);
    HttpRequestMessage source = parse(raw);
    String line = ReplayTuple.of(read, source, List.of(source), List.of(200),
        List.of("{\"found\":true}".getBytes(StandardCharsets.UTF_8)), List.of(1L), List.of());
    assertEquals("{\"status\":200,\"body\":{\"found\":true},\"latency_ms\":1.5}",
        Json.parse(line).path("source_response").toString());
  }
}
