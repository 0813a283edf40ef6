package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestS3;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Delta backfill on real clusters: Elasticsearch 7.10.2 snapshot A is backfilled into OpenSearch 2.19.1; documents are
 * then added, updated and deleted (with and without custom routing, in the segments A holds and in new ones), snapshot B
 * is taken, and {@code backfill --snapshot B --previous-snapshot A} leaves the target equal to the source, having read
 * only the changed documents and not one segment of the untouched index.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeltaBackfillTest {
  private static final String CHANGING = "delta_docs";
  private static final String UNTOUCHED = "delta_static";

  private LocalCluster source;
  private ClusterClient sourceClient;
  private ClusterClient target;
  private Path repository;

  @BeforeAll
  void startClusters() {
    source = TestClusters.elasticsearch("7.10.2");
    sourceClient = ClusterClient.connect(source.endpoint());
    target = ClusterClient.connect(TestClusters.opensearchWithModules("2.19.1").endpoint());
    removeIndices();
    repository = source.pathRepo().resolve("delta-" + UUID.randomUUID());
  }

  @AfterAll
  void removeIndices() {
    for (String index : List.of(CHANGING, UNTOUCHED)) {
      sourceClient.delete("/" + index);
      target.delete("/" + index);
    }
  }

  @Test
  void theDeltaLeavesTheTargetEqualToTheSourceReadingOnlyWhatChanged() {
    createIndex(CHANGING, 2);
    createIndex(UNTOUCHED, 1);
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      bulk.append(indexAction(CHANGING, "doc-" + i, i % 10 == 0 ? "user-" + (i % 3) : null))
          .append(Json.toString(Json.object().put("n", i).put("text", "version one of " + i))).append('\n');
    }
    for (int i = 0; i < 40; i++) {
      bulk.append(indexAction(UNTOUCHED, "static-" + i, null)).append(Json.toString(Json.object().put("n", i))).append('\n');
    }
    send(bulk);
    snapshot("a");

    ConsoleRun full = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", "a", "--target", TestTargets.url(),
        "--indices", CHANGING + "," + UNTOUCHED);
    assertEquals(0, full.exitCode, full::toString);
    assertSameDocuments();

    bulk.setLength(0);
    for (int i = 0; i < 300; i += 15) { // 20 updates in A's segments, every other one with its routing
      bulk.append(indexAction(CHANGING, "doc-" + i, i % 10 == 0 ? "user-" + (i % 3) : null))
          .append(Json.toString(Json.object().put("n", i).put("text", "version two of " + i))).append('\n');
    }
    // 15 deletes in A's segments, 8 of them of routed documents
    for (int i : new int[] {10, 20, 40, 50, 70, 80, 100, 110, 7, 27, 47, 67, 87, 107, 127}) {
      bulk.append(deleteAction(CHANGING, "doc-" + i, i % 10 == 0 ? "user-" + (i % 3) : null));
    }
    for (int i = 300; i < 330; i++) { // 30 new documents, a new segment
      bulk.append(indexAction(CHANGING, "doc-" + i, null))
          .append(Json.toString(Json.object().put("n", i).put("text", "new " + i))).append('\n');
    }
    bulk.append(indexAction(CHANGING, "short-lived", null)).append("{\"n\":-1}\n"); // added and deleted between A and B
    send(bulk);
    bulk.setLength(0);
    bulk.append(deleteAction(CHANGING, "short-lived", null));
    bulk.append(indexAction(CHANGING, "doc-300", null)).append("{\"n\":300,\"text\":\"new, then changed\"}\n");
    send(bulk);
    snapshot("b");

    ConsoleRun delta = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", "b", "--previous-snapshot", "a",
        "--target", TestTargets.url(), "--indices", CHANGING + "," + UNTOUCHED);
    assertEquals(0, delta.exitCode, delta::toString);
    assertSameDocuments();
    // 20 updated + 30 new documents read and indexed, of the 315 a full backfill of b reads; 15 deleted
    assertTrue(delta.out.contains(String.format("  %-32s %12s %12s %9s %10s %13s%n", CHANGING, 50, 50, 0, 0, 315)), delta::toString);
    assertTrue(delta.out.contains(String.format("  %-32s %12s %12s %9s %10s %13s%n", UNTOUCHED, 0, 0, 0, 0, 40)), delta::toString);
    assertTrue(delta.out.matches("(?s).*  delta since 'a': [1-9]\\d* segment\\(s\\) unchanged and not read, [1-9]\\d* read; "
        + "50 document\\(s\\) indexed \\(new or changed\\), 15 deleted\n.*"), delta::toString);
    assertTrue(delta.out.contains("result: OK"), delta::toString);

    // the same delta again, from the repository copied to S3: re-sent documents overwrite, deletes of absent ones count
    TestS3.useServerCredentials();
    TestS3.upload(repository, "delta-repositories", "es7");
    ConsoleRun fromS3 = ConsoleRun.of("backfill", "--repo", "s3://delta-repositories/es7", "--s3-endpoint", TestS3.endpoint(),
        "--s3-region", TestS3.REGION, "--snapshot", "b", "--previous-snapshot", "a", "--target", TestTargets.url(),
        "--indices", CHANGING + "," + UNTOUCHED);
    assertEquals(0, fromS3.exitCode, fromS3::toString);
    assertTrue(fromS3.out.contains("50 document(s) indexed (new or changed), 15 deleted\n"), fromS3::toString);
    assertSameDocuments();

    ConsoleRun again = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", "b", "--previous-snapshot", "b",
        "--target", TestTargets.url());
    assertEquals(Migrate.USER_ERROR, again.exitCode, again::toString);
    assertTrue(again.err.endsWith("error: --previous-snapshot names the snapshot itself ('b'); give the earlier snapshot the "
        + "target was filled from\n"), again::toString);
    ConsoleRun unknown = ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", "b", "--previous-snapshot",
        "nope", "--target", TestTargets.url());
    assertEquals(Migrate.USER_ERROR, unknown.exitCode, unknown::toString);
    assertTrue(unknown.err.endsWith("error: --previous-snapshot 'nope' is not in the repository; it holds [a, b]. A delta "
        + "compares two snapshots of the same repository\n"), unknown::toString);
  }

  private void assertSameDocuments() {
    for (String index : List.of(CHANGING, UNTOUCHED)) {
      var expected = SourceWorkload.documents(sourceClient, index);
      assertFalse(expected.isEmpty(), index);
      assertEquals(expected, SourceWorkload.documents(target, index), index);
    }
  }

  private void createIndex(String index, int shards) {
    sourceClient.putJson("/" + index, Json.parse("{\"settings\":{\"number_of_shards\":" + shards + ",\"number_of_replicas\":0}}"))
        .requireSuccess();
  }

  private static String indexAction(String index, String id, String routing) {
    return "{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + id + "\"" + (routing == null ? "" : ",\"routing\":\"" + routing
        + "\"") + "}}\n";
  }

  private static String deleteAction(String index, String id, String routing) {
    return "{\"delete\":{\"_index\":\"" + index + "\",\"_id\":\"" + id + "\"" + (routing == null ? "" : ",\"routing\":\"" + routing
        + "\"") + "}}\n";
  }

  private void send(StringBuilder bulk) {
    var response = sourceClient.send("POST", "/_bulk?refresh=true", bulk.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
        ClusterClient.NDJSON, java.time.Duration.ofSeconds(60));
    assertEquals(200, response.status(), response::bodyText);
    assertEquals(false, response.json().path("errors").asBoolean(true), response::bodyText);
  }

  private void snapshot(String name) {
    ConsoleRun run = ConsoleRun.of("snapshot", "create", "--source", source.url(), "--repo-path", repository.toString(),
        "--repo-name", "delta", "--snapshot", name, "--indices", CHANGING + "," + UNTOUCHED, "--wait");
    assertEquals(0, run.exitCode, run::toString);
  }
}
