package io.searchmigrate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.http.ClusterClient;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.launcher.LocalCluster;
import io.searchmigrate.testkit.TestClusters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** assess on a real Elasticsearch 5.6.16 source names the multi-type index, the string fields and the URL changes. */
class AssessTest {
  @TempDir
  Path temp;

  @Test
  void elasticsearch5SourceAgainstOpenSearch2() throws IOException {
    LocalCluster source = TestClusters.elasticsearch("5.6.16");
    ClusterClient client = ClusterClient.connect(source.endpoint());
    MetadataEndToEndTest.clean(client, "a5");
    client.putJson("/a5_lib", Json.parse("{\"settings\":{\"number_of_shards\":1},\"mappings\":{"
        + "\"book\":{\"properties\":{\"title\":{\"type\":\"text\"}}},\"dvd\":{\"properties\":{\"minutes\":{\"type\":\"integer\"}}}}}"))
        .requireSuccess();
    client.putJson("/_template/a5_tpl", Json.parse("{\"template\":\"a5_t_*\",\"mappings\":{\"doc\":{\"properties\":"
        + "{\"title\":{\"type\":\"string\"},\"code\":{\"type\":\"string\",\"index\":\"not_analyzed\"}}}}}")).requireSuccess();

    ConsoleRun run = ConsoleRun.of("assess", "--source", source.url(), "--target-version", "OS 2.19.1", "--indices", "a5_*",
        "--output", "json");
    assertEquals(0, run.exitCode, run::toString);
    JsonNode report = Json.parse(run.out);
    assertEquals("[\"a5_lib\"]", Json.toString(report.path("indices")), "the indices assessed");
    assertEquals(List.of("index 'a5_lib' (types book, dvd)"), affected(report, "multi-type-indices"));
    assertTrue(affected(report, "string-fields").containsAll(List.of("legacy template 'a5_tpl' field 'title'",
        "legacy template 'a5_tpl' field 'code'")), report.toString());
    assertTrue(affected(report, "types-in-urls").containsAll(List.of("index 'a5_lib' (type 'book')", "index 'a5_lib' (type 'dvd')",
        "legacy template 'a5_tpl' (type 'doc')")), report.toString());
    assertTrue(finding(report, "types-in-urls").path("client_changes").path(0).asText()
        .startsWith("PUT/POST /{index}/{type}/{id} becomes PUT/POST /{index}/_doc/{id}"));
    assertEquals("string-to-text-keyword", finding(report, "string-fields").path("automatic").path(0).path("transformation").asText());
    assertTrue(finding(report, "include-type-name").isMissingNode(), "6.7-7.x only");

    Path html = temp.resolve("assessment.html");
    ConsoleRun page = ConsoleRun.of("assess", "--source", source.url(), "--target-version", "OS 2.19.1", "--indices", "a5_*",
        "--output", "html", "--out", html.toString());
    assertEquals(0, page.exitCode, page::toString);
    String text = Files.readString(html);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(html)), "reports are the owner's");
    assertTrue(text.startsWith("<!DOCTYPE html>") && text.endsWith("</html>\n"));
    assertTrue(text.contains("<h3>Indices with several mapping types<span class=\"kind data\">data</span></h3>"), text);
    assertTrue(text.contains("<li>index 'a5_lib' (types book, dvd)</li>"), text);
    assertFalse(text.contains("<script"), "a static page");

    ConsoleRun plain = ConsoleRun.of("assess", "--source", source.url(), "--target-version", "OS 2.19.1", "--indices", "a5_*");
    assertTrue(plain.out.contains("CLIENT CHANGES REQUIRED") && plain.out.contains("[multi-type-indices]"), plain::toString);
  }

  private static JsonNode finding(JsonNode report, String id) {
    for (JsonNode f : report.path("findings")) {
      if (f.path("id").asText().equals(id)) {
        return f;
      }
    }
    return Json.object().path("missing");
  }

  private static List<String> affected(JsonNode report, String id) {
    List<String> list = new ArrayList<>();
    finding(report, id).path("affected").forEach(a -> list.add(a.asText()));
    return list;
  }
}
