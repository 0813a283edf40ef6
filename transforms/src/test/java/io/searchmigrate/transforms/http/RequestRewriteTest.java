package io.searchmigrate.transforms.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.searchmigrate.common.UserError;
import io.searchmigrate.common.http.ClusterEndpoint;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay's rewriting rules on captured request bytes: each rule alone, then in a chain. */
class RequestRewriteTest {
  private static final ClusterVersion ES5 = ClusterVersion.elasticsearch("5.6.16");
  private static final ClusterVersion ES6 = ClusterVersion.elasticsearch("6.8.23");
  private static final ClusterVersion ES7 = ClusterVersion.elasticsearch("7.10.2");
  private static final ClusterVersion OS2 = ClusterVersion.opensearch("2.19.1");
  private static final TypelessRequests FROM_ES6 = TypelessRequests.of(ES6, OS2, MigrationOptions.defaults(), Set.of());

  private static HttpRequestMessage request(String method, String target, String body) {
    String head = method + " " + target + " HTTP/1.1\r\nHost: source:9200\r\nContent-Type: application/json\r\n"
        + (body == null ? "" : "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n") + "\r\n";
    return HttpRequestMessage.parse((head + (body == null ? "" : body)).getBytes(StandardCharsets.UTF_8));
  }

  private static HttpRequestMessage one(RequestRewrite rule, HttpRequestMessage request) {
    List<HttpRequestMessage> out = rule.apply(request);
    assertEquals(1, out.size(), out.toString());
    return out.get(0);
  }

  @Test
  void requestsParseFromCapturedBytesWithChunkedAndGzippedBodies() throws IOException {
    HttpRequestMessage plain = request("PUT", "/books/_doc/1?refresh=true", "{\"title\":\"Dune\"}");
    assertEquals("PUT", plain.method());
    assertEquals("/books/_doc/1?refresh=true", plain.target());
    assertEquals(List.of("books", "_doc", "1"), plain.segments());
    assertEquals("{\"title\":\"Dune\"}", plain.bodyText());

    String chunked = "POST /_bulk HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "19\r\n{\"index\":{\"_index\":\"b\"}}\n\r\n" + "a\r\n{\"t\":\"x\"}\n\r\n" + "0\r\n\r\n";
    HttpRequestMessage dechunked = HttpRequestMessage.parse(chunked.getBytes(StandardCharsets.US_ASCII));
    assertEquals("{\"index\":{\"_index\":\"b\"}}\n{\"t\":\"x\"}\n", dechunked.bodyText());
    assertEquals(null, dechunked.header("Transfer-Encoding"), "the framing is undone, not carried over");

    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write("{\"query\":{\"match_all\":{}}}".getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    raw.writeBytes(("POST /books/_search HTTP/1.1\r\nHost: s\r\nContent-Encoding: gzip\r\nContent-Length: " + zipped.size()
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    raw.writeBytes(zipped.toByteArray());
    HttpRequestMessage unzipped = HttpRequestMessage.parse(raw.toByteArray());
    assertEquals("{\"query\":{\"match_all\":{}}}", unzipped.bodyText());
    assertEquals("POST /books/_search HTTP/1.1\r\nHost: s\r\nContent-Length: 26\r\n\r\n{\"query\":{\"match_all\":{}}}",
        new String(unzipped.toBytes(), StandardCharsets.UTF_8), "written back plain, with its length");
  }

  @Test
  void bytesThatAreNotARequestSayWhatIsWrong() {
    assertEquals("not an HTTP/1.x request line: 'HELLO'", assertThrows(IllegalArgumentException.class,
        () -> HttpRequestMessage.parse("HELLO\r\n\r\n".getBytes(StandardCharsets.US_ASCII))).getMessage());
    assertEquals("the body is cut short: Content-Length 10 but 3 bytes", assertThrows(IllegalArgumentException.class,
        () -> HttpRequestMessage.parse("PUT /a HTTP/1.1\r\nContent-Length: 10\r\n\r\n{\"a".getBytes(StandardCharsets.US_ASCII)))
        .getMessage());
    assertEquals("not an HTTP request: no blank line after the headers in 15 bytes", assertThrows(IllegalArgumentException.class,
        () -> HttpRequestMessage.parse("GET / HTTP/1.1\r".getBytes(StandardCharsets.US_ASCII))).getMessage());
  }

  @Test
  void typedPathsLoseTheirTypes() {
    assertEquals("PUT /books/_doc/1", one(FROM_ES6, request("PUT", "/books/doc/1", "{}")).toString());
    assertEquals("POST /books/_doc", one(FROM_ES6, request("POST", "/books/doc", "{}")).toString());
    assertEquals("POST /books/_update/1", one(FROM_ES6, request("POST", "/books/doc/1/_update", "{\"doc\":{}}")).toString());
    assertEquals("PUT /books/_create/7", one(FROM_ES6, request("PUT", "/books/doc/7/_create", "{}")).toString());
    assertEquals("DELETE /books/_doc/1", one(FROM_ES6, request("DELETE", "/books/doc/1", null)).toString());
    assertEquals("POST /books/_doc/_QxPKqIBWapaWj5Was9L", one(FROM_ES6, request("POST", "/books/doc/_QxPKqIBWapaWj5Was9L", "{}"))
        .toString(), "an id may start with '_' (one generated id in 64 does)");
    assertEquals("POST /books/_mtermvectors", one(FROM_ES6, request("POST", "/books/doc/_mtermvectors", "{}")).toString());
    assertEquals("GET /books/_search?q=title%3Adune", one(FROM_ES6, request("GET", "/books/doc/_search?q=title:dune", null)).toString());
    assertEquals("GET /books,films/_count", one(FROM_ES6, request("GET", "/books,films/doc/_count", null)).toString());
    assertEquals("GET /books/_mapping", one(FROM_ES6, request("GET", "/books/_mapping/doc", null)).toString());
    assertEquals("GET /books/_search", one(FROM_ES6, request("GET", "/books/_search?include_type_name=false", null)).toString());
    HttpRequestMessage untouched = request("GET", "/books/_doc/1", null);
    assertSame(untouched, one(FROM_ES6, untouched), "a typeless request is left as it is");
    // Elasticsearch 7 still takes _doc as a type in the old places; OpenSearch answers 400 "no handler found"
    TypelessRequests fromEs7 = TypelessRequests.of(ES7, OS2, MigrationOptions.defaults(), Set.of());
    assertEquals("POST /books/_update/1", one(fromEs7, request("POST", "/books/_doc/1/_update", "{\"doc\":{}}")).toString());
    assertEquals("PUT /books/_create/1", one(fromEs7, request("PUT", "/books/_doc/1/_create", "{}")).toString());
    assertEquals("GET /books/_search", one(fromEs7, request("GET", "/books/_doc/_search", null)).toString());
    for (String typeless : new String[] {"/books/_doc", "/books/_doc/1", "/books/_update/1", "/books/_search"}) {
      HttpRequestMessage as = request("POST", typeless, "{}");
      assertSame(as, one(fromEs7, as), typeless + " is left as it is");
    }
    HttpRequestMessage es8 = request("PUT", "/books/doc/1", "{}");
    assertSame(es8, one(TypelessRequests.of(ClusterVersion.elasticsearch("8.15.0"), OS2, MigrationOptions.defaults(), Set.of()), es8));
  }

  @Test
  void typedBodiesLoseTheirTypes() {
    HttpRequestMessage mapping = one(FROM_ES6, request("PUT", "/books/_mapping/doc",
        "{\"doc\":{\"properties\":{\"title\":{\"type\":\"text\"}}}}"));
    assertEquals("PUT /books/_mapping", mapping.toString());
    assertEquals("{\"properties\":{\"title\":{\"type\":\"text\"}}}", mapping.bodyText());

    HttpRequestMessage bulk = one(FROM_ES6, request("POST", "/_bulk", "{\"index\":{\"_index\":\"books\",\"_type\":\"doc\",\"_id\":\"1\"}}\n"
        + "{\"title\":\"Dune\"}\n{\"delete\":{\"_index\":\"books\",\"_type\":\"doc\",\"_id\":\"2\"}}\n"
        + "{\"update\":{\"_index\":\"books\",\"_type\":\"doc\",\"_id\":\"3\"}}\n{\"doc\":{\"title\":\"Emma\"}}\n"));
    assertEquals("{\"index\":{\"_index\":\"books\",\"_id\":\"1\"}}\n{\"title\":\"Dune\"}\n{\"delete\":{\"_index\":\"books\",\"_id\":\"2\"}}\n"
        + "{\"update\":{\"_index\":\"books\",\"_id\":\"3\"}}\n{\"doc\":{\"title\":\"Emma\"}}\n", bulk.bodyText());

    HttpRequestMessage onType = one(FROM_ES6, request("POST", "/books/doc/_bulk", "{\"index\":{\"_id\":\"1\"}}\n{\"t\":1}\n"));
    assertEquals("POST /books/_bulk", onType.toString());
    assertEquals("{\"index\":{\"_id\":\"1\"}}\n{\"t\":1}\n", onType.bodyText());

    HttpRequestMessage mget = one(FROM_ES6, request("GET", "/_mget", "{\"docs\":[{\"_index\":\"books\",\"_type\":\"doc\",\"_id\":\"1\"}]}"));
    assertEquals("{\"docs\":[{\"_index\":\"books\",\"_id\":\"1\"}]}", mget.bodyText());
  }

  @Test
  void indexCreationGoesThroughTheMetadataTransformations() {
    HttpRequestMessage created = one(TypelessRequests.of(ES5, OS2, MigrationOptions.defaults(), Set.of()), request("PUT", "/library",
        "{\"settings\":{\"number_of_shards\":1},\"mappings\":{\"book\":{\"properties\":{\"title\":{\"type\":\"string\"}}}}}"));
    assertEquals("PUT /library", created.toString());
    assertEquals("text", Json.parse(created.body()).path("mappings").path("properties").path("title").path("type").asText(),
        created.bodyText());
    assertEquals(1, Json.parse(created.body()).path("settings").path("number_of_shards").asInt(), created.bodyText());

    HttpRequestMessage es7Typed = one(TypelessRequests.of(ES7, OS2, MigrationOptions.defaults(), Set.of()), request("PUT",
        "/films?include_type_name=true", "{\"mappings\":{\"_doc\":{\"properties\":{\"year\":{\"type\":\"integer\"}}}}}"));
    assertEquals("PUT /films", es7Typed.toString());
    assertEquals("integer", Json.parse(es7Typed.body()).path("mappings").path("properties").path("year").path("type").asText(),
        es7Typed.bodyText());

    // templates too: a typed legacy template of Elasticsearch 6 would be refused ("unsupported parameters: [doc ...]")
    HttpRequestMessage template = one(FROM_ES6, request("PUT", "/_template/events", "{\"index_patterns\":[\"ev-*\"],"
        + "\"order\":2,\"settings\":{\"number_of_shards\":5},\"mappings\":{\"doc\":{\"properties\":{\"e\":{\"type\":\"keyword\"}}}}}"));
    assertEquals("PUT /_template/events", template.toString());
    JsonNode body = Json.parse(template.body());
    assertEquals("keyword", body.at("/mappings/properties/e/type").asText(), template.bodyText());
    assertEquals(List.of("ev-*"), List.of(body.at("/index_patterns/0").asText()), template.bodyText());
    assertEquals(2, body.path("order").asInt(), template.bodyText());
    assertEquals("5", body.at("/settings/index.number_of_shards").asText(body.at("/settings/number_of_shards").asText()),
        template.bodyText());
    HttpRequestMessage indexTemplate = one(TypelessRequests.of(ES7, OS2, MigrationOptions.defaults(), Set.of()), request("PUT",
        "/_index_template/logs", "{\"index_patterns\":[\"logs-*\"],\"allow_auto_create\":true,\"template\":{\"mappings\":"
            + "{\"properties\":{\"m\":{\"type\":\"text\"}}}}}"));
    assertEquals(false, Json.parse(indexTemplate.body()).has("allow_auto_create"), "an Elasticsearch-only field: " + indexTemplate.bodyText());
    assertEquals("text", Json.parse(indexTemplate.body()).at("/template/mappings/properties/m/type").asText(), indexTemplate.bodyText());
  }

  @Test
  void indexCreationFromElasticsearch8AndOpenSearchGoesThroughTheMetadataTransformationsToo() {
    HttpRequestMessage fromEs8 = one(TypelessRequests.of(ClusterVersion.elasticsearch("8.15.0"), OS2,
        MigrationOptions.defaults(), Set.of()), request("PUT", "/tags", "{\"settings\":{\"number_of_shards\":2},"
            + "\"mappings\":{\"properties\":{\"labels\":{\"type\":\"flattened\"},\"k\":{\"type\":\"keyword\"}}}}"));
    assertEquals("PUT /tags", fromEs8.toString());
    JsonNode body = Json.parse(fromEs8.body());
    assertEquals("flat_object", body.at("/mappings/properties/labels/type").asText(), fromEs8.bodyText());
    assertEquals("keyword", body.at("/mappings/properties/k/type").asText(), fromEs8.bodyText());
    assertEquals("2", body.at("/settings/index.number_of_shards").asText(body.at("/settings/number_of_shards").asText()),
        fromEs8.bodyText());

    HttpRequestMessage fromOs2 = one(TypelessRequests.of(OS2, ClusterVersion.opensearch("3.1.0"), MigrationOptions.defaults(),
        Set.of()), request("PUT", "/files", "{\"settings\":{\"index.store.hybrid.mmap.extensions\":[\"nvd\"],"
            + "\"number_of_replicas\":0},\"mappings\":{\"properties\":{\"p\":{\"type\":\"keyword\"}}}}"));
    JsonNode os = Json.parse(fromOs2.body());
    assertEquals(false, fromOs2.bodyText().contains("hybrid"), "a setting OpenSearch 3 refuses: " + fromOs2.bodyText());
    assertEquals("keyword", os.at("/mappings/properties/p/type").asText(), fromOs2.bodyText());
    HttpRequestMessage mappingFromEs8 = one(TypelessRequests.of(ClusterVersion.elasticsearch("8.15.0"), OS2,
        MigrationOptions.defaults(), Set.of()), request("PUT", "/tags/_mapping", "{\"properties\":{\"more\":{\"type\":\"flattened\"}}}"));
    assertEquals("{\"properties\":{\"more\":{\"type\":\"flat_object\"}}}", mappingFromEs8.bodyText(), "a mapping update too");
    HttpRequestMessage mappingFromEs5 = one(TypelessRequests.of(ES5, OS2, MigrationOptions.defaults(), Set.of()),
        request("PUT", "/library/_mapping/book", "{\"book\":{\"properties\":{\"isbn\":{\"type\":\"string\",\"index\":\"not_analyzed\"}}}}"));
    assertEquals("PUT /library/_mapping", mappingFromEs5.toString());
    assertEquals("keyword", Json.parse(mappingFromEs5.body()).at("/properties/isbn/type").asText(), mappingFromEs5.bodyText());
    HttpRequestMessage plainMapping = request("PUT", "/films/_mapping", "{\"properties\":{\"year\":{\"type\":\"integer\"}}}");
    assertSame(plainMapping, one(TypelessRequests.of(ES7, OS2, MigrationOptions.defaults(), Set.of()), plainMapping),
        "nothing to change: sent as captured");
    HttpRequestMessage typedLooking = request("PUT", "/files/doc/1", "{}");
    assertSame(typedLooking, one(TypelessRequests.of(OS2, ClusterVersion.opensearch("3.1.0"), MigrationOptions.defaults(),
        Set.of()), typedLooking), "no types to take out of an OpenSearch source's requests");
  }

  @Test
  void aSplitMultiTypeIndexSendsEachTypeToItsOwnIndex() {
    TypelessRequests split = TypelessRequests.of(ES5, OS2, MigrationOptions.defaults().withMultiType("split"), Set.of("lib"));
    assertEquals("PUT /lib_book/_doc/1", one(split, request("PUT", "/lib/book/1", "{}")).toString());
    assertEquals("PUT /films/_doc/1", one(split, request("PUT", "/films/movie/1", "{}")).toString(), "not multi-type: merged");
    HttpRequestMessage bulk = one(split, request("POST", "/_bulk", "{\"index\":{\"_index\":\"lib\",\"_type\":\"book\",\"_id\":\"1\"}}\n"
        + "{\"t\":1}\n{\"index\":{\"_index\":\"lib\",\"_type\":\"dvd\",\"_id\":\"2\"}}\n{\"t\":2}\n"));
    assertEquals("{\"index\":{\"_index\":\"lib_book\",\"_id\":\"1\"}}\n{\"t\":1}\n{\"index\":{\"_index\":\"lib_dvd\",\"_id\":\"2\"}}\n"
        + "{\"t\":2}\n", bulk.bodyText());
  }

  @Test
  void theTargetGetsItsOwnHostAndCredentialsNeverTheClients(@TempDir Path temp) throws IOException {
    HttpRequestMessage captured = HttpRequestMessage.parse(("GET /books/_search HTTP/1.1\r\nHost: source:9200\r\n"
        + "Authorization: Basic c291cmNlOnNlY3JldA==\r\nProxy-Authorization: Basic eDp5\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    HttpRequestMessage anonymous = one(TargetHostAndAuth.of(ClusterEndpoint.of("http://target.example:9200")), captured);
    assertEquals(List.of(new HttpRequestMessage.Header("Host", "target.example:9200")), anonymous.headers());

    Path password = temp.resolve("password");
    Files.writeString(password, "t4rget");
    ClusterEndpoint target = ClusterEndpoint.describe("target", "https://target.example:9243", "admin", null, password.toString(),
        null, false);
    HttpRequestMessage authenticated = one(TargetHostAndAuth.of(target), captured);
    assertEquals("Basic YWRtaW46dDRyZ2V0", authenticated.header("Authorization"));
    assertEquals("[Header[name=Host, value=target.example:9243], Header[name=Authorization, value=[redacted]]]",
        authenticated.redactedHeaders().toString(), "shown redacted in tuples");
  }

  @Test
  void userRulesDropRewriteAndSetHeaders() {
    UserRules rules = UserRules.parse("{\"rules\":["
        + "{\"name\":\"no-monitoring\",\"match\":{\"method\":\"get\",\"path\":\"^/_(nodes|cat)/\"},\"drop\":true},"
        + "{\"name\":\"renamed\",\"match\":{\"path\":\"^/orders_v1(/|$)\"},\"rewrite_path\":{\"from\":\"^/orders_v1\",\"to\":\"/orders\"}},"
        + "{\"name\":\"tag\",\"match\":{\"header\":{\"User-Agent\":\"legacy/\"}},\"set_headers\":{\"X-From\":\"es6\"},"
        + "\"remove_headers\":[\"Content-Type\"]}]}", "rules.json");
    assertEquals(List.of(), rules.apply(request("GET", "/_cat/indices", null)));
    assertEquals(1, rules.apply(request("POST", "/_cat/indices", null)).size(), "the method must match too");
    assertEquals("PUT /orders/_doc/1?refresh=true", one(rules, request("PUT", "/orders_v1/_doc/1?refresh=true", "{}")).toString());
    HttpRequestMessage legacy = HttpRequestMessage.parse(("GET / HTTP/1.1\r\nHost: s\r\nUser-Agent: legacy/1.0\r\n"
        + "Content-Type: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    assertEquals("[Header[name=Host, value=s], Header[name=User-Agent, value=legacy/1.0], Header[name=X-From, value=es6]]",
        one(rules, legacy).headers().toString());
    assertEquals("tag", rules.matchingRule(legacy));
  }

  @Test
  void badRulesAreExplained() {
    assertEquals("rules file r.json, rule 1 ('x'): unknown key 'rewrite' (known: drop, match, name, remove_headers, "
        + "rewrite_path, set_headers)", assertThrows(UserError.class,
            () -> UserRules.parse("{\"rules\":[{\"name\":\"x\",\"rewrite\":{}}]}", "r.json")).getMessage());
    assertEquals("rules file r.json, rule 1: '(' is not a regular expression: Unclosed group", assertThrows(UserError.class,
        () -> UserRules.parse("{\"rules\":[{\"match\":{\"path\":\"(\"},\"drop\":true}]}", "r.json")).getMessage());
    assertEquals("rules file r.json, rule 1 ('idle') does nothing: give it 'drop', 'rewrite_path', 'set_headers' or "
        + "'remove_headers'", assertThrows(UserError.class,
            () -> UserRules.parse("{\"rules\":[{\"name\":\"idle\",\"match\":{\"path\":\"/\"}}]}", "r.json")).getMessage());
    assertEquals("rules file r.json should hold {\"rules\": [ ... ]} (see the replay section of the README)",
        assertThrows(UserError.class, () -> UserRules.parse("[]", "r.json")).getMessage());
  }

  @Test
  void aChainNamesTheRulesThatChangedARequest() {
    RequestRewriter rewriter = RequestRewriter.of(FROM_ES6,
        UserRules.parse("{\"rules\":[{\"name\":\"no-cat\",\"match\":{\"path\":\"^/_cat\"},\"drop\":true}]}", "r.json"),
        TargetHostAndAuth.of(ClusterEndpoint.of("http://target:9200")));
    RequestRewriter.Result typed = rewriter.rewrite(request("PUT", "/books/doc/1", "{\"t\":1}"));
    assertEquals("[PUT /books/_doc/1]", typed.requests().toString());
    assertEquals(List.of("typeless-requests", "target-host-and-auth"), typed.applied());
    RequestRewriter.Result dropped = rewriter.rewrite(request("GET", "/_cat/health", null));
    assertEquals(List.of(), dropped.requests());
    assertEquals(List.of("user-rules"), dropped.applied());
  }
}
