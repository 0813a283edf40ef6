package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Elasticsearch 5.6.16 (two mapping types, string fields, a legacy template with _all) → OpenSearch 2.19.1. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetadataFromElasticsearch5Test extends MetadataEndToEndTest {
  private LocalCluster source;
  private ClusterClient sourceClient;

  @BeforeAll
  void prepareSource() {
    source = TestClusters.elasticsearch("5.6.16");
    sourceClient = ClusterClient.connect(source.endpoint());
    clean(sourceClient, "m5");
    sourceClient.putJson("/_template/m5_tpl", Json.parse("{\"template\":\"m5_t_*\",\"order\":3,\"settings\":{\"number_of_shards\":1},"
        + "\"mappings\":{\"doc\":{\"_all\":{\"enabled\":true},\"properties\":{\"title\":{\"type\":\"string\"},"
        + "\"code\":{\"type\":\"string\",\"index\":\"not_analyzed\"}}}},\"aliases\":{\"m5_t_alias\":{}}}")).requireSuccess();
    sourceClient.putJson("/m5_lib", Json.parse("{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},\"mappings\":{"
        + "\"book\":{\"properties\":{\"title\":{\"type\":\"text\"},\"isbn\":{\"type\":\"keyword\"},\"tag\":{\"type\":\"keyword\"}}},"
        + "\"dvd\":{\"properties\":{\"title\":{\"type\":\"text\"},\"minutes\":{\"type\":\"integer\"}}}},"
        + "\"aliases\":{\"m5_books\":{\"filter\":{\"term\":{\"tag\":\"x\"}},\"routing\":\"r5\"}}}")).requireSuccess();
  }

  @Test
  void migratesTemplatesAndMultiTypeIndex() {
    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    assertEvaluateThenMigrate(source, target, "m5", Map.of(
        "legacy_template m5_tpl", "created",
        "index m5_lib", "created",
        "alias m5_books→m5_lib", "created"));
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());

    // an index created from the migrated template gets the template's fields, string turned into text/keyword
    targetClient.putJson("/m5_t_one", Json.object()).requireSuccess();
    assertEquals(Map.of("code", "keyword", "title", "text"), fieldTypes(targetClient, "m5_t_one"));
    assertTrue(targetClient.getJson("/m5_t_one/_alias").path("m5_t_one").path("aliases").has("m5_t_alias"));
    // the merged index has the fields of both types
    assertEquals(Map.of("isbn", "keyword", "minutes", "integer", "tag", "keyword", "title", "text"), fieldTypes(targetClient, "m5_lib"));

    aliasWritesLandAlike(sourceClient, targetClient, "m5_books", "book");
  }

  @Test
  void evaluateShowsTheSplitIntoOneIndexPerType() {
    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    clean(ClusterClient.connect(target.endpoint()), "m5");
    ConsoleRun split = metadata("evaluate", source, target, "--indices", "m5_lib", "--index-templates", "none",
        "--multi-type", "split");
    assertEquals(0, split.exitCode, split::toString);
    assertEquals(Map.of("index m5_lib_book", "would_create", "index m5_lib_dvd", "would_create",
        "alias m5_books→m5_lib_book", "would_create", "alias m5_books→m5_lib_dvd", "would_create"), outcomes(split));
  }
}
