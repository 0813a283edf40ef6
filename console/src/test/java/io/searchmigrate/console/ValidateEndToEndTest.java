package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.pipelines.deadletters.DeadLetterIO;
import io.searchmigrate.pipelines.opensearch.OpenSearchIO;
import io.searchmigrate.pipelines.runners.RunnerPresets;
import io.searchmigrate.testkit.Fixtures;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.validation.CanonicalJson;
import io.searchmigrate.validation.Category;
import io.searchmigrate.validation.ValidateOptions;
import io.searchmigrate.validation.ValidationHtml;
import io.searchmigrate.validation.ValidationJob;
import io.searchmigrate.validation.ValidationReport;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code migrate validate} on real clusters: a fixture snapshot (Elasticsearch 7.10.2 and 6.8) backfilled into
 * OpenSearch 2.19.1, a live Elasticsearch 7.10.2 source, damage made on purpose on the target, found exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidateEndToEndTest {
  private static final String ES7 = "7.10.2";
  private static final int LIVE_DOCS = 30;

  @TempDir
  Path temp;

  private ClusterClient source;
  private ClusterClient target;
  private ClusterClient es6;
  private final Set<String> expectedLive = new TreeSet<>();

  @BeforeAll
  void prepare() {
    source = ClusterClient.connect(TestClusters.elasticsearch(ES7).endpoint());
    target = ClusterClient.connect(TestClusters.opensearchWithModules("2.19.1").endpoint());
    for (ClusterClient c : List.of(source, target)) {
      c.delete("/vc_items");
      c.putJson("/vc_items", Json.parse("{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0}}")).requireSuccess();
    }
    StringBuilder onSource = new StringBuilder();
    StringBuilder onTarget = new StringBuilder();
    for (int i = 1; i <= LIVE_DOCS; i++) {
      String routing = i % 5 == 0 ? "r" + (i % 3) : null;
      ObjectNode action = Json.object();
      ObjectNode meta = action.putObject("index").put("_index", "vc_items").put("_id", "item-" + i);
      if (routing != null) {
        meta.put("routing", routing);
      }
      // the same documents, written with other key orders and number formats on each side
      onSource.append(Json.toString(action)).append('\n')
          .append("{\"name\":\"item " + i + "\",\"price\":" + i + ".50,\"tags\":[\"t" + (i % 4) + "\"]}\n");
      onTarget.append(Json.toString(action)).append('\n')
          .append("{\"tags\":[\"t" + (i % 4) + "\"],\"price\":" + i + ".5,\"name\":\"item " + i + "\"}\n");
      expectedLive.add("vc_items/item-" + i + "/" + routing);
    }
    bulk(source, onSource.toString());
    bulk(target, onTarget.toString());
  }

  /** The target is shared by every console test: what this class made there must not show up in theirs. */
  @AfterAll
  void removeWhatThisClassCreated() {
    for (String index : List.of("posts_2023_02_25", "posts_2024_01_01", "test_updates_deletes*", "vc_items", "vc_empty",
        "vc_live", "vc6_items")) {
      target.delete("/" + index);
    }
    for (String index : List.of("vc_items", "vc_empty", "vc_live")) {
      source.delete("/" + index);
    }
    if (es6 != null) {
      es6.delete("/vc6_items");
    }
  }

  private static void bulk(ClusterClient cluster, String body) {
    JsonNode answer = cluster.send("POST", "/_bulk?refresh=true", body.getBytes(StandardCharsets.UTF_8), ClusterClient.NDJSON,
        java.time.Duration.ofSeconds(60)).requireSuccess().json();
    assertEquals(false, answer.path("errors").asBoolean(), answer::toString);
  }

  @Test
  void theLiveReadReturnsExactlyTheDocumentsOfAnIndexOnElasticsearch7AndOpenSearch2() throws IOException {
    for (ClusterClient cluster : List.of(source, target)) {
      Path out = temp.resolve("read-" + cluster.endpoint().url().hashCode() + ".txt");
      Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
      pipeline.apply(OpenSearchIO.read().from(cluster.endpoint()).withSelection(Selection.ofIndices(List.of("vc_items")))
              .withSlicesPerIndex(3).withPageSize(7))
          .apply(MapElements.into(TypeDescriptors.strings()).via((SourceDocument d) -> d.index() + "/" + d.id() + "/" + d.routing()))
          .apply(DeadLetterIO.append().to(out.toString()));
      pipeline.run().waitUntilFinish();
      List<String> lines = Files.readAllLines(out);
      assertEquals(LIVE_DOCS, lines.size(), "each document once: " + lines);
      assertEquals(expectedLive, new TreeSet<>(lines));
    }
  }

  @Test
  void clustersThatHoldTheSameDocumentsPassAndAChangedDocumentFails() throws IOException {
    ConsoleRun pass = ConsoleRun.of("validate", "clusters", "--source", source.endpoint().url(), "--target", TestTargets.url(),
        "--indices", "vc_items", "--output", "json");
    assertEquals(0, pass.exitCode, pass::toString);
    JsonNode report = Json.parse(pass.out);
    assertEquals("pass", report.path("verdict").asText());
    assertEquals(Json.parse("[{\"index\":\"vc_items\",\"source_count\":30,\"target_count\":30,\"equal\":30,\"missing\":0,"
        + "\"unexpected\":0,\"differs\":0,\"routing\":0,\"in-flight\":0}]"), report.path("indices"));

    target.putJson("/vc_items/_doc/item-7?refresh=true", Json.parse("{\"name\":\"item 7\",\"price\":8,\"tags\":[\"t3\"]}"))
        .requireSuccess();
    try {
      ConsoleRun fail = ConsoleRun.of("validate", "clusters", "--source", source.endpoint().url(), "--target", TestTargets.url(),
          "--indices", "vc_items");
      assertEquals(Migrate.RUN_FAILED, fail.exitCode, fail::toString);
      assertTrue(fail.out.contains("differs    vc_items/item-7 (source {\"name\":\"item 7\",\"price\":7.5,\"tags\":[\"t3\"]} "
          + "target {\"name\":\"item 7\",\"price\":8,\"tags\":[\"t3\"]})"), fail::toString);
      assertTrue(fail.out.contains("index 'vc_items': 1 differs"), fail::toString);
    } finally {
      target.putJson("/vc_items/_doc/item-7?refresh=true", Json.parse("{\"name\":\"item 7\",\"price\":7.5,\"tags\":[\"t3\"]}"))
          .requireSuccess();
    }
  }

  @Test
  void aCleanBackfillValidatesEqualAndEachKindOfDamageIsFoundExactly() throws IOException {
    for (String fixture : List.of("ES_6_8_Single", "ES_7_10_Single")) {
      target.delete("/posts_2023_02_25");
      target.delete("/posts_2024_01_01");
      String repo = Fixtures.snapshot(fixture).toString();
      ConsoleRun backfill = ConsoleRun.of("backfill", "--repo", repo, "--snapshot", "global_state_snapshot",
          "--target", TestTargets.url(), "--dead-letter", temp.resolve("dl.ndjson").toString());
      assertEquals(0, backfill.exitCode, backfill::toString);
      ConsoleRun pass = ConsoleRun.of("validate", "backfill", "--repo", repo, "--snapshot", "global_state_snapshot",
          "--target", TestTargets.url());
      assertEquals(0, pass.exitCode, pass::toString);
      assertTrue(pass.out.contains("compared 4 document(s) in 2 index(es)"), pass::toString);
      assertTrue(pass.out.contains("verdict: PASS"), pass::toString);
    }

    // damage on the target: one deleted, one changed, one added, one re-indexed with another routing
    target.delete("/posts_2023_02_25/_doc/dkO8Zo4B5P7rRiUeuFRC").requireSuccess();
    target.putJson("/posts_2024_01_01/_doc/d0O8Zo4B5P7rRiUe4VRD?routing=user123", Json.parse("{\"contents\":\"changed\"}"))
        .requireSuccess();
    target.putJson("/posts_2023_02_25/_doc/extra-1", Json.parse("{\"contents\":\"extra\"}")).requireSuccess();
    JsonNode moved = target.getJson("/posts_2024_01_01/_doc/eEO-Zo4B5P7rRiUeCFSo?routing=user123").path("_source");
    target.delete("/posts_2024_01_01/_doc/eEO-Zo4B5P7rRiUeCFSo?routing=user123").requireSuccess();
    target.putJson("/posts_2024_01_01/_doc/eEO-Zo4B5P7rRiUeCFSo?routing=other", moved).requireSuccess();
    target.postJson("/posts_*/_refresh", null).requireSuccess();

    Path differences = temp.resolve("out/differences.ndjson");
    Path html = temp.resolve("out/report.html");
    ConsoleRun fail = ConsoleRun.of("validate", "backfill", "--repo", Fixtures.snapshot("ES_7_10_Single").toString(),
        "--snapshot", "global_state_snapshot", "--target", TestTargets.url(), "--output", "json",
        "--differences", differences.toString(), "--html", html.toString(), "--max-differences", "3");
    assertEquals(Migrate.RUN_FAILED, fail.exitCode, fail::toString);
    JsonNode report = Json.parse(fail.out);
    assertEquals("fail", report.path("verdict").asText());
    assertEquals(Json.parse("[{\"index\":\"posts_2023_02_25\",\"source_count\":1,\"target_count\":1,\"equal\":0,\"missing\":1,"
        + "\"unexpected\":1,\"differs\":0,\"routing\":0,\"in-flight\":0},{\"index\":\"posts_2024_01_01\",\"source_count\":3,"
        + "\"target_count\":3,\"equal\":1,\"missing\":0,\"unexpected\":0,\"differs\":1,\"routing\":1,\"in-flight\":0}]"),
        report.path("indices"));
    assertEquals(4, report.path("differences_total").asInt(), "totals stay exact");
    assertEquals(3, report.path("differences").size(), "the list is capped by --max-differences");
    List<String> found = new ArrayList<>();
    for (String line : Files.readAllLines(differences)) {
      JsonNode d = Json.parse(line);
      found.add(d.path("category").asText() + " " + d.path("index").asText() + "/" + d.path("id").asText());
    }
    assertEquals(List.of("missing posts_2023_02_25/dkO8Zo4B5P7rRiUeuFRC", "unexpected posts_2023_02_25/extra-1",
        "differs posts_2024_01_01/d0O8Zo4B5P7rRiUe4VRD", "routing posts_2024_01_01/eEO-Zo4B5P7rRiUeCFSo"), found);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(differences)));
    String page = Files.readString(html);
    assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("FAIL: validate backfill")
        && page.contains("posts_2023_02_25 / extra-1") && !page.contains("eEO-Zo4B5P7rRiUeCFSo"), page);
  }

  /**
   * The comparison joins digests, not sources: a document found to differ gets both sources back afterwards (the
   * snapshot's by a second read, the target's by id), and the reports show them side by side as before.
   */
  @Test
  void aDifferenceFoundByDigestShowsBothSourcesSideBySide() throws IOException {
    target.delete("/posts_2023_02_25");
    target.delete("/posts_2024_01_01");
    String repo = Fixtures.snapshot("ES_7_10_Single").toString();
    ConsoleRun backfill = ConsoleRun.of("backfill", "--repo", repo, "--snapshot", "global_state_snapshot",
        "--target", TestTargets.url(), "--dead-letter", temp.resolve("dl-digest.ndjson").toString());
    assertEquals(0, backfill.exitCode, backfill::toString);
    String doc = "/posts_2024_01_01/_doc/d0O8Zo4B5P7rRiUe4VRD?routing=user123";
    JsonNode original = target.getJson(doc).path("_source");
    target.putJson(doc + "&refresh=true", Json.parse("{\"contents\":\"changed\",\"n\":1.50}")).requireSuccess();

    Path differences = temp.resolve("digest/differences.ndjson");
    Path html = temp.resolve("digest/report.html");
    ConsoleRun fail = ConsoleRun.of("validate", "backfill", "--repo", repo, "--snapshot", "global_state_snapshot",
        "--target", TestTargets.url(), "--indices", "posts_2024_01_01", "--differences", differences.toString(),
        "--html", html.toString());
    assertEquals(Migrate.RUN_FAILED, fail.exitCode, fail::toString);
    ObjectNode sourceSide = Json.object().put("routing", "user123");
    sourceSide.set("source", Json.parse(CanonicalJson.of(original)));
    ObjectNode targetSide = Json.object().put("routing", "user123");
    targetSide.set("source", Json.parse("{\"contents\":\"changed\",\"n\":1.5}"));
    ObjectNode expected = Json.object().put("index", "posts_2024_01_01").put("id", "d0O8Zo4B5P7rRiUe4VRD")
        .put("category", "differs");
    expected.set("source", sourceSide);
    expected.set("target", targetSide);
    assertEquals(List.of(Json.toString(expected)), Files.readAllLines(differences));
    assertTrue(fail.out.contains("  differs    posts_2024_01_01/d0O8Zo4B5P7rRiUe4VRD (source {\"author\":\"Tobias Funke\","
        + "\"contents\":\"This is another samp... target {\"contents\":\"changed\",\"n\":1.5})\n"), fail::toString);
    String page = Files.readString(html);
    assertTrue(page.contains("<td class=\"l\">differs</td><td class=\"l\">posts_2024_01_01 / d0O8Zo4B5P7rRiUe4VRD</td>"
        + "<td class=\"l\"><pre>" + ValidationHtml.esc(Json.toPrettyString(sourceSide)) + "</pre></td><td class=\"l\"><pre>"
        + ValidationHtml.esc(Json.toPrettyString(targetSide)) + "</pre></td></tr>"), page);
  }

  @Test
  void anIndexWithNoDocumentOnEitherSideFailsLoudly() {
    for (ClusterClient c : List.of(source, target)) {
      c.delete("/vc_empty");
      c.putJson("/vc_empty", Json.parse("{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}")).requireSuccess();
    }
    ConsoleRun run = ConsoleRun.of("validate", "clusters", "--source", source.endpoint().url(), "--target", TestTargets.url(),
        "--indices", "vc_empty");
    assertEquals(Migrate.RUN_FAILED, run.exitCode, run::toString);
    assertTrue(run.out.contains("verdict: FAIL"), run::toString);
    assertTrue(run.out.contains("no document was compared at all"), run::toString);
    assertTrue(run.out.contains("index 'vc_empty': no document on either side, so nothing was compared"), run::toString);
  }

  @Test
  void badInputGetsAClearErrorAndExitCode2() throws IOException {
    ConsoleRun unknown = ConsoleRun.of("validate", "backfill", "--repo", Fixtures.snapshot("ES_7_10_Single").toString(),
        "--snapshot", "nope", "--target", TestTargets.url());
    assertEquals(Migrate.USER_ERROR, unknown.exitCode, unknown::toString);
    assertTrue(unknown.err.contains("snapshot 'nope'"), unknown::toString);
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    ConsoleRun unreachable = ConsoleRun.of("validate", "clusters", "--source", source.endpoint().url(),
        "--target", "http://127.0.0.1:" + port);
    assertEquals(Migrate.USER_ERROR, unreachable.exitCode, unreachable::toString);
    assertTrue(unreachable.err.contains("127.0.0.1:" + port), unreachable::toString);
  }

  @Test
  void documentsThatConvergeWhileSettlingAreInFlightAndARealDifferenceStaysReported() {
    for (ClusterClient c : List.of(source, target)) {
      c.delete("/vc_live");
      c.putJson("/vc_live", Json.parse("{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}")).requireSuccess();
      for (int i = 1; i <= 3; i++) {
        c.putJson("/vc_live/_doc/d" + i + "?refresh=true", Json.object().put("n", i)).requireSuccess();
      }
    }
    source.putJson("/vc_live/_doc/late?refresh=true", Json.object().put("n", 9)).requireSuccess(); // not replayed yet
    target.putJson("/vc_live/_doc/d2?refresh=true", Json.object().put("n", 22)).requireSuccess(); // a real difference
    ValidateOptions options = RunnerPresets.parse(List.of("--runner=DirectRunner", "--source=" + source.endpoint().url(),
        "--target=" + TestTargets.url(), "--indices=vc_live", "--settle=3s"), ValidateOptions.class);
    ValidationReport report = new ValidationJob(options, line -> {
      System.err.println(line);
      if (line.contains("looking again")) { // the replay catches up while the run settles
        target.putJson("/vc_live/_doc/late?refresh=true", Json.object().put("n", 9)).requireSuccess();
      }
    }).run();
    ValidationReport.IndexResult live = report.indices().get("vc_live");
    assertEquals(1, live.count(Category.IN_FLIGHT));
    assertEquals(1, live.count(Category.DIFFERS));
    assertEquals(2, live.count(Category.EQUAL));
    assertEquals(List.of("differs vc_live/d2", "in-flight vc_live/late"), report.differences().stream()
        .map(d -> d.category().label() + " " + d.index() + "/" + d.id()).toList());
    assertEquals(List.of("index 'vc_live': 1 differs"), report.failures());
    assertTrue(report.renderText(10).contains("settled for 3 s: 1 document(s) converged (in-flight)"), report.renderText(10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"merge", "split"})
  void anElasticsearch5MultiTypeSnapshotValidatesAsItsBackfillMappedIt(String multiType) {
    target.delete("/test_updates_deletes*");
    ConsoleRun run = ConsoleRun.of("backfill", "--repo", Fixtures.snapshot("ES_5_6_Updates_Deletes").toString(),
        "--snapshot", "rfs_snapshot", "--target", TestTargets.url(), "--multi-type", multiType, "--validate",
        "--dead-letter", temp.resolve("dl.ndjson").toString());
    assertEquals(0, run.exitCode, run::toString);
    assertTrue(run.out.contains("compared 3 document(s) in " + (multiType.equals("split") ? 2 : 1) + " index(es)"), run::toString);
    assertTrue(run.out.contains("verdict: PASS"), run::toString);
    if (multiType.equals("split")) {
      assertTrue(run.out.contains("test_updates_deletes_type2                2          2          2"), run::toString);
    }
    // validated with the other mapping, the same target is wrong, and said so
    ConsoleRun other = ConsoleRun.of("validate", "backfill", "--repo", Fixtures.snapshot("ES_5_6_Updates_Deletes").toString(),
        "--snapshot", "rfs_snapshot", "--target", TestTargets.url(), "--multi-type", multiType.equals("split") ? "merge" : "split");
    assertEquals(Migrate.RUN_FAILED, other.exitCode, other::toString);
  }

  @Test
  void scheduledRunsKeepEachReportAndAHistoryThatThePageShows() throws IOException {
    Path history = temp.resolve("history");
    Path page = temp.resolve("watch.html");
    ConsoleRun run = ConsoleRun.of("validate", "clusters", "--source", source.endpoint().url(), "--target", TestTargets.url(),
        "--indices", "vc_items", "--every", "1s", "--runs", "2", "--history", history.toString(), "--html", page.toString());
    assertEquals(0, run.exitCode, run::toString);
    List<String> lines = Files.readAllLines(history.resolve("history.ndjson"));
    assertEquals(2, lines.size(), lines::toString);
    for (String line : lines) {
      JsonNode entry = Json.parse(line);
      assertEquals("pass", entry.path("verdict").asText());
      assertEquals(LIVE_DOCS, entry.path("equal").asInt());
    }
    try (var reports = Files.list(history)) {
      assertEquals(2, reports.filter(p -> p.getFileName().toString().startsWith("validate-clusters-")).count());
    }
    String html = Files.readString(page);
    assertTrue(html.contains("<h2>Trend</h2>") && html.contains("PASS: validate clusters"), html);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(history)));
  }

  @Test
  void tuplesAreComparedFromTheCommandLine() throws IOException {
    Path tuples = Files.createDirectories(temp.resolve("tuples"));
    Files.writeString(tuples.resolve("replay-0.ndjson"), "{\"connection\":\"c1\",\"request_index\":0,\"timestamp\":\"t\","
        + "\"source_request\":{\"method\":\"GET\",\"path\":\"/orders/_count\"},\"source_response\":{\"status\":200,"
        + "\"body\":{\"count\":4}},\"target_request\":{\"method\":\"GET\",\"path\":\"/orders/_count\"},"
        + "\"target_response\":{\"status\":200,\"body\":{\"count\":3}},\"status_match\":true}\n");
    ConsoleRun run = ConsoleRun.of("validate", "tuples", "--in", tuples.toString(), "--output", "json");
    assertEquals(Migrate.RUN_FAILED, run.exitCode, run::toString);
    JsonNode report = Json.parse(run.out);
    assertEquals("fail", report.path("verdict").asText());
    assertEquals(Json.parse("[{\"connection\":\"c1\",\"request_index\":0,\"request\":\"GET /{index}/_count\","
        + "\"category\":\"body\",\"source_status\":200,\"target_status\":200,\"paths\":[\"count\"]}]"),
        report.path("differences"));
    ConsoleRun missing = ConsoleRun.of("validate", "tuples", "--in", temp.resolve("none").toString());
    assertEquals(Migrate.USER_ERROR, missing.exitCode, missing::toString);
  }

  @Test
  void aLiveElasticsearch6SourceIsReadWithItsTypeAndRoutingOnFlinkToo() {
    es6 = ClusterClient.connect(TestClusters.elasticsearch("6.8.23").endpoint());
    StringBuilder onSource = new StringBuilder();
    StringBuilder onTarget = new StringBuilder();
    for (ClusterClient c : List.of(es6, target)) {
      c.delete("/vc6_items");
      c.putJson("/vc6_items", Json.parse("{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":0}}")).requireSuccess();
    }
    for (int i = 1; i <= 12; i++) {
      String routing = i % 2 == 0 ? ",\"routing\":\"u" + (i % 3) + "\"" : "";
      onSource.append("{\"index\":{\"_index\":\"vc6_items\",\"_type\":\"_doc\",\"_id\":\"d" + i + "\"" + routing.replace("routing", "_routing") + "}}\n")
          .append("{\"n\":" + i + "}\n");
      onTarget.append("{\"index\":{\"_index\":\"vc6_items\",\"_id\":\"d" + i + "\"" + routing + "}}\n").append("{\"n\":" + i + ".0}\n");
    }
    bulk(es6, onSource.toString());
    bulk(target, onTarget.toString());
    ConsoleRun pass = ConsoleRun.of("validate", "clusters", "--source", es6.endpoint().url(), "--target", TestTargets.url(),
        "--indices", "vc6_items", "--runner", "flink-local", "--parallelism", "2");
    assertEquals(0, pass.exitCode, pass::toString);
    assertTrue(pass.out.contains("vc6_items                                12         12         12"), pass::toString);

    target.delete("/vc6_items/_doc/d4?routing=u1&refresh=true").requireSuccess();
    ConsoleRun fail = ConsoleRun.of("validate", "clusters", "--source", es6.endpoint().url(), "--target", TestTargets.url(),
        "--indices", "vc6_items", "--output", "json");
    assertEquals(Migrate.RUN_FAILED, fail.exitCode, fail::toString);
    assertEquals(Json.parse("[{\"index\":\"vc6_items\",\"id\":\"d4\",\"category\":\"missing\",\"source\":{\"routing\":\"u1\","
        + "\"source\":{\"n\":4},\"type\":\"_doc\"},\"target\":null}]"), Json.parse(fail.out).path("differences"));
  }
}
