package io.searchmigrate.validation.tuples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crafted tuples of each category, in the replay's tuple shape, read from .ndjson and .ndjson.gz files. */
class TupleValidationTest {
  @TempDir
  Path dir;

  private static int next;

  private static ObjectNode tuple(String method, String path, int sourceStatus, String sourceBody, int targetStatus,
      String targetBody) {
    ObjectNode t = Json.object();
    t.put("connection", "c1");
    t.put("request_index", next++);
    t.put("timestamp", "2026-01-01T00:00:00Z");
    t.putObject("source_request").put("method", method).put("path", path).putNull("body");
    t.putObject("source_response").put("status", sourceStatus).set("body", Json.parse(sourceBody));
    t.putObject("target_request").put("method", method).put("path", path).putNull("body");
    t.putObject("target_response").put("status", targetStatus).set("body", Json.parse(targetBody));
    t.put("status_match", sourceStatus == targetStatus);
    return t;
  }

  private static final String ES6_SEARCH = "{\"took\":5,\"timed_out\":false,\"_shards\":{\"total\":5},"
      + "\"hits\":{\"total\":2,\"max_score\":1.0,\"hits\":[{\"_index\":\"i\",\"_type\":\"_doc\",\"_id\":\"1\",\"_score\":1.0},"
      + "{\"_index\":\"i\",\"_type\":\"_doc\",\"_id\":\"2\",\"_score\":1.0}]},"
      + "\"aggregations\":{\"by\":{\"buckets\":[{\"key\":\"a\",\"doc_count\":2}]}}}";
  private static final String OS_SEARCH = "{\"took\":9,\"timed_out\":false,\"_shards\":{\"total\":1},"
      + "\"hits\":{\"total\":{\"value\":2,\"relation\":\"eq\"},\"max_score\":0.5,\"hits\":[{\"_index\":\"i\",\"_id\":\"1\",\"_score\":0.5},"
      + "{\"_index\":\"i\",\"_id\":\"2\",\"_score\":0.5}]},"
      + "\"aggregations\":{\"by\":{\"buckets\":[{\"key\":\"a\",\"doc_count\":2}]}}}";

  private TupleComparison.Result compare(ObjectNode tuple) {
    return new TupleComparison(TupleComparison.DEFAULT_IGNORED).compare(tuple, Map.of());
  }

  @Test
  void anEs6SearchMatchesItsOpenSearchAnswerDespiteTotalsFormatTypesScoresAndTimings() {
    TupleComparison.Result r = compare(tuple("GET", "/i/_search?q=x", 200, ES6_SEARCH, 200, OS_SEARCH));
    assertEquals(TupleComparison.Category.MATCH, r.category, () -> r.paths.toString());
    assertEquals("/{index}/_search", r.pattern);
  }

  @Test
  void eachKindOfDifferenceHasItsCategory() {
    assertEquals(TupleComparison.Category.STATUS, compare(tuple("GET", "/i/_doc/1", 200, "{}", 404, "{}")).category);
    assertEquals(TupleComparison.Category.HITS_TOTAL, compare(tuple("GET", "/i/_search", 200, ES6_SEARCH, 200,
        OS_SEARCH.replace("\"value\":2", "\"value\":3"))).category);
    TupleComparison.Result order = compare(tuple("GET", "/i/_search", 200, ES6_SEARCH, 200,
        OS_SEARCH.replace("\"_id\":\"1\"", "\"_id\":\"X\"").replace("\"_id\":\"2\"", "\"_id\":\"1\"").replace("\"_id\":\"X\"", "\"_id\":\"2\"")));
    assertEquals(TupleComparison.Category.HIT_IDS, order.category);
    assertEquals(List.of("hits.hits.0._id", "hits.hits.1._id"), order.paths);
    assertEquals(TupleComparison.Category.AGGREGATIONS, compare(tuple("GET", "/i/_search", 200, ES6_SEARCH, 200,
        OS_SEARCH.replace("\"doc_count\":2", "\"doc_count\":1"))).category);
    // writes are judged on their result and status only: versions and sequence numbers differ by nature
    assertEquals(TupleComparison.Category.MATCH, compare(tuple("PUT", "/i/_doc/7", 201,
        "{\"_index\":\"i\",\"_type\":\"_doc\",\"_id\":\"7\",\"_version\":3,\"result\":\"created\",\"_seq_no\":9}", 201,
        "{\"_index\":\"i\",\"_id\":\"7\",\"_version\":1,\"result\":\"created\",\"_seq_no\":0,\"forced_refresh\":true}")).category);
    assertEquals(TupleComparison.Category.WRITE_RESULT, compare(tuple("PUT", "/i/_doc/7", 200,
        "{\"_id\":\"7\",\"result\":\"updated\"}", 200, "{\"_id\":\"7\",\"result\":\"created\"}")).category);
    assertEquals(TupleComparison.Category.WRITE_RESULT, compare(tuple("POST", "/_bulk", 200,
        "{\"errors\":false,\"items\":[{\"index\":{\"_id\":\"1\",\"status\":201}}]}", 200,
        "{\"errors\":true,\"items\":[{\"index\":{\"_id\":\"1\",\"status\":400}}]}")).category);
    assertEquals(TupleComparison.Category.BODY, compare(tuple("GET", "/i/_doc/1", 200,
        "{\"_id\":\"1\",\"_source\":{\"a\":1}}", 200, "{\"_id\":\"1\",\"_source\":{\"a\":2}}")).category);
  }

  @Test
  void writesTheTargetAlreadyHeldAreAlreadyAppliedNotFailures() {
    assertEquals(TupleComparison.Category.ALREADY_APPLIED, compare(tuple("PUT", "/i/_doc/7", 201,
        "{\"_id\":\"7\",\"result\":\"created\"}", 200, "{\"_id\":\"7\",\"result\":\"updated\"}")).category);
    assertEquals(TupleComparison.Category.ALREADY_APPLIED, compare(tuple("DELETE", "/i/_doc/7", 200,
        "{\"_id\":\"7\",\"result\":\"deleted\"}", 404, "{\"_id\":\"7\",\"result\":\"not_found\"}")).category);
    assertEquals(TupleComparison.Category.ALREADY_APPLIED, compare(tuple("POST", "/_bulk", 200,
        "{\"errors\":false,\"items\":[{\"index\":{\"_id\":\"1\",\"result\":\"created\",\"status\":201}},"
            + "{\"delete\":{\"_id\":\"2\",\"result\":\"deleted\",\"status\":200}}]}", 200,
        "{\"errors\":false,\"items\":[{\"index\":{\"_id\":\"1\",\"result\":\"updated\",\"status\":200}},"
            + "{\"delete\":{\"_id\":\"2\",\"result\":\"not_found\",\"status\":404}}]}")).category);
    // a create the backfill had already made (409 there), an update the target already holds (noop)
    assertEquals(TupleComparison.Category.ALREADY_APPLIED, compare(tuple("PUT", "/i/_create/7", 201,
        "{\"_id\":\"7\",\"result\":\"created\"}", 409, "{\"error\":{\"type\":\"version_conflict_engine_exception\"}}")).category);
    assertEquals(TupleComparison.Category.ALREADY_APPLIED, compare(tuple("POST", "/_bulk", 200,
        "{\"errors\":false,\"items\":[{\"create\":{\"_id\":\"1\",\"result\":\"created\",\"status\":201}},"
            + "{\"update\":{\"_id\":\"2\",\"result\":\"updated\",\"status\":200}}]}", 200,
        "{\"errors\":true,\"items\":[{\"create\":{\"_id\":\"1\",\"status\":409,\"error\":{\"type\":"
            + "\"version_conflict_engine_exception\"}}},{\"update\":{\"_id\":\"2\",\"result\":\"noop\",\"status\":200}}]}"))
        .category);
    assertFalse(TupleComparison.Category.ALREADY_APPLIED.isFailure());
    // the other way round is a lost write, and a bulk with one real failure among re-applied items fails
    assertEquals(TupleComparison.Category.STATUS, compare(tuple("PUT", "/i/_doc/7", 200,
        "{\"_id\":\"7\",\"result\":\"updated\"}", 201, "{\"_id\":\"7\",\"result\":\"created\"}")).category);
    assertEquals(TupleComparison.Category.STATUS, compare(tuple("GET", "/i/_doc/7", 200,
        "{\"_id\":\"7\",\"found\":true}", 404, "{\"_id\":\"7\",\"found\":false}")).category);
    assertEquals(TupleComparison.Category.WRITE_RESULT, compare(tuple("POST", "/_bulk", 200,
        "{\"errors\":false,\"items\":[{\"index\":{\"_id\":\"1\",\"result\":\"created\",\"status\":201}},"
            + "{\"index\":{\"_id\":\"2\",\"result\":\"created\",\"status\":201}}]}", 200,
        "{\"errors\":true,\"items\":[{\"index\":{\"_id\":\"1\",\"result\":\"updated\",\"status\":200}},"
            + "{\"index\":{\"_id\":\"2\",\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\"}}}]}")).category);
  }

  @Test
  void theReplaysDeadLettersAreNotReadAsTuplesAndALineThatIsNoTupleIsNamed() throws IOException {
    Files.write(dir.resolve("tuples-0.ndjson"), List.of(Json.toString(tuple("GET", "/i/_count", 200, "{\"count\":1}", 200,
        "{\"count\":1}")), "{\"connection\":\"c\",\"note\":\"not a tuple\"}"));
    Files.createDirectories(dir.resolve("dead-letters"));
    Files.write(dir.resolve("dead-letters").resolve("dead-letters-0.ndjson"),
        List.of("{\"reason\":\"not a capture record\",\"topic\":\"t\",\"partition\":0,\"offset\":9}"));
    TupleReport report = new TupleValidation(List.of()).run(dir);
    assertEquals(1, report.total());
    assertEquals(List.of("1 line(s) are not JSON tuples: [tuples-0.ndjson:2]"), report.failures());
  }

  @Test
  void multiRequestTuplesNeedEveryTargetStatusToMatch() {
    ObjectNode t = tuple("GET", "/i/_search", 200, ES6_SEARCH, 200, OS_SEARCH);
    t.set("target_response", Json.parse("[{\"status\":200,\"body\":" + OS_SEARCH + "},{\"status\":500,\"body\":{}}]"));
    assertEquals(TupleComparison.Category.STATUS, compare(t).category);
  }

  @Test
  void pathsThatDifferBetweenTwoAnswersOfTheTargetAreLearnedAsNoiseAndReportedApart() throws IOException {
    List<String> lines = new ArrayList<>();
    // a sampled read: the target answered twice, with different "generated_at": that path is noise for this pattern
    ObjectNode sampled = tuple("GET", "/i/_stats", 200, "{\"generated_at\":1,\"docs\":5}", 200, "{\"generated_at\":2,\"docs\":5}");
    sampled.putObject("target_response_repeat").put("status", 200).set("body", Json.parse("{\"generated_at\":3,\"docs\":5}"));
    lines.add(Json.toString(sampled));
    lines.add(Json.toString(tuple("GET", "/j/_stats", 200, "{\"generated_at\":7,\"docs\":5}", 200, "{\"generated_at\":8,\"docs\":5}")));
    lines.add(Json.toString(tuple("GET", "/j/_stats", 200, "{\"generated_at\":7,\"docs\":5}", 200, "{\"generated_at\":8,\"docs\":6}")));
    Files.write(dir.resolve("part-0.ndjson"), lines);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("part-1.ndjson.gz")))) {
      out.write((Json.toString(tuple("GET", "/i/_search", 200, ES6_SEARCH, 200, OS_SEARCH)) + "\n").getBytes(StandardCharsets.UTF_8));
      out.write((Json.toString(tuple("GET", "/i/_count", 200, "{\"count\":4}", 200, "{\"count\":3}")) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    TupleReport report = new TupleValidation(List.of()).run(dir);
    assertEquals(5, report.total());
    assertEquals(Map.of("GET /{index}/_stats", java.util.Set.of("generated_at")), report.noise());
    Map<String, String> categories = new TreeMap<>();
    report.differences().forEach(r -> categories.put(r.requestIndex + "", r.category.label() + " " + r.paths));
    assertEquals(2, report.count(TupleComparison.Category.NOISE));
    assertEquals(1, report.count(TupleComparison.Category.MATCH));
    assertEquals(2, report.count(TupleComparison.Category.BODY), categories::toString);
    assertEquals(List.of("body [docs]", "body [count]"), report.differences().stream().filter(r -> r.category.isFailure())
        .map(r -> r.category.label() + " " + r.paths).collect(Collectors.toList()));
    assertFalse(report.passed());
    assertTrue(report.renderText(10).contains("noise learned for GET /{index}/_stats: [generated_at]"), report.renderText(10));
    assertEquals("fail", report.toJson(10).path("verdict").asText());
  }

  @Test
  void ignoredPathsAddedByTheUserAndBadInput() throws IOException {
    Files.write(dir.resolve("t.ndjson"), List.of(Json.toString(tuple("GET", "/i/_doc/1", 200,
        "{\"_id\":\"1\",\"_source\":{\"a\":1,\"at\":\"x\"}}", 200, "{\"_id\":\"1\",\"_source\":{\"a\":1,\"at\":\"y\"}}"))));
    assertFalse(new TupleValidation(List.of()).run(dir).passed());
    assertTrue(new TupleValidation(List.of("_source.at")).run(dir).passed());
    Files.writeString(dir.resolve("u.ndjson"), "not json\n");
    TupleReport bad = new TupleValidation(List.of("_source.at")).run(dir);
    assertEquals(List.of("1 line(s) are not JSON tuples: [u.ndjson:1]"), bad.failures());
    UserError none = assertThrows(UserError.class, () -> new TupleValidation(List.of()).run(dir.resolve("nowhere")));
    assertTrue(none.getMessage().contains("is not a folder"), none.getMessage());
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThrows(UserError.class, () -> new TupleValidation(List.of()).run(empty));
  }
}
