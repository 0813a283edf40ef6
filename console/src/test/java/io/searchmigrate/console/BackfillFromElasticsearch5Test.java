package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.testkit.TestClusters;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Elasticsearch 5.6.16 (Lucene 6 segments read by the relocated Lucene 6; a multi-type index whose types are
 * merged into one on the target) → OpenSearch 2.19.1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackfillFromElasticsearch5Test extends BackfillEndToEndTest {
  private Prepared prepared;

  @BeforeAll
  void prepare() {
    prepared = prepare("5.6.16", "e5", true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink-local"})
  void backfillsEveryLiveDocumentExactly(String runner) throws IOException {
    backfillsExactly(prepared, runner);
  }

  /** With --multi-type split each type's documents go to their own index, as the metadata migration makes them. */
  @Test
  void splitsTypesIntoTheirOwnIndices() throws IOException {
    ClusterClient target = ClusterClient.connect(TestClusters.opensearchWithModules(TARGET_VERSION).endpoint());
    for (String index : new String[] {"e5_orders", "e5_orders_order", "e5_orders_return", "e5_customers"}) {
      target.delete("/" + index);
    }
    ConsoleRun run = ConsoleRun.of("backfill", "--repo", prepared.repository.toString(), "--snapshot", SNAPSHOT, "--target",
        TestTargets.url(), "--indices", "e5_orders", "--multi-type", "split", "--dead-letter", temp.resolve("split.ndjson").toString());
    assertEquals(0, run.exitCode, run::toString);
    Map<String, JsonNode> orders = new TreeMap<>();
    Map<String, JsonNode> returns = new TreeMap<>();
    prepared.workload.expected().get("e5_orders").forEach((key, source) -> (key.startsWith("r-") ? returns : orders).put(key, source));
    assertEquals(orders, SourceWorkload.documents(target, "e5_orders_order"));
    assertEquals(returns, SourceWorkload.documents(target, "e5_orders_return"));
    assertEquals(404, target.head("/e5_orders").status(), "no merged index");
    assertEquals(Map.of("reason", "keyword"), MetadataEndToEndTest.fieldTypes(target, "e5_orders_return"));
  }
}
