package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Elasticsearch 8.15.0 (composable templates, runtime fields the target lacks) → OpenSearch 2.19.1. */
class MetadataFromElasticsearch8Test extends MetadataEndToEndTest {
  @Test
  void migratesTemplatesIndexAndAliasesDroppingRuntimeFields() {
    LocalCluster source = TestClusters.elasticsearch("8.15.0");
    ClusterClient sourceClient = ClusterClient.connect(source.endpoint());
    clean(sourceClient, "m8");
    sourceClient.putJson("/_component_template/m8_base", Json.parse("{\"template\":{\"mappings\":{\"properties\":"
        + "{\"title\":{\"type\":\"text\"},\"tag\":{\"type\":\"keyword\"}}}}}")).requireSuccess();
    sourceClient.putJson("/_index_template/m8_logs", Json.parse("{\"index_patterns\":[\"m8_logs_*\"],\"composed_of\":[\"m8_base\"],"
        + "\"priority\":50,\"template\":{\"settings\":{\"number_of_shards\":1}}}")).requireSuccess();
    sourceClient.putJson("/m8_events", Json.parse("{\"settings\":{\"number_of_replicas\":0},\"mappings\":{"
        + "\"runtime\":{\"day\":{\"type\":\"keyword\"}},"
        + "\"properties\":{\"title\":{\"type\":\"text\"},\"tag\":{\"type\":\"keyword\"},\"at\":{\"type\":\"date\"}}},"
        + "\"aliases\":{\"m8_routed\":{\"routing\":\"r8\"}}}")).requireSuccess();

    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    assertEvaluateThenMigrate(source, target, "m8", Map.of(
        "component_template m8_base", "created",
        "index_template m8_logs", "created",
        "index m8_events", "created",
        "alias m8_routed→m8_events", "created"));
    ConsoleRun evaluate = metadata("evaluate", source, target, "--indices", "m8_events", "--index-templates", "none",
        "--component-templates", "none");
    JsonNode events = Json.parse(evaluate.out).path("items").path(0);
    assertEquals("skipped", events.path("outcome").asText(), events.toString());
    assertTrue(events.path("warnings").toString().contains("removed runtime fields [day]"), events.toString());

    ClusterClient targetClient = ClusterClient.connect(target.endpoint());
    targetClient.putJson("/m8_logs_1", Json.object()).requireSuccess();
    assertEquals(Map.of("tag", "keyword", "title", "text"), fieldTypes(targetClient, "m8_logs_1"));
    aliasWritesLandAlike(sourceClient, targetClient, "m8_routed", "_doc");
  }
}
