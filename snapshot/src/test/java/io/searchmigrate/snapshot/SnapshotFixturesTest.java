package io.searchmigrate.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.document.SourceDocument;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.snapshot.blob.FileSystemBlobStore;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.snapshot.repository.RepositoryData;
import io.searchmigrate.snapshot.repository.SnapshotInfo;
import io.searchmigrate.snapshot.repository.SnapshotRepository;
import io.searchmigrate.testkit.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every fixture repository in ../shared/fixtures/snapshots read exactly as EXPECTED.md describes. */
class SnapshotFixturesTest {
  private static final String UPDATES_DELETES_UNCHANGED =
      "{\"title\":\"This doc will not be changed\\nIt has multiple lines of text\\nIts source doc has extra newlines.\",\"content\":\"bluh bluh\"}";

  private static Map<String, JsonNode> expected(String... keyAndJson) {
    Map<String, JsonNode> rows = new TreeMap<>();
    for (int i = 0; i < keyAndJson.length; i += 2) {
      rows.put(keyAndJson[i], Json.parse(keyAndJson[i + 1]));
    }
    return rows;
  }

  private static String post(String contents, String author, String... tags) {
    return Json.toString(Json.object().put("contents", contents).put("author", author)
        .set("tags", Json.mapper().valueToTree(List.of(tags))));
  }

  @Test
  void elasticsearch56MultiTypeWithUpdatesAndDeletes() {
    Map<String, JsonNode> docs = SnapshotReading.documents(Fixtures.snapshot("ES_5_6_Updates_Deletes"), "rfs_snapshot");
    assertEquals(expected(
        "test_updates_deletes/type1/complexdoc", "{\"title\":\"This is a doc with complex history. Updated!\"}",
        "test_updates_deletes/type2/updateddoc", "{\"content\":\"Updated!\"}",
        "test_updates_deletes/type2/unchangeddoc",
        "{\"content\":\"This doc will not be changed\\nIt has multiple lines of text\\nIts source doc has extra newlines.\"}"), docs);
  }

  @Test
  void elasticsearch56KeepsTheStoredSourceBytesAsTheClientSentThem() {
    SourceDocument unchanged = SnapshotReading.read(Fixtures.snapshot("ES_5_6_Updates_Deletes"), "rfs_snapshot").stream()
        .filter(d -> d.id().equals("unchangeddoc")).findFirst().orElseThrow();
    assertTrue(new String(unchanged.source()).startsWith("\n\n\n{\n"), "leading newlines preserved in the raw source");
  }

  @Test
  void elasticsearch68SingleWithRoutingAndAliases() {
    Map<String, JsonNode> docs = SnapshotReading.documents(Fixtures.snapshot("ES_6_8_Single"), "global_state_snapshot");
    assertEquals(expected(
        "posts_2023_02_25/-/AE0-Zo4B7T-RS_C5iG5e", post("This is a sample blog post content.", "Author Name", "Elasticsearch", "Tutorial"),
        "posts_2024_01_01/-/AU0_Zo4B7T-RS_C5JW5A routing=user123", post("How Elasticsearch helped my patients", "Tobias Funke", "Elasticsearch", "Tutorial"),
        "posts_2024_01_01/-/Ak0_Zo4B7T-RS_C58m7a routing=user123", post("My Time in the Blue Man Group", "Tobias Funke", "Lifestyle"),
        "posts_2024_01_01/-/A01AZo4B7T-RS_C5Am6z routing=user123", post("The Other Man In Me", "Tobias Funke", "Lifestyle")), docs);

    try (SnapshotRepository repo = SnapshotRepository.open(new FileSystemBlobStore(Fixtures.snapshot("ES_6_8_Single")))) {
      RepositoryData.SnapshotEntry snap = repo.snapshot("global_state_snapshot");
      assertEquals(1, repo.data().generation(), "index.latest points at index-1");
      IndexMetadata posts2024 = repo.indexMetadata(snap, "posts_2024_01_01");
      assertEquals(Json.parse("{\"filter\":{\"term\":{\"author\":\"Tobias Funke\"}},\"index_routing\":\"user123\",\"search_routing\":\"user123\"}"),
          posts2024.aliases().get("another_alias"));
      assertEquals(List.of("_doc"), List.copyOf(posts2024.mappingsByType().keySet()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void elasticsearch68NativeBinaryIds() {
    Map<String, JsonNode> docs = SnapshotReading.documents(Fixtures.snapshot("ES_6_8_Updates_Deletes_Native"), "rfs_snapshot");
    assertEquals(expected(
        "test_updates_deletes/-/complexdoc", "{\"title\":\"This is a doc with complex history\",\"content\":\"Updated!\"}",
        "test_updates_deletes/-/updateddoc", "{\"title\":\"This is doc that will be updated\",\"content\":\"Updated!\"}",
        "test_updates_deletes/-/unchangeddoc", UPDATES_DELETES_UNCHANGED), docs);
  }

  @Test
  void elasticsearch710Single() throws Exception {
    Map<String, JsonNode> docs = SnapshotReading.documents(Fixtures.snapshot("ES_7_10_Single"), "global_state_snapshot");
    assertEquals(expected(
        "posts_2023_02_25/-/dkO8Zo4B5P7rRiUeuFRC", post("This is a sample blog post content.", "Author Name", "Elasticsearch", "Tutorial"),
        "posts_2024_01_01/-/d0O8Zo4B5P7rRiUe4VRD routing=user123", post("This is another sample blog post content.", "Tobias Funke", "Elasticsearch", "Tutorial"),
        "posts_2024_01_01/-/eEO-Zo4B5P7rRiUeCFSo routing=user123", post("My Time in the Blue Man Group", "Tobias Funke", "Lifestyle"),
        "posts_2024_01_01/-/eUO-Zo4B5P7rRiUeCFTz routing=user123", post("The Other Man In Me", "Tobias Funke", "Lifestyle")), docs);
    try (SnapshotRepository repo = SnapshotRepository.open(new FileSystemBlobStore(Fixtures.snapshot("ES_7_10_Single")))) {
      RepositoryData.SnapshotEntry snap = repo.snapshot("global_state_snapshot");
      SnapshotInfo info = repo.snapshotInfo(snap);
      assertEquals("Elasticsearch 7.10.2", info.version().toString());
      assertEquals("SUCCESS", info.state());
    }
  }

  @Test
  void elasticsearch710SoftDeletesAreApplied() {
    Map<String, JsonNode> docs = SnapshotReading.documents(Fixtures.snapshot("ES_7_10_Updates_Deletes_w_Soft"), "rfs_snapshot");
    // 9 Lucene documents, 6 of them soft-deleted (old versions, the deleted document, tombstones): 3 live.
    assertEquals(expected(
        "test_updates_deletes/-/complexdoc", "{\"title\":\"This is a doc with complex history\",\"content\":\"Updated!\"}",
        "test_updates_deletes/-/updateddoc", "{\"title\":\"This is doc that will be updated\",\"content\":\"Updated!\"}",
        "test_updates_deletes/-/unchangeddoc", UPDATES_DELETES_UNCHANGED), docs);
  }

  @Test
  void elasticsearch710WithoutSoftDeletes() {
    Map<String, JsonNode> docs = SnapshotReading.documents(Fixtures.snapshot("ES_7_10_Updates_Deletes_wo_Soft"), "rfs_snapshot");
    assertEquals(expected(
        "test_updates_deletes/-/complexdoc", "{\"title\":\"This is a doc with complex history\",\"content\":\"Updated!\"}",
        "test_updates_deletes/-/updateddoc", "{\"title\":\"This is doc that will be updated\",\"content\":\"Updated!\"}",
        "test_updates_deletes/-/unchangeddoc", UPDATES_DELETES_UNCHANGED), docs);
  }
}
