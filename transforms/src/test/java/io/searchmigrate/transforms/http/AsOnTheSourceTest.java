package io.searchmigrate.transforms.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Writes replayed as the source applied them: the ids it gave, without the conditions it already checked. */
class AsOnTheSourceTest {
  private static HttpRequestMessage request(String method, String target, String body) {
    return HttpRequestMessage.of(method, target, List.of(), body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] response(int status, String body) {
    return ("HTTP/1.1 " + status + " OK\r\ncontent-type: application/json; charset=UTF-8\r\ncontent-length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aDocumentTheSourceGaveAnIdToKeepsIt() {
    byte[] created = response(201, "{\"_index\":\"logs\",\"_id\":\"DTNFKqIBm29_DZikrZWY\",\"result\":\"created\"}");
    assertEquals("POST /logs/_doc/DTNFKqIBm29_DZikrZWY?routing=r1",
        AsOnTheSource.apply(request("POST", "/logs/_doc?routing=r1&op_type=create", "{}"), 201, created).toString());
    assertEquals("POST /logs/event/DTNFKqIBm29_DZikrZWY", AsOnTheSource.apply(request("POST", "/logs/event", "{}"), 201, created)
        .toString(), "a typed path (Elasticsearch 6) keeps its type for the typeless rule after it");
    HttpRequestMessage refused = request("POST", "/logs/_doc", "{}");
    assertSame(refused, AsOnTheSource.apply(refused, 400, response(400, "{\"error\":{}}")), "a write the source refused");
    HttpRequestMessage unanswered = request("POST", "/logs/_doc", "{}");
    assertSame(unanswered, AsOnTheSource.apply(unanswered, 201, response(201, "not json")), "an answer without an id");
    byte[] afterContinue = ("HTTP/1.1 100 Continue\r\n\r\n" + new String(created, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8); // to a client that sent Expect: 100-continue (curl, PHP, over 1 KB)
    assertEquals("POST /logs/_doc/DTNFKqIBm29_DZikrZWY", AsOnTheSource.apply(request("POST", "/logs/_doc", "{}"), 201,
        afterContinue).toString());
    HttpRequestMessage search = request("POST", "/logs/_search", "{}");
    assertSame(search, AsOnTheSource.apply(search, 200, response(200, "{\"_id\":\"x\"}")));
  }

  @Test
  void conditionsTheSourceAcceptedAreDroppedAndExternalVersionsKept() {
    assertEquals("PUT /live/_doc/d7?refresh=true", AsOnTheSource.apply(
        request("PUT", "/live/_doc/d7?if_seq_no=2&if_primary_term=1&refresh=true", "{}"), 200, null).toString());
    assertEquals("PUT /live/_doc/_d7", AsOnTheSource.apply(request("PUT", "/live/_doc/_d7?if_seq_no=2&if_primary_term=1", "{}"),
        200, null).toString(), "an id may start with '_'");
    assertEquals("POST /live/_update/d7", AsOnTheSource.apply(
        request("POST", "/live/_update/d7?if_seq_no=2&if_primary_term=1", "{}"), 200, null).toString());
    assertEquals("DELETE /live/_doc/d7", AsOnTheSource.apply(request("DELETE", "/live/_doc/d7?version=3", null), 200, null)
        .toString(), "an internal version is the source's own count");
    assertEquals("POST /live/doc/d7/_update", AsOnTheSource.apply(
        request("POST", "/live/doc/d7/_update?version=3&version_type=internal", "{}"), 200, null).toString());
    HttpRequestMessage external = request("PUT", "/live/_doc/d7?version=42&version_type=external", "{}");
    assertSame(external, AsOnTheSource.apply(external, 201, null), "an external version says which write wins anywhere");
    HttpRequestMessage conflicted = request("PUT", "/live/_doc/d7?if_seq_no=2&if_primary_term=1", "{}");
    assertSame(conflicted, AsOnTheSource.apply(conflicted, 409, null), "the source refused it: replayed as it was");
    HttpRequestMessage versions = request("POST", "/live/_search?version=true", "{}");
    assertSame(versions, AsOnTheSource.apply(versions, 200, null), "version=true asks a search for versions");
  }

  @Test
  void bulkItemsTheSourceAppliedGetTheirIdsAndLoseTheirConditions() throws IOException {
    String body = "{\"index\":{\"_index\":\"logs\"}}\n{\"n\":1}\n"
        + "{\"create\":{\"_index\":\"logs\",\"routing\":\"r\"}}\n{\"n\":2}\n"
        + "{\"index\":{\"_index\":\"logs\",\"_id\":\"k\",\"if_seq_no\":4,\"if_primary_term\":1}}\n{\"n\":3}\n"
        + "{\"delete\":{\"_index\":\"logs\",\"_id\":\"gone\"}}\n"
        + "{\"update\":{\"_index\":\"logs\",\"_id\":\"u\",\"if_seq_no\":9,\"if_primary_term\":1}}\n{\"doc\":{\"n\":4}}\n"
        + "{\"index\":{\"_index\":\"logs\"}}\n{\"n\":5}\n";
    String answer = "{\"took\":3,\"errors\":true,\"items\":["
        + "{\"index\":{\"_index\":\"logs\",\"_id\":\"A1\",\"status\":201}},"
        + "{\"create\":{\"_index\":\"logs\",\"_id\":\"B2\",\"status\":201}},"
        + "{\"index\":{\"_index\":\"logs\",\"_id\":\"k\",\"status\":200}},"
        + "{\"delete\":{\"_index\":\"logs\",\"_id\":\"gone\",\"status\":404}},"
        + "{\"update\":{\"_index\":\"logs\",\"_id\":\"u\",\"status\":409}},"
        + "{\"index\":{\"_index\":\"logs\",\"status\":429,\"error\":{}}}]}";
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(answer.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.writeBytes(("HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: " + zipped.size() + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    raw.writeBytes(zipped.toByteArray());

    HttpRequestMessage replayed = AsOnTheSource.apply(request("POST", "/_bulk", body), 200, raw.toByteArray());
    assertEquals("{\"index\":{\"_index\":\"logs\",\"_id\":\"A1\"}}\n{\"n\":1}\n"
        + "{\"index\":{\"_index\":\"logs\",\"routing\":\"r\",\"_id\":\"B2\"}}\n{\"n\":2}\n"
        + "{\"index\":{\"_index\":\"logs\",\"_id\":\"k\"}}\n{\"n\":3}\n"
        + "{\"delete\":{\"_index\":\"logs\",\"_id\":\"gone\"}}\n"
        + "{\"update\":{\"_index\":\"logs\",\"_id\":\"u\",\"if_seq_no\":9,\"if_primary_term\":1}}\n{\"doc\":{\"n\":4}}\n"
        + "{\"index\":{\"_index\":\"logs\"}}\n{\"n\":5}\n", replayed.bodyText(),
        "items the source refused (409, 429) stay as they were; source lines are not touched");

    HttpRequestMessage withIds = request("POST", "/logs/_bulk", "{\"index\":{\"_id\":\"1\"}}\n{}\n");
    assertSame(withIds, AsOnTheSource.apply(withIds, 200, null), "nothing to take from the answer: it is not read");
    HttpRequestMessage otherAnswer = request("POST", "/_bulk", "{\"index\":{\"_index\":\"logs\"}}\n{}\n");
    assertSame(otherAnswer, AsOnTheSource.apply(otherAnswer, 200, response(200, "{\"items\":[]}")), "items that do not line up");
  }
}
