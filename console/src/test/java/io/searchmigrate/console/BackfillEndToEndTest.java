package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real source → snapshot taken through the console → backfill through the console → real OpenSearch 2.19.1
 * target holding exactly the live documents (id, routing, parsed source) and nothing else. One subclass per
 * source version; each backfills with the DirectRunner and with Flink [local].
 */
abstract class BackfillEndToEndTest {
  static final String SNAPSHOT = "e2e-snap";
  static final String TARGET_VERSION = "2.19.1";

  @TempDir
  Path temp;

  /** Source workload and snapshot, made once per source version. */
  static final class Prepared {
    final LocalCluster source;
    final SourceWorkload workload;
    final Path repository;

    Prepared(LocalCluster source, SourceWorkload workload, Path repository) {
      this.source = source;
      this.workload = workload;
      this.repository = repository;
    }
  }

  /**
   * Writes the workload (several segments, updates, deletes, routing, nested documents, a pretty-printed source
   * with line breaks, ids in every binary form) and snapshots it with {@code migrate snapshot create --wait}.
   */
  static Prepared prepare(String sourceVersion, String prefix, boolean multiType) {
    LocalCluster source = TestClusters.elasticsearch(sourceVersion);
    SourceWorkload w = new SourceWorkload(ClusterClient.connect(source.endpoint()));
    String orders = prefix + "_orders";
    String customers = prefix + "_customers";
    String orderType = multiType ? "order" : "_doc";
    String otherType = multiType ? "return" : "_doc";

    ObjectNode orderMapping = Json.object();
    ObjectNode props = orderMapping.putObject("properties");
    props.putObject("customer").put("type", "keyword");
    props.putObject("total").put("type", "double");
    props.putObject("note").put("type", "text");
    ObjectNode lines = props.putObject("lines").put("type", "nested");
    lines.putObject("properties").putObject("sku").put("type", "keyword");
    ObjectNode mappings = Json.object();
    mappings.set(orderType, orderMapping);
    if (multiType) {
      ObjectNode returnMapping = Json.object();
      returnMapping.putObject("properties").putObject("reason").put("type", "keyword");
      mappings.set(otherType, returnMapping);
    }
    // 6.x: soft deletes are optional, turn them on; 8.x: best_compression stores fields with zstd
    ObjectNode extraSettings = sourceVersion.startsWith("6.") ? Json.object().put("soft_deletes.enabled", true)
        : sourceVersion.startsWith("8.") ? Json.object().put("codec", "best_compression") : null;
    w.createIndex(orders, 3, mappings, extraSettings);

    Map<String, JsonNode> first = new LinkedHashMap<>();
    for (int i = 1; i <= 300; i++) {
      first.put(Integer.toString(i), order(i));
    }
    w.bulk(orders, orderType, first, null);
    w.refresh(orders); // segment 1
    Map<String, JsonNode> routed = new LinkedHashMap<>();
    for (int i = 1; i <= 100; i++) {
      routed.put("vip-" + i, order(1000 + i));
    }
    w.bulk(orders, orderType, routed, "vip");
    w.refresh(orders); // segment 2
    w.index(orders, orderType, "pretty-1", null,
        "\n\n{\n  \"customer\": \"c-pretty\",\n  \"note\": \"first line\\nsecond line\",\n  \"total\": 1.5,\n"
            + "  \"lines\": [ {\"sku\": \"a\"},\n {\"sku\": \"b\"} ]\n}\n\n");
    w.index(orders, orderType, "café-☕ #1", "vip", "{\"customer\":\"c-unicode\",\"note\":\"ünïcödé ✓\",\"total\":2}");
    w.index(orders, orderType, "dkO8Zo4B5P7rRiUeuFRC", null, "{\"customer\":\"c-auto-like\",\"total\":3}");
    w.index(orders, orderType, "007", null, "{\"customer\":\"c-leading-zeros\",\"total\":7}");
    if (multiType) {
      Map<String, JsonNode> returns = new LinkedHashMap<>();
      for (int i = 1; i <= 40; i++) {
        returns.put("r-" + i, Json.object().put("reason", i % 2 == 0 ? "damaged" : "late"));
      }
      w.bulk(orders, otherType, returns, null);
      w.delete(orders, otherType, "r-3", null);
    }
    for (int i = 1; i <= 20; i++) {
      w.update(orders, orderType, Integer.toString(i), null, Json.object().put("note", "updated " + i));
    }
    for (int i = 21; i <= 30; i++) {
      w.index(orders, orderType, Integer.toString(i), null, Json.toString(order(5000 + i)));
    }
    for (int i = 31; i <= 60; i++) {
      w.delete(orders, orderType, Integer.toString(i), null);
    }
    w.delete(orders, orderType, "vip-7", "vip");
    w.update(orders, orderType, "vip-8", "vip", Json.object().put("note", "updated vip"));
    w.refresh(orders);

    ObjectNode customerMapping = Json.object();
    customerMapping.putObject(orderType).putObject("properties").putObject("name").put("type", "text");
    w.createIndex(customers, 1, customerMapping, null);
    Map<String, JsonNode> people = new LinkedHashMap<>();
    for (int i = 1; i <= 50; i++) {
      people.put("cust-" + i, Json.object().put("name", "Customer " + i));
    }
    w.bulk(customers, orderType, people, null);
    w.delete(customers, orderType, "cust-5", null);
    w.refresh(customers);

    // the model must describe what the source really holds, or the comparison below proves nothing
    for (Map.Entry<String, Map<String, JsonNode>> index : w.expected().entrySet()) {
      assertEquals(index.getValue(), SourceWorkload.documents(w.client, index.getKey()), "source holds the model of " + index.getKey());
    }

    Path repository = source.pathRepo().resolve("e2e-" + UUID.randomUUID());
    ConsoleRun snapshot = ConsoleRun.of("snapshot", "create", "--source", source.url(), "--repo-path", repository.toString(),
        "--snapshot", SNAPSHOT, "--indices", orders + "," + customers, "--wait");
    assertEquals(0, snapshot.exitCode, snapshot::toString);
    assertTrue(snapshot.out.contains(SNAPSHOT + ": SUCCESS, shards 4/4 done (0 failed)"), snapshot::toString);
    return new Prepared(source, w, repository);
  }

  private static JsonNode order(int n) {
    ObjectNode o = Json.object().put("customer", "c-" + (n % 17)).put("total", n * 1.25).put("note", "order number " + n);
    o.putArray("lines").add(Json.object().put("sku", "sku-" + n)).add(Json.object().put("sku", "sku-" + (n + 1)));
    return o;
  }

  /** Backfills with the given runner and checks the target holds exactly the model, and nothing else. */
  void backfillsExactly(Prepared prepared, String runner) throws IOException {
    LocalCluster target = TestClusters.opensearchWithModules(TARGET_VERSION);
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());
    for (String index : prepared.workload.expected().keySet()) {
      targetClient.delete("/" + index);
    }
    Path deadLetters = temp.resolve("dead-letters.ndjson");
    ConsoleRun run = ConsoleRun.of("backfill", "--repo", prepared.repository.toString(), "--snapshot", SNAPSHOT,
        "--target", target.url(), "--runner", runner, "--dead-letter", deadLetters.toString(), "--progress-every", "2");
    assertEquals(0, run.exitCode, run::toString);
    assertTrue(run.out.contains("result: OK, every document read was written"), run::toString);
    assertTrue(run.out.contains("dead letters: none (no file written)"), run::toString);
    assertFalse(Files.exists(deadLetters), "no dead-letter file when every document arrived");

    for (Map.Entry<String, Map<String, JsonNode>> index : prepared.workload.expected().entrySet()) {
      assertEquals(index.getValue(), SourceWorkload.documents(targetClient, index.getKey()),
          "target holds exactly the live documents of " + index.getKey());
    }
    // nothing else: no stray indices from this source's snapshot
    TreeSet<String> created = new TreeSet<>();
    String prefix = prepared.workload.expected().keySet().iterator().next().split("_")[0] + "_";
    targetClient.getJson("/_cat/indices?format=json").forEach(i -> {
      if (i.path("index").asText().startsWith(prefix)) {
        created.add(i.path("index").asText());
      }
    });
    assertEquals(new TreeSet<>(prepared.workload.expected().keySet()), created);
  }
}
