package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A closed index on a real Elasticsearch 7.10.2 source: the snapshot leaves it out, and {@code snapshot create} and
 * {@code validate clusters} say so instead of passing it by in silence; likewise validation says when the source's
 * refresh is off (what it cannot see yet, it cannot compare).
 */
class ClosedIndicesTest {
  @Test
  void snapshotAndValidationNameTheIndicesTheyCannotSeeWhole() {
    LocalCluster source = TestClusters.elasticsearch("7.10.2");
    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    ClusterClient sourceClient = ClusterClient.connect(source.endpoint());
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());
    for (ClusterClient client : new ClusterClient[] {sourceClient, targetClient}) {
      client.delete("/closedtest-*");
    }
    for (String index : new String[] {"closedtest-open", "closedtest-shut"}) {
      sourceClient.putJson("/" + index, Json.parse("{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}")).requireSuccess();
      sourceClient.putJson("/" + index + "/_doc/1?refresh=true", Json.parse("{\"n\":1}")).requireSuccess();
    }
    sourceClient.postJson("/closedtest-shut/_close", null).requireSuccess();

    Path repository = source.pathRepo().resolve("closed-" + UUID.randomUUID());
    ConsoleRun snapshot = ConsoleRun.of("snapshot", "create", "--source", source.url(), "--repo-path", repository.toString(),
        "--repo-name", "closedtest", "--snapshot", "with-closed", "--indices", "closedtest-*", "--wait");
    assertEquals(0, snapshot.exitCode, snapshot::toString);
    assertTrue(snapshot.err.contains("warning: closed on the source, so not in this snapshot and not migrated: closedtest-shut; "
        + "open it (POST /closedtest-shut/_open) and snapshot again to migrate it"), snapshot::toString);
    ConsoleRun list = ConsoleRun.of("snapshot", "list", "--repo", repository.toString());
    assertTrue(list.out.contains("closedtest-open") && !list.out.contains("closedtest-shut"), list::toString);

    assertEquals(0, ConsoleRun.of("metadata", "migrate", "--repo", repository.toString(), "--snapshot", "with-closed",
        "--target", target.url()).exitCode);
    assertEquals(0, ConsoleRun.of("backfill", "--repo", repository.toString(), "--snapshot", "with-closed",
        "--target", target.url()).exitCode);
    ConsoleRun validate = ConsoleRun.of("validate", "clusters", "--source", source.url(), "--target", target.url(),
        "--indices", "closedtest-*", "--output", "json");
    assertEquals(0, validate.exitCode, validate::toString);
    // refresh off, and a write after the last refresh: a search cannot see it yet, validation says so
    sourceClient.putJson("/closedtest-open/_settings", Json.parse("{\"index\":{\"refresh_interval\":\"-1\"}}")).requireSuccess();
    sourceClient.putJson("/closedtest-open/_doc/2", Json.parse("{\"n\":2}")).requireSuccess();
    ConsoleRun stale = ConsoleRun.of("validate", "clusters", "--source", source.url(), "--target", target.url(),
        "--indices", "closedtest-*", "--output", "json");
    assertTrue(stale.out.contains("refresh is off on the source (index.refresh_interval -1) for closedtest-open: what was "
        + "written there since its last refresh cannot be read, so it is not compared; refresh them first "
        + "(POST /closedtest-open/_refresh)"), stale::toString);
    JsonNode report = Json.parse(validate.out);
    assertTrue(report.toString().contains("closed on the source, so not compared: closedtest-shut (a closed index cannot be "
        + "read; open it to compare it)"), validate::toString);
    sourceClient.delete("/closedtest-*");
    targetClient.delete("/closedtest-*");
  }
}
