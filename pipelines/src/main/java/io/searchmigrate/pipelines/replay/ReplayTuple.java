package io.searchmigrate.pipelines.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.transforms.http.HttpRequestMessage;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * One replayed request as a JSON line: what the client sent and the source answered, what the target was sent and
 * answered, and whether the statuses match. Credential headers are redacted; bodies are JSON when they parse, else
 * text (UTF-8) or base64.
 *
 * <pre>{@code
 * String line = ReplayTuple.of(captured, parsedSource, sent, targetStatus, targetBody, targetMillis, rulesApplied);
 * String sampled = ReplayTuple.of(captured, parsedSource, sent, targetStatus, targetBody, targetMillis, rulesApplied,
 *     secondAnswer, secondMillis);
 * }</pre>
 */
final class ReplayTuple {
  private ReplayTuple() {}

  static String of(CapturedRequest captured, HttpRequestMessage source, List<HttpRequestMessage> sent,
      List<Integer> targetStatuses, List<byte[]> targetBodies, List<Long> targetMillis, List<String> rulesApplied) {
    return of(captured, source, sent, targetStatuses, targetBodies, targetMillis, rulesApplied, null, 0);
  }

  /**
   * With {@code repeat}, the target's second answer to the same (single) request, kept as
   * {@code target_response_repeat}: what differs between the two is noise for {@code validate tuples}.
   */
  static String of(CapturedRequest captured, HttpRequestMessage source, List<HttpRequestMessage> sent,
      List<Integer> targetStatuses, List<byte[]> targetBodies, List<Long> targetMillis, List<String> rulesApplied,
      io.searchmigrate.common.http.ClusterResponse repeat, long repeatMillis) {
    ObjectNode tuple = Json.object();
    tuple.put("connection", captured.connection());
    tuple.put("request_index", captured.index());
    tuple.put("timestamp", Instant.EPOCH.plusNanos(captured.requestStartMicros() * 1000).toString());
    tuple.set("source_request", request(source));
    ObjectNode sourceResponse = tuple.putObject("source_response");
    sourceResponse.put("status", captured.status());
    sourceResponse.set("body", body(responseBody(captured.response())));
    sourceResponse.put("latency_ms", Math.max(0, captured.responseEndMicros() - captured.requestEndMicros()) / 1000.0);
    ArrayNode targetRequests = Json.array();
    ArrayNode targetResponses = Json.array();
    for (int i = 0; i < sent.size(); i++) {
      targetRequests.add(request(sent.get(i)));
      ObjectNode response = targetResponses.addObject();
      response.put("status", targetStatuses.get(i));
      response.set("body", body(targetBodies.get(i)));
      response.put("latency_ms", targetMillis.get(i));
    }
    // one captured request usually stays one: then the tuple holds objects, not one-element arrays
    tuple.set("target_request", sent.size() == 1 ? targetRequests.get(0) : targetRequests);
    tuple.set("target_response", sent.size() == 1 ? targetResponses.get(0) : targetResponses);
    if (repeat != null) {
      ObjectNode again = tuple.putObject("target_response_repeat");
      again.put("status", repeat.status());
      again.set("body", body(repeat.body()));
      again.put("latency_ms", repeatMillis);
    }
    tuple.put("status_match", statusesMatch(captured.status(), targetStatuses));
    ArrayNode rules = tuple.putArray("rewrites");
    rulesApplied.forEach(rules::add);
    return Json.toString(tuple);
  }

  /** The target answered every request a captured one became with the source's status. */
  static boolean statusesMatch(int sourceStatus, List<Integer> targetStatuses) {
    return !targetStatuses.isEmpty() && targetStatuses.stream().allMatch(s -> s == sourceStatus);
  }

  private static ObjectNode request(HttpRequestMessage r) {
    ObjectNode node = Json.object();
    node.put("method", r.method());
    node.put("path", r.target());
    ObjectNode headers = node.putObject("headers");
    for (HttpRequestMessage.Header h : r.redactedHeaders()) {
      headers.put(h.name().toLowerCase(java.util.Locale.ROOT), h.value());
    }
    node.set("body", body(r.body()));
    return node;
  }

  /** The body of a captured HTTP response (after its headers); chunk framing is kept as captured. */
  static byte[] responseBody(byte[] response) {
    for (int i = 0; i + 3 < response.length; i++) {
      if (response[i] == '\r' && response[i + 1] == '\n' && response[i + 2] == '\r' && response[i + 3] == '\n') {
        return java.util.Arrays.copyOfRange(response, i + 4, response.length);
      }
    }
    return new byte[0];
  }

  static JsonNode body(byte[] body) {
    if (body == null || body.length == 0) {
      return Json.mapper().nullNode();
    }
    byte first = body[0];
    if (first == '{' || first == '[') {
      try {
        return Json.parse(body);
      } catch (RuntimeException notOneJsonValue) {
        // NDJSON (_bulk, _msearch) or broken JSON: kept as text below
      }
    }
    try {
      return Json.mapper().getNodeFactory().textNode(
          StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body)).toString());
    } catch (CharacterCodingException binary) {
      ObjectNode node = Json.object();
      node.put("base64", Base64.getEncoder().encodeToString(body));
      return node;
    }
  }
}
