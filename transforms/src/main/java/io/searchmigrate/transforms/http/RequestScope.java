package io.searchmigrate.transforms.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a request reads or changes on a cluster, so that a replay keeps the order between two connections' requests
 * only where one could see the other's effect:
 *
 * <ul>
 *   <li><b>writes</b> of documents (one document, or {@code _bulk}): the ids they write, and their indices;</li>
 *   <li><b>reads</b> ({@code GET}/{@code HEAD}, {@code _search}, {@code _count}, {@code _mget}, ...): the indices named
 *       in the path ({@code _all}, patterns and requests without an index read them all);</li>
 *   <li>everything else changes the cluster as a whole (index creation and deletion, mappings, settings, aliases,
 *       templates, {@code _refresh}, {@code _delete_by_query}, ... and whatever is not recognised).</li>
 * </ul>
 *
 * <pre>{@code
 * RequestScope earlier = RequestScope.of(asOnTheSource(first));
 * if (RequestScope.of(asOnTheSource(second)).follows(earlier)) { ... second waits for first's answer ... }
 * }</pre>
 *
 * Writes are told apart by document id alone, whatever index (or alias) they name, so two writes of one document
 * through different names still keep their order. Read from the request as the source took it, with the ids the
 * source gave ({@link AsOnTheSource}).
 */
public final class RequestScope {
  private enum Kind { READ, WRITE, CLUSTER }

  /** Changes the cluster as a whole: every other request keeps its order with it. */
  public static final RequestScope CLUSTER = new RequestScope(Kind.CLUSTER, null, Set.of());
  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD");
  private static final Set<String> WRITE_METHODS = Set.of("PUT", "POST", "DELETE");
  /** Endpoints that only read, whatever the method. */
  private static final Set<String> READ_ENDPOINTS = Set.of("_search", "_count", "_msearch", "_mget", "_validate",
      "_field_caps", "_explain", "_termvectors", "_mtermvectors", "_analyze", "_rank_eval", "_search_shards");
  private static final Set<String> DOCUMENT_ENDPOINTS = Set.of("_doc", "_create", "_update");

  private final Kind kind;
  /** Indices read or written; null: all of them. */
  private final Set<String> indices;
  /** Ids of the documents written. */
  private final Set<String> ids;

  private RequestScope(Kind kind, Set<String> indices, Set<String> ids) {
    this.kind = kind;
    this.indices = indices;
    this.ids = ids;
  }

  /** The scope of a request as the source took it. */
  public static RequestScope of(HttpRequestMessage request) {
    List<String> s = request.segments();
    String method = request.method();
    boolean readEndpoint = s.stream().anyMatch(READ_ENDPOINTS::contains);
    if (READ_METHODS.contains(method) || readEndpoint) {
      // the bodies of _mget and _msearch may name other indices than the path
      boolean otherIndices = s.contains("_mget") || s.contains("_msearch");
      return new RequestScope(Kind.READ, otherIndices ? null : indicesIn(s), Set.of());
    }
    if (!WRITE_METHODS.contains(method) || s.isEmpty() || s.get(0).startsWith("_") && !s.get(0).equals("_bulk")) {
      return CLUSTER;
    }
    if (s.get(s.size() - 1).equals("_bulk") && s.size() <= 3) {
      return bulk(request, s.size() >= 2 ? s.get(0) : null);
    }
    if (s.size() == 3 && TypelessRequests.isDocumentId(s.get(2))
        && (DOCUMENT_ENDPOINTS.contains(s.get(1)) || !s.get(1).startsWith("_"))
        || s.size() == 4 && (s.get(1).equals("_doc") || !s.get(1).startsWith("_"))
        && (s.get(3).equals("_update") || s.get(3).equals("_create"))) {
      return new RequestScope(Kind.WRITE, Set.of(s.get(0)), Set.of(s.get(2)));
    }
    if (s.size() == 2 && method.equals("POST") && (s.get(1).equals("_doc") || !s.get(1).startsWith("_"))) {
      return new RequestScope(Kind.WRITE, Set.of(s.get(0)), Set.of()); // an id the source's answer did not give
    }
    return CLUSTER;
  }

  /** The ids and indices of a {@code _bulk}'s items; a body that is not one changes the cluster, as far as known. */
  private static RequestScope bulk(HttpRequestMessage request, String pathIndex) {
    BulkBody bulk = BulkBody.parseOrNull(request.bodyText());
    if (bulk == null) {
      return CLUSTER;
    }
    Set<String> indices = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (int n = 0; n < bulk.size(); n++) {
      JsonNode meta = bulk.meta(n);
      String index = meta.path("_index").asText(pathIndex);
      if (index == null) {
        return CLUSTER;
      }
      indices.add(index);
      if (meta.hasNonNull("_id")) {
        ids.add(meta.path("_id").asText());
      }
    }
    return new RequestScope(Kind.WRITE, indices, ids);
  }

  /** The indices a path names first ({@code a,b/_search}); null (all) for none, {@code _all} or a pattern. */
  private static Set<String> indicesIn(List<String> s) {
    if (s.isEmpty() || s.get(0).startsWith("_")) {
      return null;
    }
    Set<String> names = new HashSet<>();
    for (String name : s.get(0).split(",")) {
      if (name.isEmpty() || name.equals("_all") || name.contains("*") || name.startsWith("-")) {
        return null;
      }
      names.add(name);
    }
    return names;
  }

  /**
   * Whether this request, begun on the source after {@code earlier} (of another connection) was answered there, must
   * wait for the target's answer to it: either changes the cluster as a whole; this reads an index {@code earlier}
   * wrote; or both write a document with the same id. A write does not wait for an earlier read.
   */
  public boolean follows(RequestScope earlier) {
    if (kind == Kind.CLUSTER || earlier.kind == Kind.CLUSTER) {
      return true;
    }
    if (earlier.kind != Kind.WRITE) {
      return false;
    }
    if (kind == Kind.READ) {
      return indices == null || earlier.indices == null || !Collections.disjoint(indices, earlier.indices);
    }
    Set<String> smaller = ids.size() <= earlier.ids.size() ? ids : earlier.ids;
    Set<String> larger = smaller == ids ? earlier.ids : ids;
    for (String id : smaller) {
      if (larger.contains(id)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    if (kind == Kind.CLUSTER) {
      return "cluster";
    }
    return kind.name().toLowerCase(Locale.ROOT) + " " + (indices == null ? "all indices" : new TreeSet<>(indices))
        + (ids.isEmpty() ? "" : " ids " + new TreeSet<>(ids));
  }
}
