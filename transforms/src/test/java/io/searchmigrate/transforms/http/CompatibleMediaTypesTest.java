package io.searchmigrate.transforms.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Elasticsearch 8 clients' versioned media types, which OpenSearch refuses with 406, made plain. */
class CompatibleMediaTypesTest {
  @Test
  void versionedMediaTypesBecomePlainAndOthersStay() {
    assertEquals("application/json", CompatibleMediaTypes.plain("application/vnd.elasticsearch+json; compatible-with=8"));
    assertEquals("application/x-ndjson", CompatibleMediaTypes.plain("application/vnd.elasticsearch+x-ndjson;compatible-with=7"));
    assertEquals("application/json; charset=UTF-8",
        CompatibleMediaTypes.plain("Application/VND.Elasticsearch+JSON; compatible-with=8; charset=UTF-8"));
    assertEquals("application/smile", CompatibleMediaTypes.plain("application/vnd.elasticsearch+smile"));
    assertNull(CompatibleMediaTypes.plain("application/json"));
    assertNull(CompatibleMediaTypes.plain("text/plain; charset=UTF-8"));
  }

  @Test
  void contentTypeAndAcceptAreRewrittenAndARequestWithoutThemIsUnchanged() {
    HttpRequestMessage bulk = HttpRequestMessage.of("POST", "/_bulk", List.of(
        new HttpRequestMessage.Header("content-type", "application/vnd.elasticsearch+x-ndjson; compatible-with=8"),
        new HttpRequestMessage.Header("Accept", "application/vnd.elasticsearch+json; compatible-with=8")),
        "{\"index\":{\"_index\":\"i\"}}\n{}\n".getBytes(StandardCharsets.UTF_8));
    HttpRequestMessage plain = CompatibleMediaTypes.INSTANCE.apply(bulk).get(0);
    assertEquals("application/x-ndjson", plain.header("content-type"));
    assertEquals("application/json", plain.header("accept"));
    HttpRequestMessage get = HttpRequestMessage.of("GET", "/i/_doc/1", List.of(
        new HttpRequestMessage.Header("Content-Type", "application/json")), null);
    assertSame(get, CompatibleMediaTypes.INSTANCE.apply(get).get(0));
  }
}
