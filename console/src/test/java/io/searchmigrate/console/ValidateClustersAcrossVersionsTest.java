package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.Selection;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.ClusterRequest;
import io.searchmigrate.launcher.Distribution;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.pipelines.deadletters.DeadLetterIO;
import io.searchmigrate.pipelines.opensearch.OpenSearchIO;
import io.searchmigrate.testkit.TestClusters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The live read ({@link OpenSearchIO#read()}: a sliced scroll, the one path every version has) and {@code migrate
 * validate clusters} on every source version the project claims beyond those {@link ValidateEndToEndTest} covers
 * (Elasticsearch 6.8 and 7.10): Elasticsearch 5.6 with two mapping types (split on the target), an Elasticsearch 7
 * before 7.10 (no point in time), Elasticsearch 8, OpenSearch 1.3 and OpenSearch 3 (on its own JDK). Per version: a
 * small index with ids and custom routing is read back exactly (several slices, several scroll pages), validated
 * against the same documents on OpenSearch 2.19.1 (pass, exact counts), then one document deleted on the target is
 * reported exactly (fail). Each cluster is the JVM's shared one (most are already started by other console tests).
 * A version whose distribution or JDK cannot be had on this machine is skipped with the reason, never passed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidateClustersAcrossVersionsTest {
  private static final int DOCS = 23;
  private static final int PAGE = 5;
  private static final int SLICES = 3;

  @TempDir
  Path temp;

  private final List<String> targetIndices = new ArrayList<>();

  @AfterAll
  void removeWhatThisClassWroteOnTheSharedTarget() {
    ClusterClient target = ClusterClient.connect(TestClusters.opensearchWithModules("2.19.1").endpoint());
    targetIndices.forEach(index -> target.delete("/" + index));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"es, 5.6.16", "es, 7.9.3", "es, 8.15.0", "os, 1.3.20", "os, 3.1.0"})
  void theLiveReadAndValidateClustersWorkOn(String distribution, String version) throws IOException {
    ClusterClient source = ClusterClient.connect(clusterOrSkip(Distribution.parse(distribution), version).endpoint());
    ClusterClient target = ClusterClient.connect(TestClusters.opensearchWithModules("2.19.1").endpoint());
    boolean es5 = distribution.equals("es") && version.startsWith("5.");
    String index = "vv_" + distribution + version.replace('.', '_') + "_items";
    // Elasticsearch 5 indices may hold several mapping types; validated with --multi-type split, each type is an index
    List<String> types = es5 ? List.of("note", "post") : List.of();

    source.delete("/" + index);
    ObjectNode definition = Json.object();
    definition.putObject("settings").put("number_of_shards", 2).put("number_of_replicas", 0);
    if (!types.isEmpty()) {
      ObjectNode mappings = definition.putObject("mappings");
      types.forEach(mappings::putObject);
    }
    source.putJson("/" + index, definition).requireSuccess();
    List<String> onTargetNames = types.isEmpty() ? List.of(index) : types.stream().map(t -> index + "_" + t).toList();
    for (String name : onTargetNames) {
      target.delete("/" + name);
      target.putJson("/" + name, Json.parse("{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}")).requireSuccess();
      targetIndices.add(name);
    }

    StringBuilder onSource = new StringBuilder();
    StringBuilder onTarget = new StringBuilder();
    Set<String> expectedRead = new TreeSet<>();
    for (int i = 1; i <= DOCS; i++) {
      String id = "d" + i;
      String routing = i % 4 == 0 ? "user" + (i % 3) : null;
      String type = types.isEmpty() ? null : types.get(i % types.size());
      ObjectNode meta = Json.object();
      ObjectNode sourceAction = meta.putObject("index").put("_index", index).put("_id", id);
      if (type != null) {
        sourceAction.put("_type", type);
      }
      if (routing != null) {
        sourceAction.put(es5 ? "_routing" : "routing", routing);
      }
      onSource.append(Json.toString(meta)).append('\n')
          .append("{\"title\":\"doc " + i + "\",\"price\":" + i + ".50,\"tags\":[\"t" + (i % 3) + "\"]}\n");
      ObjectNode targetMeta = Json.object();
      ObjectNode targetAction = targetMeta.putObject("index").put("_index", type == null ? index : index + "_" + type).put("_id", id);
      if (routing != null) {
        targetAction.put("routing", routing);
      }
      // the same documents with another key order and number format: canonically equal
      onTarget.append(Json.toString(targetMeta)).append('\n')
          .append("{\"tags\":[\"t" + (i % 3) + "\"],\"price\":" + i + ".5,\"title\":\"doc " + i + "\"}\n");
      expectedRead.add(index + "/" + type + "/" + id + "/" + routing);
    }
    bulk(source, onSource.toString());
    bulk(target, onTarget.toString());

    // 1. the reader alone: every document once, with its type (Elasticsearch 5) and routing, over slices and pages
    Path read = temp.resolve(index + ".read");
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline.apply(OpenSearchIO.read().from(source.endpoint()).withSelection(Selection.ofIndices(List.of(index)))
            .withSlicesPerIndex(SLICES).withPageSize(PAGE))
        .apply(MapElements.into(TypeDescriptors.strings())
            .via((SourceDocument d) -> d.index() + "/" + d.type() + "/" + d.id() + "/" + d.routing()))
        .apply(DeadLetterIO.append().to(read.toString()));
    pipeline.run().waitUntilFinish();
    List<String> lines = Files.readAllLines(read);
    assertEquals(DOCS, lines.size(), () -> "each document exactly once: " + lines);
    assertEquals(expectedRead, new TreeSet<>(lines));

    // 2. validate clusters: the same documents on both sides pass, with exact counts
    List<String> command = new ArrayList<>(List.of("validate", "clusters", "--source", source.endpoint().url(),
        "--target", target.endpoint().url(), "--indices", index, "--output", "json"));
    if (es5) {
      command.addAll(List.of("--multi-type", "split"));
    }
    ConsoleRun pass = ConsoleRun.of(command.toArray(String[]::new));
    assertEquals(0, pass.exitCode, pass::toString);
    JsonNode passed = Json.parse(pass.out);
    assertEquals("pass", passed.path("verdict").asText(), pass::toString);
    ArrayNode expectedIndices = Json.array();
    for (String name : onTargetNames) {
      long count = types.isEmpty() ? DOCS : lines.stream().filter(l -> l.startsWith(index + "/" + name.substring(index.length() + 1) + "/")).count();
      expectedIndices.add(Json.parse("{\"index\":\"" + name + "\",\"source_count\":" + count + ",\"target_count\":" + count
          + ",\"equal\":" + count + ",\"missing\":0,\"unexpected\":0,\"differs\":0,\"routing\":0,\"in-flight\":0}"));
    }
    assertEquals(expectedIndices, passed.path("indices"), pass::toString);

    // 3. one routed document deleted on the target: reported exactly, exit 1
    int gone = 8; // routed with "user2"; on Elasticsearch 5 a "note"
    String goneIndex = types.isEmpty() ? index : index + "_" + types.get(gone % types.size());
    target.delete("/" + goneIndex + "/_doc/d" + gone + "?routing=user2&refresh=true").requireSuccess();
    ConsoleRun fail = ConsoleRun.of(command.toArray(String[]::new));
    assertEquals(Migrate.RUN_FAILED, fail.exitCode, fail::toString);
    JsonNode failed = Json.parse(fail.out);
    assertEquals("fail", failed.path("verdict").asText());
    assertEquals(1, failed.path("differences_total").asInt(), fail::toString);
    ObjectNode expected = Json.object().put("index", goneIndex).put("id", "d" + gone).put("category", "missing");
    ObjectNode expectedSource = expected.putObject("source").put("routing", "user2");
    expectedSource.set("source", Json.parse("{\"price\":8.5,\"tags\":[\"t2\"],\"title\":\"doc 8\"}"));
    if (es5) {
      expectedSource.put("index", index).put("type", "note"); // the index and type it came from before the split
    }
    expected.putNull("target");
    assertEquals(List.of(Json.toString(expected)), toStrings(failed.path("differences")), fail::toString);
  }

  /**
   * The shared cluster of that version, or a skip naming why when its distribution cannot be downloaded or no JDK
   * it runs on is installed: only an unavailable distribution skips; a cluster that fails to start fails the test.
   */
  private static LocalCluster clusterOrSkip(Distribution distribution, String version) {
    try {
      return TestClusters.get(ClusterRequest.of(distribution, version));
    } catch (UserError e) {
      String message = String.valueOf(e.getMessage());
      boolean unavailable = message.startsWith("cannot download") || message.contains("JDK and none was found");
      if (!unavailable) {
        throw e;
      }
      String reason = distribution.id() + " " + version + " is not available on this machine: " + message;
      System.out.println("SKIPPED: " + reason);
      Assumptions.abort(reason);
      throw e;
    }
  }

  private static List<String> toStrings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(Json.toString(n)));
    return out;
  }

  private static void bulk(ClusterClient cluster, String body) {
    JsonNode answer = cluster.send("POST", "/_bulk?refresh=true", body.getBytes(StandardCharsets.UTF_8), ClusterClient.NDJSON,
        Duration.ofSeconds(60)).requireSuccess().json();
    assertEquals(false, answer.path("errors").asBoolean(), answer::toString);
  }
}
