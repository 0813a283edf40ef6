package io.searchmigrate.transforms.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes a replayed write do on the target what it did on the source, read from the source's answer:
 *
 * <ul>
 *   <li>a document the source gave an id to keeps it: {@code POST /i/_doc} becomes {@code POST /i/_doc/<id>}, and
 *       {@code _bulk} items without {@code _id} get theirs (a {@code create} without id becomes an {@code index}), so the
 *       target holds the same documents under the same ids, and a write replayed after the snapshot already holds it
 *       overwrites it instead of adding a copy;</li>
 *   <li>the optimistic-concurrency conditions of writes the source accepted are dropped ({@code if_seq_no},
 *       {@code if_primary_term}, an internal {@code version}): the target numbers sequence numbers and versions itself,
 *       so it would refuse them with 409, while the source's acceptance already says the condition held, in this
 *       connection's order.</li>
 * </ul>
 *
 * <pre>{@code
 * HttpRequestMessage asOnSource = AsOnTheSource.apply(request, captured.status(), captured.response());
 * }</pre>
 *
 * Writes the source refused, and requests it answered without what is needed here, pass unchanged.
 */
public final class AsOnTheSource {
  /** The name tuples list among the rules applied when this changed a request. */
  public static final String NAME = "as-on-the-source";
  private static final Set<String> WRITE_METHODS = Set.of("PUT", "POST", "DELETE");
  private static final Set<String> DOCUMENT_ENDPOINTS = Set.of("_doc", "_create", "_update");

  private AsOnTheSource() {}

  /**
   * The request as it should be replayed; the same instance when nothing changes. {@code sourceResponse} is the source's
   * whole answer as captured (head and body), read only when the request needs it.
   */
  public static HttpRequestMessage apply(HttpRequestMessage request, int sourceStatus, byte[] sourceResponse) {
    if (sourceStatus < 200 || sourceStatus >= 300 || !WRITE_METHODS.contains(request.method())) {
      return request;
    }
    List<String> s = request.segments();
    if (!s.isEmpty() && s.get(s.size() - 1).equals("_bulk")) {
      return bulk(request, sourceResponse);
    }
    if (s.size() == 2 && request.method().equals("POST") && isIndex(s.get(0)) && isTypeOrDoc(s.get(1))) {
      String id = answer(sourceResponse) instanceof ObjectNode answer ? answer.path("_id").asText(null) : null;
      return id == null ? request : request.withSegments(List.of(s.get(0), s.get(1), id)).withoutQueryParameter("op_type");
    }
    Map<String, List<String>> query = request.query();
    boolean internalVersion = query.containsKey("version") && isInternal(request.queryValue("version_type"));
    if (!query.containsKey("if_seq_no") && !query.containsKey("if_primary_term") && !internalVersion || !isDocumentWrite(s)) {
      return request; // most writes: nothing to look at further
    }
    HttpRequestMessage r = request.withoutQueryParameter("if_seq_no").withoutQueryParameter("if_primary_term");
    return internalVersion ? r.withoutQueryParameter("version").withoutQueryParameter("version_type") : r;
  }

  /** {@code /i/_doc/1}, {@code /i/_create/1}, {@code /i/_update/1}, {@code /i/t/1}, {@code /i/t/1/_update}, ... */
  private static boolean isDocumentWrite(List<String> s) {
    if (s.size() == 3 && isIndex(s.get(0)) && TypelessRequests.isDocumentId(s.get(2))) {
      return DOCUMENT_ENDPOINTS.contains(s.get(1)) || !s.get(1).startsWith("_");
    }
    return s.size() == 4 && isIndex(s.get(0)) && isTypeOrDoc(s.get(1)) && TypelessRequests.isDocumentId(s.get(2))
        && (s.get(3).equals("_update") || s.get(3).equals("_create"));
  }

  private static boolean isIndex(String segment) {
    return !segment.startsWith("_");
  }

  private static boolean isTypeOrDoc(String segment) {
    return segment.equals("_doc") || !segment.startsWith("_");
  }

  private static boolean isInternal(String versionType) {
    return versionType == null || versionType.equals("internal");
  }

  /** Each action line the source answered 2xx for gets the source's id if it had none, and loses its conditions. */
  private static HttpRequestMessage bulk(HttpRequestMessage request, byte[] sourceResponse) {
    BulkBody bulk = BulkBody.parseOrNull(request.bodyText());
    if (bulk == null) {
      return request; // not a bulk body this can follow item by item: sent as captured
    }
    boolean worthAnswer = false;
    for (int n = 0; n < bulk.size() && !worthAnswer; n++) {
      String verb = bulk.verb(n);
      JsonNode meta = bulk.meta(n);
      worthAnswer = (verb.equals("index") || verb.equals("create")) && !meta.has("_id") || hasCondition(meta);
    }
    if (!worthAnswer) {
      return request;
    }
    JsonNode items = answer(sourceResponse) instanceof ObjectNode answer ? answer.path("items") : null;
    if (items == null || !items.isArray() || items.size() != bulk.size()) {
      return request;
    }
    boolean changed = false;
    for (int n = 0; n < bulk.size(); n++) {
      String verb = bulk.verb(n);
      JsonNode item = items.get(n).elements().hasNext() ? items.get(n).elements().next() : null;
      int status = item == null ? 0 : item.path("status").asInt();
      if (status < 200 || status >= 300) {
        continue;
      }
      if (hasCondition(bulk.meta(n))) {
        changed |= dropConditions(bulk.edit(n));
      }
      if ((verb.equals("index") || verb.equals("create")) && !bulk.meta(n).has("_id") && item.hasNonNull("_id")) {
        bulk.edit(n).put("_id", item.path("_id").asText());
        if (verb.equals("create")) {
          bulk.changeVerb(n, "index");
        }
        changed = true;
      }
    }
    return changed ? request.withBody(bulk.toBytes()) : request;
  }

  private static JsonNode answer(byte[] sourceResponse) {
    return sourceResponse == null ? null : Json.parseOrNull(HttpRequestMessage.responseBody(sourceResponse));
  }

  private static boolean hasCondition(JsonNode meta) {
    return meta.has("if_seq_no") || meta.has("if_primary_term") || meta.has("version") || meta.has("_version");
  }

  /** Removes a bulk item's concurrency conditions (external versions stay: they say which write wins anywhere). */
  private static boolean dropConditions(ObjectNode meta) {
    boolean dropped = meta.remove("if_seq_no") != null | meta.remove("if_primary_term") != null;
    for (String[] version : new String[][] {{"version", "version_type"}, {"_version", "_version_type"}}) {
      if (meta.has(version[0]) && isInternal(meta.path(version[1]).asText(null))) {
        meta.remove(version[0]);
        meta.remove(version[1]);
        dropped = true;
      }
    }
    return dropped;
  }
}
