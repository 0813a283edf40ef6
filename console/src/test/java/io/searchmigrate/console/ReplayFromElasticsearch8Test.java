package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import io.searchmigrate.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Elasticsearch 8's clients send versioned media types ({@code application/vnd.elasticsearch+json; compatible-with=8})
 * with every request; OpenSearch refuses them with 406. Captured from a real 8.15.0 source through the proxy and
 * replayed into OpenSearch 2.19.1, they are sent as plain JSON and NDJSON, and the index the client created (with a
 * {@code flattened} field, which OpenSearch calls {@code flat_object}) is created, and its mapping updated, as the
 * metadata command would: the target holds the source's documents.
 */
class ReplayFromElasticsearch8Test {
  private static final String JSON_8 = "application/vnd.elasticsearch+json; compatible-with=8";
  private static final String NDJSON_8 = "application/vnd.elasticsearch+x-ndjson; compatible-with=8";

  @Test
  void anElasticsearch8ClientsWritesReachTheTarget(@TempDir Path dir) throws Exception {
    LocalCluster source = TestClusters.elasticsearch("8.15.0");
    LocalCluster target = TestClusters.opensearchWithModules("2.19.1");
    String index = "replay-e8-" + Long.toString(System.nanoTime(), 36);
    ReplayJourney journey = new ReplayJourney(source, target, TestKafka.shared(), index, "capture-" + index, dir);
    String proxy = journey.startProxy("replay-e8");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      send(client, proxy, "PUT", "/" + index, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
          + "\"mappings\":{\"properties\":{\"k\":{\"type\":\"keyword\"},\"labels\":{\"type\":\"flattened\"}}}}", JSON_8);
      send(client, proxy, "PUT", "/" + index + "/_doc/1", "{\"k\":\"one\",\"labels\":{\"color\":\"red\"}}", JSON_8);
      send(client, proxy, "POST", "/" + index + "/_bulk", "{\"index\":{}}\n{\"k\":\"auto\"}\n".repeat(8)
          + "{\"index\":{\"_id\":\"2\"}}\n{\"k\":\"two\"}\n", NDJSON_8);
      send(client, proxy, "POST", "/" + index + "/_update/1", "{\"doc\":{\"k\":\"one, updated\"}}", JSON_8);
      send(client, proxy, "PUT", "/" + index + "/_mapping", "{\"properties\":{\"more\":{\"type\":\"flattened\"}}}", JSON_8);
      send(client, proxy, "PUT", "/" + index + "/_doc/3", "{\"k\":\"three\",\"more\":{\"size\":\"L\"}}", JSON_8);
    } finally {
      journey.stopProxy();
    }
    ConsoleRun replay = ConsoleRun.of("replay", "run", "--kafka", journey.kafka.bootstrap(), "--topic", journey.topic,
        "--group", "group-" + index, "--target", target.url(), "--source", source.url(), "--tuples",
        dir.resolve("tuples").toString(), "--speedup", "max", "--until-drained");
    assertEquals(0, replay.exitCode, replay::toString);
    assertTrue(replay.out.contains("; mismatches: 0)"), replay::toString);
    journey.assertTargetEqualsSource(); // eleven documents, eight with the ids the source gave
    JsonNode mapping = ClusterClient.connect(target.endpoint()).getJson("/" + index + "/_mapping")
        .at("/" + index + "/mappings/properties");
    assertEquals("flat_object", mapping.at("/labels/type").asText(), "the index created as the metadata command would");
    assertEquals("flat_object", mapping.at("/more/type").asText(), "and so the field its mapping update added");
    List<JsonNode> writes = ReplayJourney.readLines(dir.resolve("tuples"), "tuples").stream()
        .filter(t -> !t.at("/source_request/method").asText().equals("GET")).toList();
    assertEquals(6, writes.size(), writes::toString);
    for (JsonNode tuple : writes) {
      assertTrue(tuple.path("rewrites").toString().contains("compatible-media-types"), tuple::toString);
      assertEquals(tuple.at("/source_response/status").asInt(), tuple.at("/target_response/status").asInt(),
          tuple::toString);
    }
  }

  /** As an Elasticsearch 8 client sends it: the versioned media type in Content-Type and Accept. */
  private static void send(HttpClient client, String proxy, String method, String path, String body, String contentType)
      throws Exception {
    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(proxy + path))
        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .header("Content-Type", contentType).header("Accept", JSON_8).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(answer.statusCode() < 300, method + " " + path + ": " + answer.statusCode() + " " + answer.body());
  }
}
