package io.searchmigrate.transforms.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.searchmigrate.common.json.Json;
import io.searchmigrate.common.metadata.IndexMetadata;
import io.searchmigrate.common.metadata.TemplateMetadata;
import io.searchmigrate.common.version.ClusterVersion;
import io.searchmigrate.transforms.metadata.MetadataTransformer;
import io.searchmigrate.transforms.metadata.MigrationOptions;
import io.searchmigrate.transforms.metadata.TransformedItem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Elasticsearch's mapping types, taken out of requests for a target that has none (Elasticsearch 5-7 sources):
 *
 * <ul>
 *   <li>paths: {@code /i/t/1} → {@code /i/_doc/1}, {@code /i/t/1/_update} → {@code /i/_update/1} (likewise
 *       {@code _create}, {@code _source}, {@code _explain}, {@code _termvectors}), {@code POST /i/t} → {@code /i/_doc},
 *       {@code /i/t/_search} → {@code /i/_search} (likewise {@code _count}, {@code _mget}, {@code _bulk},
 *       {@code _msearch}, {@code _validate}, {@code _delete_by_query}, {@code _update_by_query}, {@code _mapping},
 *       {@code _termvectors}, {@code _mtermvectors}),
 *       {@code /i/_mapping/t} → {@code /i/_mapping}; the same with Elasticsearch 7's {@code _doc} as the type
 *       ({@code /i/_doc/1/_update} → {@code /i/_update/1}); the {@code include_type_name} parameter;</li>
 *   <li>bodies: {@code _type} in {@code _bulk} action lines and {@code _mget} documents; the type level of
 *       {@code _mapping} bodies; index creation and template bodies ({@code _template}, {@code _index_template},
 *       {@code _component_template}) go through the same metadata transformations the {@code metadata} command
 *       applies (typed mappings, {@code string}, internal settings), from any source: Elasticsearch 8's and
 *       OpenSearch's too ({@code flattened} fields, settings a later OpenSearch removed).</li>
 * </ul>
 *
 * <p>With {@code --multi-type split}, requests on the given multi-type indices go to the index of their type (the
 * backfill's and metadata's naming), so one {@code _bulk} may touch several indices.
 */
public final class TypelessRequests implements RequestRewrite {
  private static final long serialVersionUID = 1L;
  private static final Set<String> TYPE_ENDPOINTS = Set.of("_search", "_count", "_mget", "_bulk", "_msearch", "_validate",
      "_delete_by_query", "_update_by_query", "_mapping", "_mappings", "_termvectors", "_mtermvectors");
  private static final Set<String> DOCUMENT_ENDPOINTS = Set.of("_update", "_create", "_source", "_explain", "_termvectors");
  /** What else may follow an index and a type: the rest of a third path segment that starts with '_' is a document id. */
  private static final Set<String> OTHER_TYPE_ENDPOINTS = Set.of("_percolate", "_mpercolate", "_suggest", "_explain");
  private static final Map<String, TemplateMetadata.Kind> TEMPLATE_KINDS = Map.of("_template", TemplateMetadata.Kind.LEGACY,
      "_index_template", TemplateMetadata.Kind.INDEX, "_component_template", TemplateMetadata.Kind.COMPONENT);

  private final ClusterVersion source;
  private final ClusterVersion target;
  private final MigrationOptions options;
  private final Set<String> multiTypeIndices;

  private TypelessRequests(ClusterVersion source, ClusterVersion target, MigrationOptions options, Set<String> multiTypeIndices) {
    this.source = source;
    this.target = target;
    this.options = options;
    this.multiTypeIndices = Set.copyOf(multiTypeIndices);
  }

  /**
   * @param multiTypeIndices indices with several types, split into one index per type when {@code options} say so
   */
  public static TypelessRequests of(ClusterVersion source, ClusterVersion target, MigrationOptions options,
      Set<String> multiTypeIndices) {
    return new TypelessRequests(source, target, options, multiTypeIndices);
  }

  @Override
  public String name() {
    return "typeless-requests";
  }

  @Override
  public List<HttpRequestMessage> apply(HttpRequestMessage request) {
    List<HttpRequestMessage> out = typeless(request);
    return out.size() == 1 && isMappingUpdate(out.get(0)) ? List.of(mappingUpdate(out.get(0))) : out;
  }

  private List<HttpRequestMessage> typeless(HttpRequestMessage request) {
    boolean withTypes = source.isElasticsearch() && source.major() <= 7;
    boolean typedBodies = withTypes && (source.major() < 7 || "true".equals(request.queryValue("include_type_name")));
    HttpRequestMessage r = withTypes && request.query().containsKey("include_type_name")
        ? request.withoutQueryParameter("include_type_name") : request;
    List<String> s = r.segments();
    String method = r.method();
    // from any source: what the target would refuse or read otherwise (Elasticsearch 8's flattened fields, settings
    // an OpenSearch version removed, ...) is changed as the metadata command changes it
    if (s.size() == 1 && method.equals("PUT") && !s.get(0).startsWith("_") && r.body().length > 0) {
      return createIndex(r, s.get(0), typedBodies);
    }
    if (s.size() == 2 && TEMPLATE_KINDS.containsKey(s.get(0)) && (method.equals("PUT") || method.equals("POST"))
        && r.body().length > 0) {
      return List.of(template(r, TEMPLATE_KINDS.get(s.get(0)), s.get(1)));
    }
    if (!withTypes) {
      return List.of(request);
    }
    // Elasticsearch 7 still takes its default type in the old places (/i/_doc/1/_update, /i/_doc/_search); OpenSearch does not
    if (s.size() >= 2 && !s.get(0).startsWith("_") && (!s.get(1).startsWith("_") || s.get(1).equals("_doc"))) {
      String index = s.get(0);
      String type = s.get(1);
      String to = indexFor(index, type);
      boolean typeless = type.equals("_doc") && to.equals(index); // /i/_doc and /i/_doc/1 need nothing
      if (s.size() == 2 && (method.equals("POST") || method.equals("PUT")) && !typeless) {
        return List.of(r.withSegments(List.of(to, "_doc")));
      }
      if (s.size() == 3 && TYPE_ENDPOINTS.contains(s.get(2))) {
        return List.of(endpointOnType(r, to, type, s.get(2), List.of()));
      }
      if (s.size() >= 4 && TYPE_ENDPOINTS.contains(s.get(2))) {
        return List.of(endpointOnType(r, to, type, s.get(2), s.subList(3, s.size())));
      }
      if (s.size() == 3 && isDocumentId(s.get(2)) && !typeless) {
        return List.of(r.withSegments(List.of(to, "_doc", s.get(2))));
      }
      if (s.size() == 4 && DOCUMENT_ENDPOINTS.contains(s.get(3))) {
        return List.of(r.withSegments(List.of(to, s.get(3), s.get(2))));
      }
    }
    if (s.size() == 3 && !s.get(0).startsWith("_") && (s.get(1).equals("_mapping") || s.get(1).equals("_mappings"))) {
      String type = s.get(2);
      return List.of(unwrapMapping(r.withSegments(List.of(indexFor(s.get(0), type), "_mapping")), type));
    }
    if (!s.isEmpty() && s.get(s.size() - 1).equals("_bulk")) {
      String defaultIndex = s.size() >= 2 ? s.get(0) : null;
      return List.of(typelessBulk(r, defaultIndex, null));
    }
    if (!s.isEmpty() && s.get(s.size() - 1).equals("_mget")) {
      return List.of(typelessMget(r));
    }
    if (typedBodies && s.size() == 2 && (s.get(1).equals("_mapping") || s.get(1).equals("_mappings"))
        && r.body().length > 0) {
      JsonNode body = Json.parse(r.body());
      if (body.size() == 1 && !body.has("properties")) {
        return List.of(unwrapMapping(r.withSegments(List.of(s.get(0), "_mapping")), body.fieldNames().next()));
      }
    }
    return r == request ? List.of(request) : List.of(r);
  }

  /**
   * Whether the segment after an index and a type names a document: ids may start with '_' too (Elasticsearch's own
   * generated ids do, one time in 64), so only the endpoints that can follow a type are taken for endpoints.
   */
  static boolean isDocumentId(String segment) {
    return !segment.startsWith("_") || !TYPE_ENDPOINTS.contains(segment) && !OTHER_TYPE_ENDPOINTS.contains(segment);
  }

  private String indexFor(String index, String type) {
    return options.multiType() == MigrationOptions.MultiType.SPLIT && multiTypeIndices.contains(index)
        ? options.splitIndexName(index, type) : index;
  }

  private HttpRequestMessage endpointOnType(HttpRequestMessage r, String index, String type, String endpoint, List<String> rest) {
    List<String> segments = new ArrayList<>(List.of(index, endpoint.equals("_mappings") ? "_mapping" : endpoint));
    segments.addAll(rest);
    HttpRequestMessage moved = r.withSegments(segments);
    return switch (endpoint) {
      case "_bulk" -> typelessBulk(moved, index, type);
      case "_mget" -> typelessMget(moved);
      case "_mapping", "_mappings" -> unwrapMapping(moved, type);
      default -> moved;
    };
  }

  /** Action lines lose their _type (or, split, go to their type's index); source lines pass as they are. */
  private HttpRequestMessage typelessBulk(HttpRequestMessage r, String pathIndex, String pathType) {
    BulkBody bulk = BulkBody.parse(r.bodyText());
    boolean changed = false;
    for (int n = 0; n < bulk.size(); n++) {
      ObjectNode meta = bulk.edit(n);
      JsonNode typeNode = meta.remove("_type");
      String type = typeNode != null ? typeNode.asText() : pathType;
      String index = meta.has("_index") ? meta.path("_index").asText() : pathIndex;
      if (type != null && index != null && !type.startsWith("_")) {
        String to = indexFor(index, type);
        if (!to.equals(index) || meta.has("_index")) {
          meta.put("_index", to);
        }
      }
      changed |= typeNode != null;
    }
    return changed || pathType != null ? r.withBody(bulk.toBytes()) : r;
  }

  private HttpRequestMessage typelessMget(HttpRequestMessage r) {
    if (r.body().length == 0) {
      return r;
    }
    JsonNode body = Json.parse(r.body());
    boolean changed = false;
    for (JsonNode doc : body.path("docs")) {
      if (doc instanceof ObjectNode o && o.remove("_type") != null) {
        changed = true;
      }
    }
    return changed ? r.withBody(Json.toBytes(body)) : r;
  }

  /** {@code PUT /i/_mapping} with a body, once typeless. */
  private static boolean isMappingUpdate(HttpRequestMessage r) {
    List<String> s = r.segments();
    return (r.method().equals("PUT") || r.method().equals("POST")) && s.size() == 2 && !s.get(0).startsWith("_")
        && s.get(1).equals("_mapping") && r.body().length > 0;
  }

  /**
   * A mapping update's fields through the metadata transformations, as an index created with them would have them
   * ({@code string}, {@code flattened}, ...); unchanged when they change nothing or the body is not a mapping.
   */
  private HttpRequestMessage mappingUpdate(HttpRequestMessage r) {
    if (!(Json.parseOrNull(r.body()) instanceof ObjectNode mapping)) {
      return r;
    }
    IndexMetadata metadata = new IndexMetadata(r.segments().get(0), Json.object(), Map.of("_doc", mapping), null);
    List<TransformedItem> items = new MetadataTransformer(source, target, options).index(metadata);
    JsonNode transformed = items.size() == 1 ? items.get(0).body().path("mappings") : null;
    return transformed == null || !transformed.isObject() || transformed.equals(mapping) ? r
        : r.withBody(Json.toBytes(transformed));
  }

  /** {@code {"t": {"properties": ...}}} → {@code {"properties": ...}} for a typed mapping body. */
  private HttpRequestMessage unwrapMapping(HttpRequestMessage r, String type) {
    if (r.body().length == 0) {
      return r;
    }
    JsonNode body = Json.parse(r.body());
    if (body.size() == 1 && body.has(type) && body.path(type).isObject()) {
      return r.withBody(Json.toBytes(body.path(type)));
    }
    return r;
  }

  /** {@code PUT /index} with a definition: the metadata migration's transformations, one request per target index. */
  private List<HttpRequestMessage> createIndex(HttpRequestMessage r, String index, boolean typedBodies) {
    JsonNode body = Json.parse(r.body());
    Map<String, JsonNode> mappingsByType = new LinkedHashMap<>();
    JsonNode mappings = body.path("mappings");
    if (mappings.isObject() && mappings.size() > 0) {
      if (typedBodies && !mappings.has("properties") && !mappings.has("dynamic")) {
        for (Iterator<Map.Entry<String, JsonNode>> it = mappings.fields(); it.hasNext();) {
          Map.Entry<String, JsonNode> type = it.next();
          mappingsByType.put(type.getKey(), type.getValue());
        }
      } else {
        mappingsByType.put("_doc", mappings);
      }
    }
    IndexMetadata metadata = new IndexMetadata(index, body.path("settings").isObject() ? body.path("settings") : Json.object(),
        mappingsByType, body.path("aliases").isObject() ? (ObjectNode) body.path("aliases") : null);
    List<HttpRequestMessage> requests = new ArrayList<>();
    for (TransformedItem item : new MetadataTransformer(source, target, options).index(metadata)) {
      requests.add(r.withSegments(List.of(item.targetName())).withBody(Json.toBytes(item.body())));
    }
    return requests;
  }

  /** A template's body through the same transformations {@code metadata migrate} applies to it (typed mappings, ...). */
  private HttpRequestMessage template(HttpRequestMessage r, TemplateMetadata.Kind kind, String name) {
    TemplateMetadata template = TemplateMetadata.fromBody(kind, name, Json.parse(r.body()), v -> v);
    return r.withBody(Json.toBytes(new MetadataTransformer(source, target, options).template(template).body()));
  }

}
