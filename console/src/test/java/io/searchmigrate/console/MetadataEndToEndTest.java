package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.launcher.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Metadata migration from a real source to a real target: evaluate leaves the target untouched, migrate creates
 * every selected item, an index created from a migrated template gets the intended mappings, a document written
 * through each migrated alias lands where the source would put it, and a second migrate skips everything.
 */
abstract class MetadataEndToEndTest {
  /** Deletes everything a test with this prefix may have left, on one cluster. */
  static void clean(ClusterClient cluster, String prefix) {
    cluster.delete("/" + prefix + "*");
    ClusterVersion v = ClusterVersion.detect(cluster);
    for (String name : names(cluster, "/_template")) {
      if (name.startsWith(prefix)) {
        cluster.delete("/_template/" + name);
      }
    }
    if (v.isOpenSearch() || v.major() > 7 || (v.major() == 7 && v.minor() >= 8)) {
      for (JsonNode t : cluster.getJson("/_index_template").path("index_templates")) {
        if (t.path("name").asText().startsWith(prefix)) {
          cluster.delete("/_index_template/" + t.path("name").asText());
        }
      }
      for (JsonNode t : cluster.getJson("/_component_template").path("component_templates")) {
        if (t.path("name").asText().startsWith(prefix)) {
          cluster.delete("/_component_template/" + t.path("name").asText());
        }
      }
    }
  }

  static List<String> names(ClusterClient cluster, String path) {
    List<String> names = new ArrayList<>();
    ClusterResponse r = cluster.get(path);
    if (r.isSuccess()) {
      r.json().fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  /** Indices and templates of every kind with this prefix: what evaluate must leave as it is. */
  static String state(ClusterClient cluster, String prefix) {
    TreeSet<String> items = new TreeSet<>();
    cluster.getJson("/_cat/indices?format=json").forEach(i -> items.add("index " + i.path("index").asText()));
    names(cluster, "/_template").forEach(n -> items.add("legacy " + n));
    for (JsonNode t : cluster.getJson("/_index_template").path("index_templates")) {
      items.add("index template " + t.path("name").asText());
    }
    for (JsonNode t : cluster.getJson("/_component_template").path("component_templates")) {
      items.add("component " + t.path("name").asText());
    }
    items.removeIf(i -> !i.substring(i.lastIndexOf(' ') + 1).startsWith(prefix));
    return items.toString();
  }

  /** kind → name → outcome, from a JSON report. */
  static Map<String, String> outcomes(ConsoleRun run) {
    Map<String, String> outcomes = new TreeMap<>();
    Json.parse(run.out).path("items").forEach(i -> outcomes.put(i.path("kind").asText() + " " + i.path("name").asText()
        + (i.path("kind").asText().equals("alias") ? "→" + i.path("source_name").asText(i.path("name").asText()) : ""),
        i.path("outcome").asText()));
    return outcomes;
  }

  static ConsoleRun metadata(String mode, LocalCluster source, LocalCluster target, String... more) {
    List<String> args = new ArrayList<>(List.of("metadata", mode, "--source", source.url(), "--target", target.url(), "--output", "json"));
    args.addAll(List.of(more));
    return ConsoleRun.of(args.toArray(new String[0]));
  }

  /** Field path → type of an index's mapping (type-less, or the single type of older versions). */
  static Map<String, String> fieldTypes(ClusterClient cluster, String index) {
    JsonNode mappings = cluster.getJson("/" + index + "/_mapping").path(index).path("mappings");
    if (!mappings.has("properties") && mappings.size() == 1) {
      mappings = mappings.elements().next();
    }
    Map<String, String> types = new TreeMap<>();
    collect("", mappings.path("properties"), types);
    return types;
  }

  private static void collect(String prefix, JsonNode properties, Map<String, String> into) {
    properties.fields().forEachRemaining(e -> {
      into.put(prefix + e.getKey(), e.getValue().path("type").asText("object"));
      collect(prefix + e.getKey() + ".", e.getValue().path("properties"), into);
      e.getValue().path("fields").fields().forEachRemaining(sub -> into.put(prefix + e.getKey() + "." + sub.getKey(),
          sub.getValue().path("type").asText()));
    });
  }

  /**
   * Writes one document through an alias on both clusters and checks it lands in the same index, with the same
   * routing, on the same shard number.
   */
  static void aliasWritesLandAlike(ClusterClient source, ClusterClient target, String alias, String typeOnSource) {
    String id = "probe-" + alias;
    String body = "{\"title\":\"probe through " + alias + "\",\"tag\":\"x\"}";
    String[] where = new String[2];
    int i = 0;
    for (ClusterClient cluster : List.of(source, target)) {
      String type = cluster == source ? typeOnSource : "_doc";
      ClusterResponse put = cluster.send("PUT", "/" + alias + "/" + type + "/" + id + "?refresh=true",
          body.getBytes(StandardCharsets.UTF_8), ClusterClient.JSON, Duration.ofSeconds(30)).requireSuccess();
      String index = put.json().path("_index").asText();
      JsonNode hit = cluster.getJson("/" + alias + "/_search?q=_id:" + id).path("hits").path("hits").path(0);
      String routing = hit.path("_routing").asText("");
      JsonNode shards = cluster.getJson("/" + index + "/_search_shards" + (routing.isEmpty() ? "" : "?routing=" + routing));
      String shard = routing.isEmpty() ? "" : shards.path("shards").path(0).path(0).path("shard").asText();
      where[i++] = "index " + index + ", routing '" + routing + "', shard " + shard;
    }
    assertEquals(where[0], where[1], "a document written through alias '" + alias + "' lands where the source puts it");
  }

  static void assertEvaluateThenMigrate(LocalCluster source, LocalCluster target, String prefix, Map<String, String> expectedCreated,
      String... options) {
    ClusterClient targetClient = ClusterClient.connect(target.endpoint());
    clean(targetClient, prefix);
    String before = state(targetClient, prefix);

    List<String> args = new ArrayList<>(List.of(options));
    args.addAll(List.of("--indices", "regex:" + prefix + ".*", "--index-templates", "regex:" + prefix + ".*",
        "--component-templates", "regex:" + prefix + ".*"));
    String[] extra = args.toArray(new String[0]);

    ConsoleRun evaluate = metadata("evaluate", source, target, extra);
    assertEquals(0, evaluate.exitCode, evaluate::toString);
    Map<String, String> wouldCreate = new TreeMap<>();
    expectedCreated.keySet().forEach(k -> wouldCreate.put(k, "would_create"));
    assertEquals(wouldCreate, outcomes(evaluate));
    assertEquals(before, state(targetClient, prefix), "evaluate leaves the target untouched");

    ConsoleRun migrate = metadata("migrate", source, target, extra);
    assertEquals(0, migrate.exitCode, migrate::toString);
    assertEquals(expectedCreated, outcomes(migrate));
    assertEquals(0, Json.parse(migrate.out).path("summary").path("failed").asInt(), migrate::toString);
    Json.parse(migrate.out).path("items").forEach(item ->
        assertTrue(item.path("differences").isMissingNode(), "validation found no difference: " + item));

    ConsoleRun again = metadata("migrate", source, target, extra);
    assertEquals(0, again.exitCode, again::toString);
    Map<String, String> skipped = new TreeMap<>();
    expectedCreated.keySet().forEach(k -> skipped.put(k, "skipped"));
    assertEquals(skipped, outcomes(again), "a second run skips everything");
  }
}
