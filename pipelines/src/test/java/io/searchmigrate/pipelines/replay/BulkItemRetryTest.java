package io.searchmigrate.pipelines.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.searchmigrate.common.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Only the items a target could not take for now are sent again, and their results go back in place. */
class BulkItemRetryTest {
  private static final String BODY = """
      {"index":{"_index":"i","_id":"1"}}
      {"n":1}
      {"delete":{"_index":"i","_id":"2"}}
      {"update":{"_index":"i","_id":"3"}}
      {"doc":{"n":3}}
      {"create":{"_index":"i","_id":"4"}}
      {"n":4}
      """;

  @Test
  void theItemsAnswered429Or5xxAreSentAgainAndMergedBackInPlace() {
    String answer = "{\"took\":3,\"errors\":true,\"items\":["
        + "{\"index\":{\"_id\":\"1\",\"status\":201}},"
        + "{\"delete\":{\"_id\":\"2\",\"status\":429}},"
        + "{\"update\":{\"_id\":\"3\",\"status\":503}},"
        + "{\"create\":{\"_id\":\"4\",\"status\":409}}]}";
    BulkItemRetry bulk = BulkItemRetry.of(bytes(BODY), bytes(answer));
    assertTrue(bulk.hasRetryableItems());
    assertEquals("{\"delete\":{\"_index\":\"i\",\"_id\":\"2\"}}\n{\"update\":{\"_index\":\"i\",\"_id\":\"3\"}}\n"
        + "{\"doc\":{\"n\":3}}\n", new String(bulk.retryBody(), StandardCharsets.UTF_8), "a refused item (409) is not");

    BulkItemRetry once = bulk.merge(bytes("{\"errors\":true,\"items\":[{\"delete\":{\"_id\":\"2\",\"status\":200}},"
        + "{\"update\":{\"_id\":\"3\",\"status\":429}}]}"));
    assertEquals("{\"update\":{\"_index\":\"i\",\"_id\":\"3\"}}\n{\"doc\":{\"n\":3}}\n",
        new String(once.retryBody(), StandardCharsets.UTF_8));
    BulkItemRetry done = once.merge(bytes("{\"errors\":false,\"items\":[{\"update\":{\"_id\":\"3\",\"status\":200}}]}"));
    assertFalse(done.hasRetryableItems());
    assertEquals(Json.parse("{\"took\":3,\"errors\":true,\"items\":["
        + "{\"index\":{\"_id\":\"1\",\"status\":201}},{\"delete\":{\"_id\":\"2\",\"status\":200}},"
        + "{\"update\":{\"_id\":\"3\",\"status\":200}},{\"create\":{\"_id\":\"4\",\"status\":409}}]}"),
        Json.parse(new String(done.answer(), StandardCharsets.UTF_8)), "errors stays true: the 409 is the document's own");
  }

  @Test
  void anAnswerThatDoesNotMatchTheActionsIsLeftAlone() {
    assertNull(BulkItemRetry.of(bytes(BODY), bytes("{}")));
    assertNull(BulkItemRetry.of(bytes(BODY), bytes("{\"items\":[{\"index\":{\"status\":429}}]}")), "item count differs");
    assertNull(BulkItemRetry.of(bytes("not json\n"), bytes("{\"items\":[]}")));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
