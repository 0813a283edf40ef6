package io.searchmigrate.pipelines.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A replayed {@code _bulk} whose answer holds items the target could not take for now (429, 5xx): the body of just
 * those items to send again, and the answer with their new results put back in place, as the backfill's bulk writer
 * does for its own batches. Items the target refused for themselves (4xx) stay as they are: they show in the tuple.
 *
 * <pre>{@code
 * BulkItemRetry bulk = BulkItemRetry.of(requestBody, answerBody);
 * while (bulk != null && bulk.hasRetryableItems()) { bulk = bulk.merge(send(bulk.retryBody())); }
 * }</pre>
 */
final class BulkItemRetry {
  private final List<byte[]> entries;
  private final ObjectNode answer;
  private final List<Integer> retryable;

  private BulkItemRetry(List<byte[]> entries, ObjectNode answer) {
    this.entries = entries;
    this.answer = answer;
    this.retryable = new ArrayList<>();
    JsonNode items = answer.path("items");
    for (int i = 0; i < items.size(); i++) {
      if (isRetryable(items.get(i))) {
        retryable.add(i);
      }
    }
  }

  /** Null when the answer is not a bulk answer with one item per action of the body (nothing to retry by item). */
  static BulkItemRetry of(byte[] body, byte[] answerBody) {
    JsonNode answer;
    try {
      answer = Json.parse(new String(answerBody, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
    List<byte[]> entries = entries(body);
    if (!(answer instanceof ObjectNode object) || !answer.path("items").isArray() || entries == null
        || answer.path("items").size() != entries.size()) {
      return null;
    }
    return new BulkItemRetry(entries, object);
  }

  boolean hasRetryableItems() {
    return !retryable.isEmpty();
  }

  /** The actions (with their documents) of the items to send again, in their order. */
  byte[] retryBody() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int i : retryable) {
      body.writeBytes(entries.get(i));
    }
    return body.toByteArray();
  }

  /** This answer with the items of {@link #retryBody()} replaced by their results in {@code retryAnswer}. */
  BulkItemRetry merge(byte[] retryAnswer) {
    JsonNode again;
    try {
      again = Json.parse(new String(retryAnswer, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return this; // not a bulk answer: the items stay as they were, and are tried again
    }
    JsonNode items = again.path("items");
    if (!items.isArray() || items.size() != retryable.size()) {
      return this;
    }
    ObjectNode merged = answer.deepCopy();
    ArrayNode all = (ArrayNode) merged.get("items");
    for (int k = 0; k < retryable.size(); k++) {
      all.set(retryable.get(k), items.get(k));
    }
    boolean errors = false;
    for (JsonNode item : all) {
      errors |= status(item) >= 300;
    }
    merged.put("errors", errors);
    return new BulkItemRetry(entries, merged);
  }

  byte[] answer() {
    return Json.toString(answer).getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isRetryable(JsonNode item) {
    int status = status(item);
    return status == 429 || status >= 500;
  }

  private static int status(JsonNode item) {
    JsonNode result = item.isObject() && item.size() == 1 ? item.elements().next() : item;
    return result.path("status").asInt(200);
  }

  /** The body's actions, each with its document line (none for delete); null when it is not bulk NDJSON. */
  private static List<byte[]> entries(byte[] body) {
    List<String> lines = new String(body, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    List<byte[]> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      JsonNode action;
      try {
        action = Json.parse(lines.get(i));
      } catch (RuntimeException e) {
        return null;
      }
      if (!action.isObject() || action.size() != 1) {
        return null;
      }
      String entry = lines.get(i) + "\n";
      if (!action.has("delete")) {
        if (i + 1 >= lines.size()) {
          return null;
        }
        entry += lines.get(++i) + "\n";
      }
      entries.add(entry.getBytes(StandardCharsets.UTF_8));
    }
    return entries;
  }
}
