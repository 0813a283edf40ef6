package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After migrate, the target is compared with what the source meant: an index that already existed on the target
 * with another mapping, alias and analyzer is left as it is, and every difference is reported.
 */
class MetadataValidationTest {
  @Test
  void aPreexistingTargetIndexThatDiffersIsReported() {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    ClusterClient sourceClient = ClusterClient.connect(source.endpoint());
    MetadataEndToEndTest.clean(sourceClient, "v7");
    sourceClient.putJson("/v7_articles", Json.parse("{\"settings\":{\"number_of_shards\":1,\"analysis\":{\"analyzer\":"
        + "{\"v7_std\":{\"type\":\"standard\",\"stopwords\":[\"the\"]}}}},\"mappings\":{\"properties\":{"
        + "\"title\":{\"type\":\"text\",\"analyzer\":\"v7_std\"},\"views\":{\"type\":\"long\"}}},"
        + "\"aliases\":{\"v7_recent\":{\"filter\":{\"range\":{\"views\":{\"gte\":10}}}}}}")).requireSuccess();

    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());
    MetadataEndToEndTest.clean(targetClient, "v7");
    targetClient.putJson("/v7_articles", Json.parse("{\"mappings\":{\"properties\":{\"title\":{\"type\":\"keyword\"}}}}")).requireSuccess();

    ConsoleRun migrate = ConsoleRun.of("metadata", "migrate", "--source", source.url(), "--target", target.url(),
        "--indices", "v7_articles", "--index-templates", "none", "--component-templates", "none", "--output", "json");
    assertEquals(0, migrate.exitCode, migrate::toString);
    JsonNode index = Json.parse(migrate.out).path("items").path(0);
    assertEquals("skipped", index.path("outcome").asText());
    List<String> differences = new ArrayList<>();
    index.path("differences").forEach(d -> differences.add(d.asText()));
    assertEquals(List.of(
        "field 'title' type: keyword on the target, text expected",
        "field 'title' analyzer: unset on the target, v7_std expected",
        "field 'views' is missing on the target",
        "setting index.analysis.analyzer.v7_std.stopwords: unset on the target, [\"the\"] expected",
        "setting index.analysis.analyzer.v7_std.type: unset on the target, \"standard\" expected",
        "alias 'v7_recent' is missing on the target"), differences);
    assertEquals(6, Json.parse(migrate.out).path("summary").path("issues").asInt());
  }
}
