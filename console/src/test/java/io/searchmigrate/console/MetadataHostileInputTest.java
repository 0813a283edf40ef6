package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Items the target refuses are reported with the target's own reason and the rest is migrated: an index name
 * OpenSearch forbids, an analyzer the target lacks (OpenSearch 1.3.20's integration-test distribution has no
 * analysis-common module); a template with the classic similarity OpenSearch removed is carried over as BM25, warned.
 */
class MetadataHostileInputTest extends MetadataEndToEndTest {
  @Test
  void eachRefusalIsReportedAndTheRestMigrated() {
    LocalCluster source = TestClusters.elasticsearch("5.6.16");
    ClusterClient sourceClient = ClusterClient.connect(source.endpoint());
    clean(sourceClient, "h5");
    sourceClient.putJson("/_template/h5_sim", Json.parse("{\"template\":\"h5_sim_*\",\"settings\":"
        + "{\"index.similarity.old_school.type\":\"classic\"}}")).requireSuccess();
    sourceClient.putJson("/h5:colon", Json.parse("{\"settings\":{\"number_of_shards\":1}}")).requireSuccess();
    sourceClient.putJson("/h5_english", Json.parse("{\"mappings\":{\"doc\":{\"properties\":{\"body\":{\"type\":\"text\","
        + "\"analyzer\":\"english\"}}}}}")).requireSuccess();
    sourceClient.putJson("/h5_fine", Json.parse("{\"mappings\":{\"doc\":{\"properties\":{\"n\":{\"type\":\"long\"}}}}}")).requireSuccess();

    LocalCluster target = TestClusters.opensearch("1.3.20");
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());
    clean(targetClient, "h5");
    String[] selection = {"--indices", "regex:h5.*", "--index-templates", "regex:h5.*"};

    ConsoleRun evaluate = metadata("evaluate", source, target, selection);
    assertEquals(Migrate.RUN_FAILED, evaluate.exitCode, evaluate::toString);
    JsonNode colon = item(evaluate, "h5:colon");
    assertEquals("would_fail", colon.path("outcome").asText());
    assertEquals("invalid index name on the target: must not contain ':'", colon.path("reason").asText());

    ConsoleRun migrate = metadata("migrate", source, target, selection);
    assertEquals(Migrate.RUN_FAILED, migrate.exitCode, migrate::toString);
    Map<String, String> outcomes = new TreeMap<>(outcomes(migrate));
    assertEquals(Map.of("legacy_template h5_sim", "created", "index h5:colon", "failed", "index h5_english", "failed",
        "index h5_fine", "created"), outcomes);
    assertTrue(item(migrate, "h5_sim").toString().contains("similarity 'old_school' was classic (TF-IDF)"), migrate::toString);
    assertEquals("BM25", targetClient.getJson("/_template/h5_sim").at("/h5_sim/settings/index/similarity/old_school/type").asText());
    assertTrue(item(migrate, "h5:colon").path("reason").asText().contains("invalid_index_name_exception"), migrate::toString);
    assertTrue(item(migrate, "h5_english").path("reason").asText().contains("analyzer [english] has not been configured"), migrate::toString);
    assertEquals(2, Json.parse(migrate.out).path("summary").path("failed").asInt());
    assertEquals(200, targetClient.head("/h5_fine").status(), "the rest was migrated");
  }

  private static JsonNode item(ConsoleRun run, String name) {
    for (JsonNode item : Json.parse(run.out).path("items")) {
      if (item.path("name").asText().equals(name)) {
        return item;
      }
    }
    throw new AssertionError("no item " + name + " in " + run.out);
  }
}
