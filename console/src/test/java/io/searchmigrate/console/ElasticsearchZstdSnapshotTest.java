package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Elasticsearch 8.16+ stores best_compression indices with zstd ({@code ZstdStoredFields814} in the
 * {@code Elasticsearch816} codec): the snapshot reader decodes them, checked on a real 8.19.4 source.
 */
class ElasticsearchZstdSnapshotTest {
  @Test
  void zstdStoredFieldsAreReadExactly() throws IOException {
    LocalCluster source = TestClusters.elasticsearch("8.19.4");
    SourceWorkload w = new SourceWorkload(ClusterClient.connect(source.endpoint()));
    ObjectNode mapping = Json.object();
    mapping.putObject("_doc").putObject("properties").putObject("text").put("type", "text");
    w.createIndex("z8_best", 1, mapping, Json.object().put("codec", "best_compression"));
    Map<String, JsonNode> docs = new LinkedHashMap<>();
    for (int i = 1; i <= 500; i++) {
      docs.put("z-" + i, Json.object().put("n", i).put("text", "zstd compressed document number " + i + " ".repeat(i % 7)));
    }
    w.bulk("z8_best", "_doc", docs, null);
    w.refresh("z8_best");
    for (int i = 1; i <= 50; i++) {
      w.delete("z8_best", "_doc", "z-" + (i * 7), null);
    }
    w.update("z8_best", "_doc", "z-1", null, Json.object().put("text", "updated"));
    w.refresh("z8_best");

    Path repository = source.pathRepo().resolve("zstd-" + UUID.randomUUID());
    assertEquals(0, ConsoleRun.of("snapshot", "create", "--source", source.url(), "--repo-path", repository.toString(),
        "--snapshot", "z", "--wait").exitCode);
    try (Stream<Path> blobs = Files.walk(repository.resolve("indices"))) {
      assertTrue(blobs.filter(p -> p.getFileName().toString().startsWith("__")).anyMatch(ElasticsearchZstdSnapshotTest::holdsZstdHeader),
          "the source really wrote zstd stored fields");
    }

    ConsoleRun dump = ConsoleRun.of("snapshot", "dump", "--repo", repository.toString(), "--snapshot", "z", "--index", "z8_best");
    assertEquals(0, dump.exitCode, dump::toString);
    Set<String> expected = new TreeSet<>();
    w.expected().get("z8_best").forEach((id, src) ->
        expected.add(Json.toString(Json.object().put("index", "z8_best").put("id", id).set("source", src))));
    assertEquals(expected, dump.out.lines().collect(Collectors.toCollection(TreeSet::new)));
    assertEquals(450, expected.size());
  }

  private static boolean holdsZstdHeader(Path blob) {
    try {
      return new String(Files.readAllBytes(blob), java.nio.charset.StandardCharsets.ISO_8859_1).contains("ZstdStoredFields814");
    } catch (IOException e) {
      return false;
    }
  }
}
