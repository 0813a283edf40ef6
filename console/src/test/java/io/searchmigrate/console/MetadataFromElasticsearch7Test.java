package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Elasticsearch 7.10.2 (a composable index template built from a component template, a legacy template, aliases with
 * filter and routing, a setting OpenSearch 2 removed) → OpenSearch 2.19.1 from a snapshot, and → OpenSearch 1.3.20 and
 * 3.1.0 live.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataFromElasticsearch7Test extends MetadataEndToEndTest {
  private static final Map<String, String> EXPECTED = Map.of(
      "component_template m7_base", "created",
      "index_template m7_posts", "created",
      "legacy_template m7_legacy", "created",
      "index m7_posts_a", "created",
      "alias m7_all→m7_posts_a", "created",
      "alias m7_filtered→m7_posts_a", "created");
  private LocalCluster source;
  private ClusterClient sourceClient;

  @BeforeAll
  void prepareSource() {
    source = TestClusters.elasticsearch("7.10.2");
    sourceClient = ClusterClient.connect(source.endpoint());
    clean(sourceClient, "m7");
    sourceClient.putJson("/_component_template/m7_base", Json.parse("{\"template\":{\"settings\":{\"number_of_shards\":2},"
        + "\"mappings\":{\"properties\":{\"title\":{\"type\":\"text\"},\"tag\":{\"type\":\"keyword\"},\"published\":{\"type\":\"date\"}}}}}"))
        .requireSuccess();
    sourceClient.putJson("/_index_template/m7_posts", Json.parse("{\"index_patterns\":[\"m7_posts_*\"],\"composed_of\":[\"m7_base\"],"
        + "\"priority\":100,\"template\":{\"aliases\":{\"m7_all\":{}}},\"_meta\":{\"owner\":\"search-team\"}}")).requireSuccess();
    sourceClient.putJson("/_template/m7_legacy", Json.parse("{\"index_patterns\":[\"m7_legacy_*\"],\"order\":5,"
        + "\"mappings\":{\"properties\":{\"count\":{\"type\":\"long\"}}}}")).requireSuccess();
    // merge tuning OpenSearch 2 and 3 refuse (removed with Lucene 9): dropped for them, kept for OpenSearch 1
    sourceClient.putJson("/m7_posts_a", Json.parse("{\"settings\":{\"number_of_replicas\":0,"
        + "\"merge.policy.max_merge_at_once_explicit\":20},\"aliases\":{\"m7_filtered\":"
        + "{\"filter\":{\"term\":{\"tag\":\"x\"}},\"routing\":\"r7\"}}}")).requireSuccess();
  }

  private void checkBehaviour(LocalCluster target) {
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());
    targetClient.putJson("/m7_posts_new", Json.object()).requireSuccess();
    assertEquals(Map.of("published", "date", "tag", "keyword", "title", "text"), fieldTypes(targetClient, "m7_posts_new"),
        "an index made from the migrated index template gets the component template's mappings");
    assertEquals("2", targetClient.getJson("/m7_posts_new/_settings").path("m7_posts_new").path("settings").path("index")
        .path("number_of_shards").asText());
    assertTrue(targetClient.getJson("/m7_posts_new/_alias").path("m7_posts_new").path("aliases").has("m7_all"));
    targetClient.putJson("/m7_legacy_x", Json.object()).requireSuccess();
    assertEquals(Map.of("count", "long"), fieldTypes(targetClient, "m7_legacy_x"));
    aliasWritesLandAlike(sourceClient, targetClient, "m7_filtered", "_doc");
    assertEquals(target.version().startsWith("1.") ? "20" : "", targetClient.getJson("/m7_posts_a/_settings?flat_settings=true")
        .path("m7_posts_a").path("settings").path("index.merge.policy.max_merge_at_once_explicit").asText(),
        "the merge setting on OpenSearch " + target.version());
  }

  @Test
  void fromASnapshotToOpenSearch2() {
    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    String repository = source.pathRepo().resolve("m7-" + UUID.randomUUID()).toString();
    assertEquals(0, ConsoleRun.of("snapshot", "create", "--source", source.url(), "--repo-path", repository, "--repo-name", "m7",
        "--snapshot", "m7snap", "--indices", "m7_*", "--wait").exitCode);
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());
    clean(targetClient, "m7");
    String[] selection = {"--indices", "regex:m7.*", "--index-templates", "regex:m7.*", "--component-templates", "regex:m7.*"};
    ConsoleRun evaluate = ConsoleRun.of(concat(new String[] {"metadata", "evaluate", "--repo", repository, "--snapshot", "m7snap",
        "--target", target.url(), "--output", "json"}, selection));
    assertEquals(0, evaluate.exitCode, evaluate::toString);
    ConsoleRun migrate = ConsoleRun.of(concat(new String[] {"metadata", "migrate", "--repo", repository, "--snapshot", "m7snap",
        "--target", target.url(), "--output", "json"}, selection));
    assertEquals(0, migrate.exitCode, migrate::toString);
    assertEquals(EXPECTED, outcomes(migrate));
    Json.parse(migrate.out).path("items").forEach(item -> assertTrue(item.path("differences").isMissingNode(), item.toString()));
    checkBehaviour(target);
  }

  @Test
  void liveToOpenSearch1() {
    LocalCluster target = TestClusters.opensearch("1.3.20");
    assertEvaluateThenMigrate(source, target, "m7", EXPECTED);
    checkBehaviour(target);
  }

  @Test
  void liveToOpenSearch3() {
    LocalCluster target = TestClusters.opensearch("3.1.0");
    assertEvaluateThenMigrate(source, target, "m7", EXPECTED);
    checkBehaviour(target);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
