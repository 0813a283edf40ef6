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

/**
 * Elasticsearch 6.8.23 (legacy template with an {index} alias, aliases with filter and routing, the classic similarity, a
 * setting removed in 7.0) → OpenSearch 2.19.1.
 */
class MetadataFromElasticsearch6Test extends MetadataEndToEndTest {
  @Test
  void migratesLegacyTemplateIndexAndAliases() {
    LocalCluster source = TestClusters.elasticsearch("6.8.23");
    ClusterClient sourceClient = ClusterClient.connect(source.endpoint());
    clean(sourceClient, "m6");
    sourceClient.putJson("/_template/m6_tpl", Json.parse("{\"index_patterns\":[\"m6_t_*\"],\"settings\":{\"number_of_shards\":1},"
        + "\"mappings\":{\"_doc\":{\"properties\":{\"title\":{\"type\":\"text\"},\"tag\":{\"type\":\"keyword\"},"
        + "\"at\":{\"type\":\"date\",\"format\":\"yyyy-MM-dd\"}}}},\"aliases\":{\"{index}-alias\":{}}}")).requireSuccess();
    // also what OpenSearch refuses: the classic similarity (by name and on a field), a setting removed in 7.0
    sourceClient.putJson("/m6_items", Json.parse("{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":0,"
        + "\"optimize_auto_generated_id\":true,\"similarity\":{\"m6_tfidf\":{\"type\":\"classic\"}},"
        + "\"analysis\":{\"analyzer\":{\"m6_std\":{\"type\":\"standard\",\"stopwords\":[\"the\",\"a\"]}}}},"
        + "\"mappings\":{\"_doc\":{\"properties\":{\"title\":{\"type\":\"text\",\"analyzer\":\"m6_std\"},\"tag\":{\"type\":\"keyword\"},"
        + "\"body\":{\"type\":\"text\",\"similarity\":\"classic\"},\"summary\":{\"type\":\"text\",\"similarity\":\"m6_tfidf\"}}}},"
        + "\"aliases\":{\"m6_filtered\":{\"filter\":{\"term\":{\"tag\":\"x\"}},\"index_routing\":\"r6\",\"search_routing\":\"r6\"},"
        + "\"m6_plain\":{}}}")).requireSuccess();

    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    assertEvaluateThenMigrate(source, target, "m6", Map.of(
        "legacy_template m6_tpl", "created",
        "index m6_items", "created",
        "alias m6_filtered→m6_items", "created",
        "alias m6_plain→m6_items", "created"));
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());

    targetClient.putJson("/m6_t_one", Json.object()).requireSuccess();
    assertEquals(Map.of("at", "date", "tag", "keyword", "title", "text"), fieldTypes(targetClient, "m6_t_one"));
    assertTrue(targetClient.getJson("/m6_t_one/_alias").path("m6_t_one").path("aliases").has("m6_t_one-alias"));
    assertEquals("m6_std", targetClient.getJson("/m6_items/_mapping").path("m6_items").path("mappings").path("properties")
        .path("title").path("analyzer").asText());

    JsonNode properties = targetClient.getJson("/m6_items/_mapping").path("m6_items").path("mappings").path("properties");
    assertEquals("BM25", properties.path("body").path("similarity").asText(), "the built-in classic similarity became BM25");
    assertEquals("m6_tfidf", properties.path("summary").path("similarity").asText());
    JsonNode settings = targetClient.getJson("/m6_items/_settings?flat_settings=true").path("m6_items").path("settings");
    assertEquals("BM25", settings.path("index.similarity.m6_tfidf.type").asText(), "a classic similarity by name became BM25");
    assertTrue(settings.path("index.optimize_auto_generated_id").isMissingNode(), settings.toString());

    aliasWritesLandAlike(sourceClient, targetClient, "m6_filtered", "_doc");
    aliasWritesLandAlike(sourceClient, targetClient, "m6_plain", "_doc");
  }
}
