package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.http.ClusterResponse;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes documents to a real source cluster through its REST API (types in URLs where the version needs them)
 * and keeps the model of what the source must hold afterwards: index → "id routing=r" → parsed source.
 */
final class SourceWorkload {
  final ClusterClient client;
  final ClusterVersion version;
  private final Map<String, Map<String, JsonNode>> expected = new TreeMap<>();

  SourceWorkload(ClusterClient client) {
    this.client = client;
    this.version = ClusterVersion.detect(client);
  }

  /** Creates an index; {@code mappingsByType} maps a type name (ignored from 7.x on) to its mapping body. */
  void createIndex(String index, int shards, ObjectNode mappingsByType, ObjectNode extraSettings) {
    client.delete("/" + index);
    ObjectNode body = Json.object();
    ObjectNode settings = body.putObject("settings").put("number_of_shards", shards).put("number_of_replicas", 0);
    if (extraSettings != null) {
      settings.setAll(extraSettings);
    }
    if (version.major() >= 7) {
      body.set("mappings", mappingsByType.elements().next());
    } else {
      body.set("mappings", mappingsByType);
    }
    client.putJson("/" + index, body).requireSuccess();
    expected.put(index, new TreeMap<>());
  }

  private String docPath(String index, String type, String id, String routing, String suffix) {
    String t = version.major() >= 7 ? "_doc" : type;
    return "/" + index + "/" + t + "/" + ClusterClient.segment(id) + suffix + (routing == null ? "" : "?routing=" + routing);
  }

  /** Indexes one document from raw body text, exactly as given (pretty printing and line breaks included). */
  void index(String index, String type, String id, String routing, String rawBody) {
    ClusterResponse response = client.send("PUT", docPath(index, type, id, routing, ""),
        rawBody.getBytes(StandardCharsets.UTF_8), ClusterClient.JSON, Duration.ofSeconds(30));
    response.requireSuccess();
    expected.get(index).put(key(id, routing), Json.parse(rawBody));
  }

  /**
   * A 7.x+ index of {@code count} documents {@code doc-1..doc-count}, each {"n": i, "text": "document number i"} with
   * {@code n} mapped as an integer, in {@code shards} shards, refreshed.
   */
  void numberedIndex(String index, int shards, int count) {
    ObjectNode mapping = Json.object();
    mapping.putObject("_doc").putObject("properties").putObject("n").put("type", "integer");
    createIndex(index, shards, mapping, null);
    Map<String, JsonNode> docs = new java.util.LinkedHashMap<>();
    for (int i = 1; i <= count; i++) {
      docs.put("doc-" + i, Json.object().put("n", i).put("text", "document number " + i));
    }
    bulk(index, "_doc", docs, null);
    refresh(index);
  }

  /** Bulk-indexes many documents, each on one line. */
  void bulk(String index, String type, Map<String, JsonNode> docsById, String routing) {
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, JsonNode> doc : docsById.entrySet()) {
      ObjectNode action = Json.object();
      ObjectNode meta = action.putObject("index").put("_index", index).put("_id", doc.getKey());
      if (version.major() < 7) {
        meta.put("_type", type);
      }
      if (routing != null) {
        meta.put(version.major() < 7 ? "_routing" : "routing", routing);
      }
      body.append(Json.toString(action)).append('\n').append(Json.toString(doc.getValue())).append('\n');
      expected.get(index).put(key(doc.getKey(), routing), canonical(doc.getValue()));
    }
    ClusterResponse response = client.send("POST", "/_bulk", body.toString().getBytes(StandardCharsets.UTF_8),
        ClusterClient.NDJSON, Duration.ofSeconds(60)).requireSuccess();
    assertEquals(false, response.json().path("errors").asBoolean(), () -> "bulk errors: " + response.bodyText());
  }

  /** Partial update of top-level fields. */
  void update(String index, String type, String id, String routing, ObjectNode fields) {
    ObjectNode body = Json.object();
    body.set("doc", fields);
    String path = version.major() >= 7
        ? "/" + index + "/_update/" + ClusterClient.segment(id) + (routing == null ? "" : "?routing=" + routing)
        : docPath(index, type, id, routing, "/_update");
    client.postJson(path, body).requireSuccess();
    ObjectNode current = (ObjectNode) expected.get(index).get(key(id, routing));
    current.setAll((ObjectNode) canonical(fields));
  }

  void delete(String index, String type, String id, String routing) {
    client.delete(docPath(index, type, id, routing, "")).requireSuccess();
    expected.get(index).remove(key(id, routing));
  }

  void refresh(String index) {
    client.postJson("/" + index + "/_refresh", null).requireSuccess();
  }

  /** index → "id routing=r" → source, as the source must now hold it. */
  Map<String, Map<String, JsonNode>> expected() {
    return expected;
  }

  /** The node as the JSON layer parses it back (numbers as exact decimals), so comparisons are like for like. */
  static JsonNode canonical(JsonNode node) {
    return Json.parse(Json.toString(node));
  }

  static String key(String id, String routing) {
    return routing == null ? id : id + " routing=" + routing;
  }

  /** Every document an index holds on a cluster, as "id routing=r" → parsed source. */
  static Map<String, JsonNode> documents(ClusterClient cluster, String index) {
    cluster.postJson("/" + index + "/_refresh", null).requireSuccess();
    JsonNode hits = cluster.getJson("/" + index + "/_search?size=10000").path("hits").path("hits");
    Map<String, JsonNode> docs = new TreeMap<>();
    for (Iterator<JsonNode> it = hits.elements(); it.hasNext();) {
      JsonNode hit = it.next();
      String routing = hit.has("_routing") ? hit.path("_routing").asText() : null;
      JsonNode previous = docs.put(key(hit.path("_id").asText(), routing), hit.path("_source"));
      if (previous != null) {
        throw new AssertionError("id " + hit.path("_id").asText() + " appears twice in " + index);
      }
    }
    return docs;
  }
}
