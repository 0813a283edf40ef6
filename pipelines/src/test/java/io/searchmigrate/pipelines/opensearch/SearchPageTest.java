package io.searchmigrate.pipelines.opensearch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.document.SourceDocument;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchPageTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keepsEachSourceByteForByteWithItsIdRoutingAndIndex() {
    String first = "{ \"title\" : \"caf\\u00e9 \\\"x\\\"\", \"n\": 1.50, \"nested\": {\"a\": [1, {\"b\": null}]} }";
    String second = "{\"t\":\"é}{\"}";
    String answer = "{\"_scroll_id\":\"abc==\",\"took\":3,\"timed_out\":false,\"_shards\":{\"total\":1},"
        + "\"hits\":{\"total\":{\"value\":2,\"relation\":\"eq\"},\"max_score\":null,\"hits\":["
        + "{\"_index\":\"orders\",\"_id\":\"1\",\"_score\":null,\"_routing\":\"r7\",\"_source\":" + first
        + ",\"sort\":[0]},"
        + "{\"_index\":\"orders-b\",\"_id\":\"2\",\"_source\":" + second + ",\"sort\":[1]}]}}";
    SearchPage page = SearchPage.parse(utf8(answer), "orders", false);
    assertEquals("abc==", page.scrollId());
    List<SourceDocument> docs = page.documents();
    assertEquals(2, docs.size());
    assertEquals("orders", docs.get(0).index());
    assertEquals("1", docs.get(0).id());
    assertEquals("r7", docs.get(0).routing());
    assertNull(docs.get(0).type());
    assertArrayEquals(utf8(first), docs.get(0).source());
    assertEquals("orders-b", docs.get(1).index());
    assertNull(docs.get(1).routing());
    assertArrayEquals(utf8(second), docs.get(1).source());
  }

  @Test
  void keepsTypesOnlyWhenAskedAndNamesTheReadIndexWhereAHitDoesNot() {
    String answer = "{\"hits\":{\"hits\":[{\"_type\":\"doc\",\"_id\":\"a\",\"_source\":{}}]},\"_scroll_id\":\"s\"}";
    assertEquals("doc", SearchPage.parse(utf8(answer), "logs", true).documents().get(0).type());
    SourceDocument untyped = SearchPage.parse(utf8(answer), "logs", false).documents().get(0);
    assertNull(untyped.type());
    assertEquals("logs", untyped.index());
    assertArrayEquals(utf8("{}"), untyped.source());
  }

  @Test
  void aPageWithoutHitsEndsTheScrollAndAHitWithoutSourceHasNone() {
    SearchPage empty = SearchPage.parse(utf8("{\"_scroll_id\":\"s\",\"hits\":{\"total\":0,\"hits\":[]}}"), "i", false);
    assertEquals("s", empty.scrollId());
    assertTrue(empty.documents().isEmpty());
    SourceDocument bare = SearchPage.parse(utf8("{\"hits\":{\"hits\":[{\"_id\":\"x\",\"_routing\":null}]}}"), "i", false)
        .documents().get(0);
    assertNull(bare.source());
    assertNull(bare.routing());
    assertEquals("x", bare.id());
  }

  @Test
  void anAnswerThatIsNotJsonSaysSo() {
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> SearchPage.parse(utf8("<html>bad gateway</html>"), "i", false));
    assertTrue(e.getMessage().startsWith("a search answer that is not the JSON a search answers with"), e.getMessage());
  }
}
