package io.searchmigrate.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which requests count as writes: those are held for their capture (and refused when it fails, in reject mode). */
class ExchangeTest {
  @Test
  void writesAreMutatingReadsSentWithPostAreNot() {
    for (String write : new String[] {"PUT /books/_doc/1", "DELETE /books/_doc/1", "PATCH /x", "POST /_bulk",
        "POST /books/_doc", "POST /books/_update/1", "POST /books/_delete_by_query", "POST /books/_doc/_search",
        "POST /books/_refresh", "POST /books", "POST /", "POST http://es:9200/_bulk", "DELETE /_search/scroll"}) {
      String[] mt = write.split(" ");
      assertTrue(Exchange.isMutating(mt[0], mt[1]), write);
    }
    for (String read : new String[] {"GET /books/_doc/1", "HEAD /books", "POST /books/_search", "POST /_search?scroll=1m",
        "POST /_search/scroll", "POST /books,logs/_msearch", "POST /_msearch/template", "POST /books/_count?q=a/b",
        "POST /_mget", "POST /books/_explain/1", "POST /books/_validate/query", "POST /_analyze",
        "POST http://es:9200/books/_search", "POST /books/_search#frag"}) {
      String[] mt = read.split(" ");
      assertFalse(Exchange.isMutating(mt[0], mt[1]), read);
    }
  }

  @Test
  void theApiIsTheFirstSegmentStartingWithAnUnderscore() {
    assertEquals("_search", Exchange.apiName("/a/_search/template?x=_count"));
    assertEquals("_doc", Exchange.apiName("/a/_doc/_search"));
    assertEquals("", Exchange.apiName("/a/b?x=/_search"));
    assertEquals("_bulk", Exchange.apiName("https://h:1/_bulk"));
    assertEquals("", Exchange.apiName("*"));
  }
}
