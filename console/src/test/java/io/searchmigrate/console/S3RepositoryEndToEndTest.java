package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.testkit.Fixtures;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestS3;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Snapshot repositories in S3 (the fixture repositories uploaded to a real S3 API server, s3proxy, started by the
 * launcher) through the console: list and dump print what they print for the same repository on disk, and a backfill
 * from S3 into real OpenSearch 2.19.1 delivers exactly the snapshot's live documents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3RepositoryEndToEndTest {
  private static final String BUCKET = "console-fixtures";
  private static final List<String> TARGET_INDICES = List.of("posts_2023_02_25", "posts_2024_01_01", "test_updates_deletes");
  private static final String UNCHANGED =
      "{\"title\":\"This doc will not be changed\\nIt has multiple lines of text\\nIts source doc has extra newlines.\",\"content\":\"bluh bluh\"}";

  private ClusterClient target;

  @BeforeAll
  void upload() {
    TestS3.useServerCredentials();
    for (String fixture : List.of("ES_7_10_Single", "ES_7_10_Updates_Deletes_w_Soft", "ES_5_6_Updates_Deletes")) {
      TestS3.upload(Fixtures.snapshot(fixture), BUCKET, fixture);
    }
    target = ClusterClient.connect(TestClusters.opensearchWithModules("2.19.1").endpoint());
    TARGET_INDICES.forEach(index -> target.delete("/" + index));
  }

  /** The target is shared by every console test: what this class made there must not show up in theirs. */
  @AfterAll
  void removeWhatThisClassCreated() {
    TARGET_INDICES.forEach(index -> target.delete("/" + index));
  }

  private static String[] s3(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--s3-endpoint", TestS3.endpoint(), "--s3-region", TestS3.REGION));
    return all.toArray(new String[0]);
  }

  @Test
  void listAndDumpFromS3PrintWhatTheyPrintFromDisk() {
    for (String[] fixture : List.of(new String[] {"ES_7_10_Single", "global_state_snapshot"},
        new String[] {"ES_7_10_Updates_Deletes_w_Soft", "rfs_snapshot"}, new String[] {"ES_5_6_Updates_Deletes", "rfs_snapshot"})) {
      String local = Fixtures.snapshot(fixture[0]).toString();
      String inS3 = "s3://" + BUCKET + "/" + fixture[0];
      ConsoleRun fromDisk = ConsoleRun.of("snapshot", "dump", "--repo", local, "--snapshot", fixture[1]);
      ConsoleRun fromS3 = ConsoleRun.of(s3("snapshot", "dump", "--repo", inS3, "--snapshot", fixture[1]));
      assertEquals(0, fromS3.exitCode, fromS3::toString);
      assertFalse(fromDisk.out.isBlank(), fromDisk::toString);
      assertEquals(fromDisk.out, fromS3.out, fixture[0]);

      ConsoleRun listDisk = ConsoleRun.of("snapshot", "list", "--repo", local);
      ConsoleRun listS3 = ConsoleRun.of(s3("snapshot", "list", "--repo", inS3));
      assertEquals(0, listS3.exitCode, listS3::toString);
      assertEquals(listDisk.out.replace("repository " + local + " ", "repository " + inS3 + " "), listS3.out);
    }
  }

  @Test
  void backfillFromS3DeliversExactlyTheLiveDocuments() {
    TARGET_INDICES.forEach(index -> target.delete("/" + index));
    ConsoleRun single = ConsoleRun.of(s3("backfill", "--repo", "s3://" + BUCKET + "/ES_7_10_Single", "--snapshot",
        "global_state_snapshot", "--target", TestTargets.url()));
    assertEquals(0, single.exitCode, single::toString);
    assertTrue(single.out.contains("result: OK, every document read was written"), single::toString);
    ConsoleRun soft = ConsoleRun.of(s3("backfill", "--repo", "s3://" + BUCKET + "/ES_7_10_Updates_Deletes_w_Soft", "--snapshot",
        "rfs_snapshot", "--target", TestTargets.url()));
    assertEquals(0, soft.exitCode, soft::toString);

    assertEquals(Map.of("dkO8Zo4B5P7rRiUeuFRC", post("This is a sample blog post content.", "Author Name", "Elasticsearch", "Tutorial")),
        SourceWorkload.documents(target, "posts_2023_02_25"));
    assertEquals(new TreeMap<>(Map.of(
        "d0O8Zo4B5P7rRiUe4VRD routing=user123", post("This is another sample blog post content.", "Tobias Funke", "Elasticsearch", "Tutorial"),
        "eEO-Zo4B5P7rRiUeCFSo routing=user123", post("My Time in the Blue Man Group", "Tobias Funke", "Lifestyle"),
        "eUO-Zo4B5P7rRiUeCFTz routing=user123", post("The Other Man In Me", "Tobias Funke", "Lifestyle"))),
        SourceWorkload.documents(target, "posts_2024_01_01"));
    assertEquals(new TreeMap<>(Map.of(
        "complexdoc", Json.parse("{\"title\":\"This is a doc with complex history\",\"content\":\"Updated!\"}"),
        "updateddoc", Json.parse("{\"title\":\"This is doc that will be updated\",\"content\":\"Updated!\"}"),
        "unchangeddoc", Json.parse(UNCHANGED))), SourceWorkload.documents(target, "test_updates_deletes"));
  }

  @Test
  void documentsTheTargetRejectsGoToDeadLettersInS3() {
    target.delete("/posts_2024_01_01");
    // a target index that already exists is used as it is: here its mapping cannot take the posts' authors
    target.putJson("/posts_2024_01_01", Json.parse("{\"mappings\":{\"properties\":{\"author\":{\"type\":\"integer\"}}}}"))
        .requireSuccess();
    ConsoleRun run = ConsoleRun.of(s3("backfill", "--repo", "s3://" + BUCKET + "/ES_7_10_Single", "--snapshot",
        "global_state_snapshot", "--indices", "posts_2024_01_01", "--target", TestTargets.url(), "--dead-letter",
        "s3://" + BUCKET + "/dead-letters"));
    target.delete("/posts_2024_01_01");
    assertEquals(Migrate.RUN_FAILED, run.exitCode, run::toString);
    String folder = run.out.replaceAll("(?s).*dead-letter file: s3://" + BUCKET + "/(dead-letters/dead-letter-global_state_snapshot-"
        + "[0-9-]+)/ .*", "$1");
    assertTrue(run.out.contains("result: FAILED: 3 document(s) not delivered; see s3://" + BUCKET + "/" + folder + "/"), run::toString);
    assertTrue(run.out.contains("(3 line(s))"), run::toString);
    List<String> ids = new java.util.ArrayList<>();
    try (var s3 = TestS3.client()) {
      for (var part : s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(folder + "/")).contents()) {
        s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(part.key())).asUtf8String().lines()
            .forEach(line -> ids.add(Json.parse(line).path("id").asText()));
      }
    }
    assertEquals(List.of("d0O8Zo4B5P7rRiUe4VRD", "eEO-Zo4B5P7rRiUeCFSo", "eUO-Zo4B5P7rRiUeCFTz"), ids.stream().sorted().toList());
  }

  @Test
  void aMissingBucketIsExplained() {
    ConsoleRun run = ConsoleRun.of(s3("snapshot", "list", "--repo", "s3://no-such-bucket/repo"));
    assertEquals(Migrate.USER_ERROR, run.exitCode, run::toString);
    assertEquals("error: bucket 'no-such-bucket' does not exist at " + TestS3.endpoint() + "; check the bucket name in --repo "
        + "and --s3-endpoint", run.err.strip());
  }

  private static JsonNode post(String contents, String author, String... tags) {
    return Json.parse(Json.toString(Json.object().put("contents", contents).put("author", author)
        .set("tags", Json.mapper().valueToTree(List.of(tags)))));
  }
}
