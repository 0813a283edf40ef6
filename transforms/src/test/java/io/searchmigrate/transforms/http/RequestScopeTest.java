package io.searchmigrate.transforms.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which requests of two connections keep their order on the target: those where one could see the other's effect. */
class RequestScopeTest {
  private static RequestScope scope(String method, String target, String body) {
    return RequestScope.of(HttpRequestMessage.of(method, target, List.of(),
        body == null ? null : body.getBytes(StandardCharsets.UTF_8)));
  }

  private static RequestScope scope(String method, String target) {
    return scope(method, target, null);
  }

  @Test
  void requestsAreToldApartByWhatTheyReadAndWrite() {
    assertEquals("write [books] ids [1]", scope("PUT", "/books/_doc/1", "{}").toString());
    assertEquals("write [books] ids [1]", scope("PUT", "/books/book/1?refresh=true", "{}").toString(), "typed");
    assertEquals("write [books] ids [1]", scope("POST", "/books/_update/1", "{}").toString());
    assertEquals("write [books] ids [1]", scope("POST", "/books/_doc/1/_update", "{}").toString(), "Elasticsearch 7, typed");
    assertEquals("write [books] ids [1]", scope("PUT", "/books/book/1/_create", "{}").toString());
    assertEquals("write [books] ids [1]", scope("DELETE", "/books/_doc/1").toString());
    assertEquals("write [books] ids [_x]", scope("PUT", "/books/_doc/_x", "{}").toString(), "an id starting with _");
    assertEquals("write [books]", scope("POST", "/books/_doc", "{}").toString(), "an id the source did not say");
    assertEquals("write [a, b] ids [1, 2, 3]", scope("POST", "/a/_bulk",
        "{\"index\":{\"_id\":\"1\"}}\n{}\n{\"delete\":{\"_index\":\"b\",\"_id\":\"2\"}}\n"
            + "{\"update\":{\"_id\":\"3\"}}\n{\"doc\":{}}\n{\"create\":{}}\n{}\n").toString());
    assertEquals("cluster", scope("POST", "/_bulk", "{\"index\":{\"_id\":\"1\"}}\n{}\n").toString(),
        "an item without an index anywhere: as far as known, anything");
    assertEquals("cluster", scope("POST", "/_bulk", "not a bulk body\n").toString());

    assertEquals("read [books]", scope("GET", "/books/_doc/1").toString());
    assertEquals("read [a, b]", scope("POST", "/a,b/_search", "{}").toString());
    assertEquals("read [books]", scope("POST", "/books/book/_count", "{}").toString());
    assertEquals("read all indices", scope("GET", "/logs-*/_search").toString());
    assertEquals("read all indices", scope("POST", "/_search/scroll", "{}").toString());
    assertEquals("read all indices", scope("POST", "/books/_mget", "{}").toString(), "its documents may name others");
    assertEquals("read all indices", scope("POST", "/books/_msearch", "{}").toString());
    assertEquals("read all indices", scope("GET", "/_cat/indices").toString());
    assertEquals("read all indices", scope("HEAD", "/").toString());

    for (String[] request : new String[][] {{"PUT", "/books"}, {"DELETE", "/books"}, {"PUT", "/books/_mapping"},
        {"PUT", "/books/_mapping/book"}, {"PUT", "/books/_settings"}, {"POST", "/books/_refresh"},
        {"POST", "/_aliases"}, {"PUT", "/_template/t"}, {"POST", "/books/_delete_by_query"},
        {"POST", "/books/book/_update_by_query"}, {"POST", "/books/_close"}, {"PUT", "/_cluster/settings"},
        {"PATCH", "/books/_doc/1"}}) {
      assertEquals("cluster", scope(request[0], request[1], "{}").toString(), String.join(" ", request));
    }
  }

  @Test
  void writesFollowWritesOfTheSameDocumentReadsFollowWritesOfTheirIndicesAndTheClusterWideFollowAll() {
    RequestScope createIndex = scope("PUT", "/books", "{}");
    RequestScope writeOne = scope("PUT", "/books/_doc/1", "{}");
    RequestScope writeOneThroughAlias = scope("POST", "/latest/_bulk", "{\"index\":{\"_id\":\"1\"}}\n{}\n");
    RequestScope writeTwo = scope("PUT", "/books/_doc/2", "{}");
    RequestScope searchBooks = scope("POST", "/books/_search", "{}");
    RequestScope searchOthers = scope("POST", "/films/_search", "{}");
    RequestScope searchAll = scope("POST", "/_search", "{}");

    assertTrue(writeOne.follows(createIndex), "a document written after its index was created");
    assertTrue(createIndex.follows(searchBooks), "what changes the cluster keeps its order with everything");
    assertTrue(writeOneThroughAlias.follows(writeOne), "the same id, through another name");
    assertFalse(writeTwo.follows(writeOne), "other documents: each connection's own order is enough");
    assertTrue(searchBooks.follows(writeOne));
    assertTrue(searchAll.follows(writeOne));
    assertFalse(searchOthers.follows(writeOne));
    assertFalse(writeOne.follows(searchBooks), "a write does not wait for an earlier read");
    assertFalse(searchBooks.follows(searchAll));
  }
}
